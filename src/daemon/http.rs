//! The operators' HTTP endpoints: /healthz (process up), /readyz (database reachable and
//! migrated, and no job failing fire after fire), /metrics (Prometheus text from the registry in
//! `crate::metrics`), the sales reps' calendar feeds (/calendar/<secret>.ics, built by
//! `workflows::calendar`), the web console under /console when enabled, and the listener that
//! serves them.
//!
//! The listener is our own accept loop over hyper rather than `axum::serve`, because it must
//! hold against slow and hostile clients: at most [`MAX_CONNECTIONS`] at once (more are
//! closed at once), request headers within [`HEADER_READ_TIMEOUT`] and [`MAX_HEADER_BYTES`],
//! a declared body over [`MAX_BODY_BYTES`] refused with 413, and no connection kept longer
//! than [`CONNECTION_LIFETIME`] (which bounds a body sent byte by byte). So 20,000
//! half-sent requests cost at most [`MAX_CONNECTIONS`] sockets for a few seconds each.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::discord::gateway::GatewayStatus;
use partnerdesk_domain::renewal::RenewalPolicy;

use crate::store::Store;

use super::scheduler::JobHealth;

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<dyn Store>,
    /// The renewal rule the reps' calendar feeds apply (the configured one in the daemon).
    pub renewal: RenewalPolicy,
    /// Set once the migrations were seen applied; they are never un-applied while we run.
    migrated: Arc<AtomicBool>,
    /// The web console's routes (`[console] enabled = true`), merged beside ours.
    console: Option<Router>,
    /// The Discord gateway's state, when the bot runs.
    discord: Option<Arc<GatewayStatus>>,
}

impl HttpState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            renewal: RenewalPolicy::default(),
            migrated: Arc::new(AtomicBool::new(false)),
            console: None,
            discord: None,
        }
    }

    /// Serves the web console's routes too.
    pub fn with_console(mut self, console: Router) -> Self {
        self.console = Some(console);
        self
    }

    /// Adds the Discord gateway's state to /metrics.
    pub fn with_discord(mut self, gateway: Arc<GatewayStatus>) -> Self {
        self.discord = Some(gateway);
        self
    }
}

pub fn router(state: HttpState) -> Router {
    let console = state.console.clone();
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/calendar/{file}", get(calendar_feed))
        .with_state(state);
    match console {
        Some(console) => app.merge(console),
        None => app,
    }
}

async fn healthz() -> impl IntoResponse {
    (StatusCode::OK, "ok\n")
}

async fn readyz(State(state): State<HttpState>) -> impl IntoResponse {
    match readiness(&state).await {
        Ok(()) => (StatusCode::OK, "ready\n".to_string()),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {reason}\n"),
            )
        }
    }
}

async fn readiness(state: &HttpState) -> Result<(), String> {
    let check = async {
        state.store.ping().await.map_err(|e| e.to_string())?;
        if !state.migrated.load(Ordering::Relaxed) {
            if state.store.is_migrated().await.map_err(|e| e.to_string())? {
                state.migrated.store(true, Ordering::Relaxed);
            } else {
                return Err("database migrations are not applied".to_string());
            }
        }
        Ok(())
    };
    tokio::time::timeout(std::time::Duration::from_secs(2), check)
        .await
        .map_err(|_| "database did not answer within 2 s".to_string())??;
    match JobHealth::global().unready_reason() {
        Some(reason) => Err(reason),
        None => Ok(()),
    }
}

/// One cheap query (the readiness ping); every other value is in memory, kept by the
/// dispatcher, scheduler, desk and bot. OpenMetrics when the scraper asks for it (Prometheus
/// does), else Prometheus text 0.0.4.
async fn metrics(State(state): State<HttpState>, headers: HeaderMap) -> impl IntoResponse {
    let up = i64::from(readiness(&state).await.is_ok());
    let metrics = crate::metrics::global();
    metrics
        .ready
        .get_or_create(&crate::metrics::BackendLabel {
            backend: state.store.backend().name(),
        })
        .set(up);
    let openmetrics = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/openmetrics-text"));
    if openmetrics {
        (
            StatusCode::OK,
            [(
                "content-type",
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            metrics.encode_openmetrics(),
        )
    } else {
        (
            StatusCode::OK,
            [("content-type", "text/plain; version=0.0.4; charset=utf-8")],
            metrics.encode_prometheus(),
        )
    }
}

/// `GET /calendar/<secret>.ics`: a sales rep's feed of renewal deadlines. Anything but a
/// current secret (wrong, rotated away, malformed) is 404, the same answer for each.
async fn calendar_feed(
    State(state): State<HttpState>,
    Path(file): Path<String>,
) -> axum::response::Response {
    let not_found = || (StatusCode::NOT_FOUND, "not found\n").into_response();
    let Some(secret) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let feed = crate::workflows::calendar::feed_for_secret(
        state.store.as_ref(),
        &state.renewal,
        secret,
        chrono::Utc::now(),
    )
    .await;
    match feed {
        Ok(Some(body)) => (
            StatusCode::OK,
            [
                ("content-type", "text/calendar; charset=utf-8"),
                ("content-disposition", "inline; filename=\"renewals.ics\""),
                ("cache-control", "private, max-age=300"),
            ],
            body,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read a calendar feed");
            (StatusCode::SERVICE_UNAVAILABLE, "try again later\n").into_response()
        }
    }
}

/// Connections served at once; one more is closed as soon as it is accepted. Monitoring needs
/// a handful.
pub const MAX_CONNECTIONS: usize = 128;

/// Time a client has to send a request's headers (also between requests on a kept-alive
/// connection).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(5);

/// The longest any one connection is kept, whatever it is doing.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(30);

/// Request line and headers together (hyper's smallest buffer).
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// No endpoint takes a body; a declared one larger than this is refused with 413.
pub const MAX_BODY_BYTES: u64 = 16 * 1024;

/// Binds `addr` now (so a bad or taken address fails start-up) and serves until `shutdown`.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Refuses a declared body over [`MAX_BODY_BYTES`] before any handler runs.
async fn refuse_large_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES) {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response();
    }
    next.run(request).await
}

/// Serves until `shutdown`, with the limits above.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: HttpState,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let app = router(state).layer(axum::middleware::from_fn(refuse_large_bodies));
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let connections = tokio_util::task::TaskTracker::new();
    loop {
        let (stream, peer) = tokio::select! {
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(e) => {
                    // Out of file handles or a connection reset before accept: not fatal.
                    tracing::warn!(error = %e, "HTTP accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            // Full: close at once rather than queue, so the slow ones cannot hold the rest.
            drop(stream);
            continue;
        };
        // The peer address: the console's login limit and its trusted-proxy check read it.
        let service = hyper_util::service::TowerToHyperService::new(
            app.clone()
                .layer(axum::Extension(axum::extract::ConnectInfo(peer))),
        );
        let stop = shutdown.clone();
        connections.spawn(async move {
            let _slot = slot;
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_buf_size(MAX_HEADER_BYTES);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::select! {
                _ = tokio::time::timeout(CONNECTION_LIFETIME, connection) => {}
                () = stop.cancelled() => {}
            }
        });
    }
    connections.close();
    let _ = tokio::time::timeout(Duration::from_secs(1), connections.wait()).await;
    Ok(())
}
