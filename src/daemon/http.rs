//! The operators' HTTP endpoints: /healthz (process up), /readyz (database reachable and
//! migrated), /metrics (Prometheus text), and the sales reps' calendar feeds
//! (/calendar/<secret>.ics, built by `workflows::calendar`).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use partnerdesk_domain::renewal::RenewalPolicy;

use crate::store::Store;

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<dyn Store>,
    /// The renewal rule the reps' calendar feeds apply (the configured one in the daemon).
    pub renewal: RenewalPolicy,
    /// Set once the migrations were seen applied; they are never un-applied while we run.
    migrated: Arc<AtomicBool>,
}

impl HttpState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            renewal: RenewalPolicy::default(),
            migrated: Arc::new(AtomicBool::new(false)),
        }
    }
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/calendar/{file}", get(calendar_feed))
        .with_state(state)
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
        .map_err(|_| "database did not answer within 2 s".to_string())?
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

/// Binds `addr` now (so a bad or taken address fails start-up) and serves until `shutdown`.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    state: HttpState,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}
