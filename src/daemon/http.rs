//! The operators' HTTP endpoints: /healthz (process up), /readyz (database reachable and
//! migrated, and no job failing fire after fire), /metrics (Prometheus text: readiness, each
//! job's runs and failures, the Discord gateway), the web console under /console when enabled,
//! and the listener that serves them.
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

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::discord::gateway::GatewayStatus;
use crate::store::Store;

use super::scheduler::{JobHealth, JobStatus};

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<dyn Store>,
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

/// A per-job metric: name, type, help text, and its value for one job.
type MetricFamily = (
    &'static str,
    &'static str,
    &'static str,
    fn(&JobStatus) -> u64,
);

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    let up = u8::from(readiness(&state).await.is_ok());
    let mut text = format!(
        "# HELP partnerdesk_ready Whether the database is reachable and migrated, and no job keeps failing.\n\
         # TYPE partnerdesk_ready gauge\npartnerdesk_ready{{backend=\"{}\"}} {up}\n",
        state.store.backend().name()
    );
    let jobs = JobHealth::global().snapshot();
    let families: [MetricFamily; 3] = [
        (
            "partnerdesk_job_runs_total",
            "counter",
            "Fires of the job this process ran.",
            |s| s.runs,
        ),
        (
            "partnerdesk_job_failures_total",
            "counter",
            "Fires of the job that failed or panicked.",
            |s| s.failures,
        ),
        (
            "partnerdesk_job_failing_in_a_row",
            "gauge",
            "Fires of the job that failed since it last ran well.",
            |s| u64::from(s.failing_in_a_row),
        ),
    ];
    for (name, kind, help, value) in families {
        text.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
        for (job, status) in &jobs {
            let job = job.replace('\\', "\\\\").replace('"', "\\\"");
            text.push_str(&format!("{name}{{job=\"{job}\"}} {}\n", value(status)));
        }
    }
    if let Some(gateway) = &state.discord {
        text.push_str(&gateway.metrics());
    }
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4")],
        text,
    )
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
