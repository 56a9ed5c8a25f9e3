//! The operators' HTTP endpoints: /healthz (process up), /readyz (database reachable and
//! migrated, and no job failing fire after fire), /metrics (Prometheus text: readiness and
//! each job's runs and failures).

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

use super::scheduler::{JobHealth, JobStatus};

#[derive(Clone)]
pub struct HttpState {
    pub store: Arc<dyn Store>,
    /// Set once the migrations were seen applied; they are never un-applied while we run.
    migrated: Arc<AtomicBool>,
}

impl HttpState {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            migrated: Arc::new(AtomicBool::new(false)),
        }
    }
}

pub fn router(state: HttpState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
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
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4")],
        text,
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async move { shutdown.cancelled().await })
        .await
}
