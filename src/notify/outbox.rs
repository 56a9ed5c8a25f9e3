//! The outbox dispatcher: claims due messages with a lease, sends them through the channel's
//! port, and marks each sent, retried (temporary failure, exponential backoff with jitter) or
//! dead (permanent failure, or too many attempts). A crash between send and mark repeats at
//! most the messages in flight; nothing is lost, because an expired lease makes a message due
//! again.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::mail::{to_name_from_payload, Mailer, OutgoingMail, SendError};
use crate::clock::Clock;
use crate::config::OutboxConfig;
use crate::store::{Channel, OutboxMessage, Store, StoreResult};

/// The Discord delivery port (direct messages and channel posts); the Discord adapter
/// implements it. Without one, Discord messages wait in the outbox.
#[async_trait]
pub trait ChatSink: Send + Sync {
    async fn deliver(&self, message: &OutboxMessage) -> Result<(), SendError>;
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DispatchReport {
    pub claimed: u64,
    pub sent: u64,
    pub retried: u64,
    pub dead: u64,
}

impl DispatchReport {
    fn add(&mut self, other: DispatchReport) {
        self.claimed += other.claimed;
        self.sent += other.sent;
        self.retried += other.retried;
        self.dead += other.dead;
    }
}

pub struct Dispatcher {
    store: Arc<dyn Store>,
    mailer: Arc<dyn Mailer>,
    chat: Option<Arc<dyn ChatSink>>,
    clock: Arc<dyn Clock>,
    settings: OutboxConfig,
    /// Names this dispatcher's leases: `<host>:<pid>:<random>`.
    owner: String,
}

enum Outcome {
    Sent(i64),
    Failed(i64, i32, SendError),
}

impl Dispatcher {
    pub fn new(
        store: Arc<dyn Store>,
        mailer: Arc<dyn Mailer>,
        chat: Option<Arc<dyn ChatSink>>,
        clock: Arc<dyn Clock>,
        settings: OutboxConfig,
    ) -> Self {
        let owner = format!("{}:{:08x}", crate::store::replica_name(), fastrand::u32(..));
        Self {
            store,
            mailer,
            chat,
            clock,
            settings,
            owner,
        }
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Claims one batch of due messages and settles every one of them.
    pub async fn dispatch_batch(&self) -> StoreResult<DispatchReport> {
        self.dispatch_batch_until(&CancellationToken::new()).await
    }

    /// Claims one batch and sends it, marking messages in small groups as their sends complete
    /// (not once for the whole batch): a stop repeats nothing, a crash at most one group and
    /// the sends in flight. No new send
    /// starts after `stop` is cancelled or once three quarters of the lease have passed: the
    /// rest of the batch stays leased and becomes due again when the lease ends, rather than
    /// being sent by us while another replica, seeing the lease run out, sends it too.
    pub async fn dispatch_batch_until(
        &self,
        stop: &CancellationToken,
    ) -> StoreResult<DispatchReport> {
        let now = self.clock.now();
        let lease = Duration::from_secs(self.settings.lease_secs);
        let lease_until = now + chrono::Duration::seconds(self.settings.lease_secs as i64);
        let batch = self
            .store
            .claim_outbox(
                &self.owner,
                now,
                lease_until,
                i64::from(self.settings.batch_size),
            )
            .await?;
        let mut report = DispatchReport {
            claimed: batch.len() as u64,
            ..DispatchReport::default()
        };
        if batch.is_empty() {
            return Ok(report);
        }
        let start_sends_before = std::time::Instant::now() + lease.mul_f64(0.75);
        let claimed: Vec<i64> = batch.iter().map(|m| m.id).collect();
        // Sends start in claim order and stop at the first refusal (take_while), so the ones
        // never tried are the tail after this many.
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut completed = stream::iter(batch)
            .take_while(|_| {
                std::future::ready(
                    !stop.is_cancelled() && std::time::Instant::now() < start_sends_before,
                )
            })
            .inspect(|_| {
                started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
            .map(|message| async move {
                let started = std::time::Instant::now();
                let sent = self.send(&message).await;
                crate::metrics::global()
                    .outbox_send_duration
                    .observe(started.elapsed().as_secs_f64());
                match sent {
                    Ok(()) => Outcome::Sent(message.id),
                    Err(e) => Outcome::Failed(message.id, message.attempts, e),
                }
            })
            .buffer_unordered(self.settings.concurrency.max(1) as usize);
        // Completed sends are marked in groups: one store write per group keeps throughput,
        // and a group is written at least every quarter second so a slow server's sends are
        // not left unmarked for long.
        const GROUP: usize = 64;
        const GROUP_AGE: Duration = Duration::from_millis(250);
        let mut pending: Vec<Outcome> = Vec::with_capacity(GROUP);
        let mut oldest = std::time::Instant::now();
        loop {
            let next = completed.next().await;
            let finished = next.is_none();
            if let Some(outcome) = next {
                if pending.is_empty() {
                    oldest = std::time::Instant::now();
                }
                pending.push(outcome);
            }
            let due = pending.len() >= GROUP || oldest.elapsed() >= GROUP_AGE || finished;
            if due && !pending.is_empty() {
                report.add(self.settle(std::mem::take(&mut pending)).await?);
            }
            if finished {
                break;
            }
        }
        drop(completed);
        // What never started goes back at once (a stop, or the lease running short), rather
        // than waiting out the lease.
        let never_tried = claimed.get(started.into_inner()..).unwrap_or_default();
        if !never_tried.is_empty() {
            let released = self.store.release_outbox(never_tried, &self.owner).await?;
            tracing::info!(released, "unsent messages handed back to the outbox");
        }
        Ok(report)
    }

    /// Marks completed sends: sent, due again later (temporary failure) or dead.
    async fn settle(&self, outcomes: Vec<Outcome>) -> StoreResult<DispatchReport> {
        let mut report = DispatchReport::default();
        let sent: Vec<i64> = outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Sent(id) => Some(*id),
                Outcome::Failed(..) => None,
            })
            .collect();
        let at = self.clock.now();
        if !sent.is_empty() {
            report.sent = self.store.mark_outbox_sent(&sent, &self.owner, at).await?;
            crate::metrics::global().outbox_sent.inc_by(report.sent);
        }
        for outcome in outcomes {
            let Outcome::Failed(id, attempts, error) = outcome else {
                continue;
            };
            let gave_up = attempts >= self.settings.max_attempts as i32;
            if error.is_temporary() && !gave_up {
                // Never sooner than the peer asked (Discord's retry_after), else our backoff.
                let asked = error
                    .retry_after()
                    .and_then(|d| chrono::Duration::from_std(d).ok())
                    .unwrap_or_default();
                let retry_at = at + self.backoff(attempts).max(asked);
                tracing::warn!(id, attempts, %retry_at, reason = error.reason(), "delivery failed; will retry");
                self.store
                    .mark_outbox_retry(id, &self.owner, retry_at, error.reason())
                    .await?;
                report.retried += 1;
                crate::metrics::global().record_failure(true, false);
            } else {
                let reason = if gave_up && error.is_temporary() {
                    format!("gave up after {attempts} attempts: {}", error.reason())
                } else {
                    error.reason().to_string()
                };
                tracing::error!(id, attempts, %reason, "delivery failed permanently; message is dead");
                self.store
                    .mark_outbox_dead(id, &self.owner, &reason)
                    .await?;
                report.dead += 1;
                crate::metrics::global().record_failure(error.is_temporary(), true);
            }
        }
        Ok(report)
    }

    /// Dispatches until no message is due (`outbox dispatch`).
    pub async fn drain(&self) -> StoreResult<DispatchReport> {
        self.drain_until(&CancellationToken::new()).await
    }

    /// Dispatches until no message is due or `stop` is cancelled; a stop lets the sends in
    /// flight finish and be marked, and starts no new batch.
    pub async fn drain_until(&self, stop: &CancellationToken) -> StoreResult<DispatchReport> {
        let mut total = DispatchReport::default();
        loop {
            let report = self.dispatch_batch_until(stop).await?;
            total.add(report);
            if report.claimed == 0 || stop.is_cancelled() {
                return Ok(total);
            }
        }
    }

    /// The daemon's loop: drain, then sleep until woken (a new message), the poll interval
    /// passes, or shutdown. A database outage is logged and retried; it never ends the loop.
    pub async fn run(&self, wake: Arc<Notify>, poll: Duration, shutdown: CancellationToken) {
        tracing::info!(owner = %self.owner, "outbox dispatcher started");
        let mut failures = 0u32;
        while !shutdown.is_cancelled() {
            let pause = match self.drain_until(&shutdown).await {
                Ok(report) => {
                    failures = 0;
                    if report.claimed > 0 {
                        tracing::info!(
                            claimed = report.claimed,
                            sent = report.sent,
                            retried = report.retried,
                            dead = report.dead,
                            "outbox dispatched"
                        );
                    }
                    poll
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let pause = poll.saturating_mul(failures.min(12));
                    tracing::warn!(error = %e, ?pause, "outbox dispatch failed; retrying");
                    pause
                }
            };
            self.count_for_metrics().await;
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!("outbox dispatcher stopped");
    }

    /// Refreshes the outbox gauge after each round, so a scrape reads it without a query.
    async fn count_for_metrics(&self) {
        match self.store.outbox_status_counts().await {
            Ok(counts) => crate::metrics::global().set_outbox_counts(&counts),
            Err(e) => tracing::debug!(error = %e, "cannot count the outbox for metrics"),
        }
    }

    async fn send(&self, message: &OutboxMessage) -> Result<(), SendError> {
        match message.channel.parse::<Channel>() {
            Ok(Channel::Email) => {
                let mail = OutgoingMail {
                    to: message.recipient.clone(),
                    // `{"to_name": ...}` in the payload, folded onto one line.
                    to_name: to_name_from_payload(message.payload.as_deref()),
                    subject: message.subject.clone(),
                    text: message.body_text.clone(),
                    html: message.body_html.clone(),
                    message_id_hint: Some(message.dedupe_key.clone()),
                };
                self.mailer.send(&mail).await
            }
            Ok(Channel::Discord) => match &self.chat {
                Some(chat) => chat.deliver(message).await,
                None => Err(SendError::temporary("Discord is not connected")),
            },
            Err(e) => Err(SendError::permanent(format!("unknown channel: {e}"))),
        }
    }

    /// `base * 2^(attempts-1)`, capped, with ±20% jitter so that retries of one outage spread.
    fn backoff(&self, attempts: i32) -> chrono::Duration {
        let exponent = attempts.clamp(1, 20) as u32 - 1;
        let base = self.settings.base_backoff_secs.max(1) as f64;
        let raw =
            (base * 2f64.powi(exponent as i32)).min(self.settings.max_backoff_secs.max(1) as f64);
        let jitter = 0.8 + 0.4 * fastrand::f64();
        chrono::Duration::milliseconds((raw * jitter * 1000.0) as i64)
    }
}

/// When the next retry of a message failing for the `attempts`th time may happen at the
/// earliest and latest (for tests and docs).
pub fn backoff_bounds(settings: &OutboxConfig, attempts: u32) -> (Duration, Duration) {
    let exponent = attempts.clamp(1, 20) - 1;
    let raw = (settings.base_backoff_secs.max(1) as f64 * 2f64.powi(exponent as i32))
        .min(settings.max_backoff_secs.max(1) as f64);
    (
        Duration::from_secs_f64(raw * 0.8),
        Duration::from_secs_f64(raw * 1.2),
    )
}
