//! The operators' HTTP endpoints: /healthz (process up), /readyz (database reachable and
//! migrated), /metrics (Prometheus text), and the web console under /console when enabled.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tokio_util::sync::CancellationToken;

use crate::store::Store;

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<dyn Store>,
    /// Set once the migrations were seen applied; they are never un-applied while we run.
    migrated: Arc<AtomicBool>,
    /// The web console's routes (`[console] enabled = true`), merged beside ours.
    console: Option<Router>,
}

impl HttpState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            migrated: Arc::new(AtomicBool::new(false)),
            console: None,
        }
    }

    /// Serves the web console's routes too.
    pub fn with_console(mut self, console: Router) -> Self {
        self.console = Some(console);
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
        .map_err(|_| "database did not answer within 2 s".to_string())?
}

async fn metrics(State(state): State<HttpState>) -> impl IntoResponse {
    let up = u8::from(readiness(&state).await.is_ok());
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4")],
        format!(
            "# HELP partnerdesk_ready Whether the database is reachable and migrated.\n\
             # TYPE partnerdesk_ready gauge\npartnerdesk_ready{{backend=\"{}\"}} {up}\n",
            state.store.backend().name()
        ),
    )
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
    // The peer address: the console's login limit and its trusted-proxy check read it.
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { shutdown.cancelled().await })
    .await
}
