//! The outbox dispatcher: claims due messages with a lease, sends them through the channel's
//! port, and marks each sent, retried (temporary failure, exponential backoff with jitter) or
//! dead (permanent failure, or too many attempts). A crash between send and mark repeats at
//! most the messages in flight; nothing is lost, because an expired lease makes a message due
//! again.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use futures_util::future::{BoxFuture, OptionFuture};
use futures_util::stream::{self, StreamExt};
use serde::Serialize;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use super::mail::{to_name_from_payload, Mailer, OutgoingMail, SendError};
use crate::clock::Clock;
use crate::config::OutboxConfig;
use crate::store::{Channel, OutboxMessage, Store, StoreError, StoreResult};

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

/// Completed sends that may wait for their mark at once: with the sends in flight
/// (`outbox.concurrency`), the most a crash can repeat.
pub const MAX_UNMARKED: usize = 64;

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

    /// Claims one batch and sends it. While the batch is out, a heartbeat renews its leases
    /// every third of `lease_secs`, so a lease can be short (a killed replica's messages are
    /// due again within one lease) and still cover a send that takes minutes. Completed sends
    /// are marked by adaptive group commit: as soon as one mark commits, the next one writes
    /// every send that completed meanwhile, so a crash repeats at most the messages whose
    /// acceptance was not yet marked. A stop, a failed renewal or a database error starts no
    /// new send and hands every never-tried message back at once.
    pub async fn dispatch_batch_until(
        &self,
        stop: &CancellationToken,
    ) -> StoreResult<DispatchReport> {
        let lease = self.lease();
        let claimed_at = Instant::now();
        let now = self.clock.now();
        let batch = self
            .store
            .claim_outbox(
                &self.owner,
                now,
                lease_end(now, lease),
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
        let claimed: Vec<i64> = batch.iter().map(|m| m.id).collect();
        // Set when no further send may start: a stop, or a lease we could not renew.
        let halt = CancellationToken::new();
        // Until when our leases are known to hold (renewed by the heartbeat).
        let leased_until = Mutex::new(claimed_at + lease);
        // A send starts only with a quarter of the lease left, so a renewal can fail once
        // before anyone else may take the message.
        let may_start = || {
            !stop.is_cancelled()
                && !halt.is_cancelled()
                && Instant::now() + lease / 4
                    < *leased_until.lock().unwrap_or_else(PoisonError::into_inner)
        };
        // Sends start in claim order and stop at the first refusal (take_while), so the ones
        // never tried are the tail after this many.
        let started = AtomicUsize::new(0);
        let mut completed = stream::iter(batch)
            .take_while(|_| std::future::ready(may_start()))
            .inspect(|_| {
                started.fetch_add(1, Ordering::Relaxed);
            })
            .map(|message| async move {
                match self.send(&message).await {
                    Ok(()) => Outcome::Sent(message.id),
                    Err(e) => Outcome::Failed(message.id, message.attempts, e),
                }
            })
            .buffer_unordered(self.settings.concurrency.max(1) as usize);

        let mut pending: Vec<Outcome> = Vec::new();
        let mut marking: Option<BoxFuture<'_, (Vec<Outcome>, StoreResult<DispatchReport>)>> = None;
        let mut renewing: Option<BoxFuture<'_, (Instant, StoreResult<u64>)>> = None;
        let mut heartbeat = tokio::time::interval_at(
            tokio::time::Instant::from_std(claimed_at + self.renew_every()),
            self.renew_every(),
        );
        heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut marking_len = 0;
        let mut released = false;
        let mut sends_done = false;
        let mut failure: Option<StoreError> = None;
        let mut mark_failures = 0u32;
        loop {
            if marking.is_none() && !pending.is_empty() && failure.is_none() {
                let outcomes = std::mem::take(&mut pending);
                marking_len = outcomes.len();
                marking = Some(Box::pin(async move {
                    let result = self.settle(&outcomes).await;
                    (outcomes, result)
                }));
            }
            // What never started goes back at once: on a stop (before the sends in flight end,
            // which a slow server may take minutes over) and after a database error.
            if !released && (stop.is_cancelled() || halt.is_cancelled() || sends_done) {
                let unstarted = claimed.len() - started.load(Ordering::Relaxed);
                if sends_done || unstarted > 0 {
                    released = true;
                    halt.cancel();
                    self.release_unstarted(&claimed, started.load(Ordering::Relaxed))
                        .await;
                }
            }
            if sends_done && marking.is_none() && (pending.is_empty() || failure.is_some()) {
                break;
            }
            tokio::select! {
                // Sends progress only while fewer than MAX_UNMARKED completed sends await
                // their mark, so a crash repeats at most that many plus the sends in flight,
                // however slow the database is. (After a failed mark nothing new starts, and
                // the sends in flight are let finish.)
                next = completed.next(),
                    if !sends_done
                        && (failure.is_some() || pending.len() + marking_len < MAX_UNMARKED) =>
                match next {
                    Some(outcome) => pending.push(outcome),
                    None => sends_done = true,
                },
                Some((outcomes, result)) = OptionFuture::from(marking.as_mut()) => {
                    marking = None;
                    marking_len = 0;
                    match result {
                        Ok(done) => {
                            mark_failures = 0;
                            report.add(done);
                        }
                        Err(e) => {
                            // Keep the outcomes and try again shortly; meanwhile start nothing.
                            tracing::warn!(error = %e, "could not mark sent messages; retrying");
                            halt.cancel();
                            pending.splice(0..0, outcomes);
                            mark_failures += 1;
                            if mark_failures >= 3 || stop.is_cancelled() {
                                failure = Some(e);
                            } else {
                                tokio::time::sleep(Duration::from_millis(250 * u64::from(mark_failures))).await;
                            }
                        }
                    }
                },
                Some((began, result)) = OptionFuture::from(renewing.as_mut()) => {
                    renewing = None;
                    match result {
                        Ok(_) => {
                            *leased_until.lock().unwrap_or_else(PoisonError::into_inner) = began + lease;
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "could not renew outbox leases; starting no new send");
                            halt.cancel();
                        }
                    }
                },
                _ = heartbeat.tick(), if renewing.is_none() && !sends_done => {
                    renewing = Some(Box::pin(async move {
                        let began = Instant::now();
                        let until = lease_end(self.clock.now(), lease);
                        (began, self.store.renew_outbox_leases(&self.owner, until).await)
                    }));
                },
                () = stop.cancelled(), if !released => {},
                else => break,
            }
        }
        drop(completed);
        match failure {
            Some(e) => Err(e),
            None => Ok(report),
        }
    }

    /// Hands back the claimed messages after the first `started`; best effort, since a
    /// database that cannot take it back lets the short lease run out instead.
    async fn release_unstarted(&self, claimed: &[i64], started: usize) {
        let never_tried = claimed.get(started..).unwrap_or_default();
        if never_tried.is_empty() {
            return;
        }
        match self.store.release_outbox(never_tried, &self.owner).await {
            Ok(released) => {
                tracing::info!(released, "unsent messages handed back to the outbox")
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not hand unsent messages back; their lease ends soon")
            }
        }
    }

    /// The configured lease, kept within a second and a year so that no instant overflows.
    fn lease(&self) -> Duration {
        Duration::from_secs(self.settings.lease_secs.clamp(1, 365 * 86_400))
    }

    /// The heartbeat's period: three renewals per lease.
    fn renew_every(&self) -> Duration {
        (self.lease() / 3).max(Duration::from_millis(100))
    }

    /// Marks completed sends: sent, due again later (temporary failure) or dead.
    async fn settle(&self, outcomes: &[Outcome]) -> StoreResult<DispatchReport> {
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
        }
        for outcome in outcomes {
            let Outcome::Failed(id, attempts, error) = outcome else {
                continue;
            };
            let (id, attempts) = (*id, *attempts);
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

    /// The daemon's loop: drain, then sleep until woken (a new message), the next message is
    /// due, the poll interval passes, or shutdown. A database outage is logged and retried; it never ends the loop.
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
                    self.pause_until_due(poll).await
                }
                Err(e) => {
                    // Quick at first (a cut connection is often back at once), then no
                    // slower than the idle poll, so sending resumes soon after the database.
                    failures = failures.saturating_add(1);
                    let pause = Duration::from_millis(250)
                        .saturating_mul(1 << failures.min(8))
                        .min(poll);
                    tracing::warn!(error = %e, ?pause, "outbox dispatch failed; retrying");
                    pause
                }
            };
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!("outbox dispatcher stopped");
    }

    /// How long to sleep when nothing is due: until the earliest retry or lease end (so a
    /// backoff's jitter is kept, not rounded up to the poll), at most `poll`.
    async fn pause_until_due(&self, poll: Duration) -> Duration {
        match self.store.next_outbox_due().await {
            Ok(Some(due)) => (due - self.clock.now())
                .to_std()
                .unwrap_or(Duration::ZERO)
                // A little after, so the row is due when we claim.
                .saturating_add(Duration::from_millis(5))
                .min(poll),
            Ok(None) => poll,
            Err(e) => {
                tracing::debug!(error = %e, "cannot read when the next message is due");
                poll
            }
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

/// When a lease taken at `now` ends (saturating: no configured value can overflow it).
fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(lease)
        .ok()
        .and_then(|lease| now.checked_add_signed(lease))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
