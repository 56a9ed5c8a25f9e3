//! The cron runner: fires each configured job on its schedule, exactly once across replicas
//! (a fire is claimed by inserting `(job, scheduled_for)` into `job_runs`), applying the job's
//! misfire policy to fires missed while no daemon ran. It sleeps until the next fire: no
//! polling.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use futures_util::FutureExt;
use partnerdesk_domain::calendar::BusinessCalendar;
use partnerdesk_domain::Schedule;
use serde::Serialize;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::Instrument;

use crate::clock::Clock;
use crate::config::{Config, ConfigError, JobConfig, MisfirePolicy};
use crate::daemon::jobs::{JobContext, JobReport};
use crate::store::{StoreError, StoreResult};

/// The dispatcher's job: it runs in its own loop (`outbox.rs`), so the scheduler never claims it.
pub const OUTBOX_DISPATCH: &str = "outbox-dispatch";
/// A fire this close to its time is on time, whatever the misfire policy.
/// How long a fire to be retried waits before the next try.
pub const RETRY_PAUSE: Duration = Duration::from_secs(30);
const ON_TIME: chrono::Duration = chrono::Duration::seconds(60);

pub struct Job {
    pub name: String,
    pub config: JobConfig,
    pub schedule: Schedule,
    pub zone: Tz,
}

impl Job {
    /// The first fire strictly after `after` (on business days only when configured).
    pub fn next_fire(
        &self,
        after: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Option<DateTime<Utc>> {
        if self.config.business_days {
            self.schedule
                .next_business_day_fire(after, self.zone, calendar)
        } else {
            self.schedule.next_after(after, self.zone)
        }
    }

    /// The latest fire in `(after, until]`, if any.
    fn latest_fire_between(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
        calendar: &BusinessCalendar,
    ) -> Option<DateTime<Utc>> {
        let mut latest = None;
        let mut cursor = after;
        // Bounded: a per-second schedule after a long outage is walked at most this far.
        for _ in 0..1_000_000 {
            match self.next_fire(cursor, calendar) {
                Some(fire) if fire <= until => {
                    latest = Some(fire);
                    cursor = fire;
                }
                _ => break,
            }
        }
        latest
    }

    /// Which missed fire (if any) to run now, per the misfire policy.
    pub fn fire_to_run(
        &self,
        missed: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Option<DateTime<Utc>> {
        let fire = missed?;
        let late = now - fire;
        if late <= ON_TIME {
            return Some(fire);
        }
        match self.config.misfire {
            MisfirePolicy::FireOnce => Some(fire),
            MisfirePolicy::Skip => None,
            MisfirePolicy::Grace => {
                // Any grace beyond what a duration holds is "always".
                let grace = i64::try_from(self.config.grace_secs)
                    .ok()
                    .and_then(chrono::Duration::try_seconds)
                    .unwrap_or(chrono::Duration::MAX);
                (late <= grace).then_some(fire)
            }
        }
    }
}

/// How one fire ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "outcome")]
pub enum FireOutcome {
    Ran {
        report: JobReport,
    },
    Failed {
        error: String,
    },
    /// Another replica (or an earlier run) had claimed it.
    AlreadyClaimed,
}

pub struct Scheduler {
    pub jobs: Vec<Job>,
    pub context: JobContext,
    pub clock: Arc<dyn Clock>,
    /// Woken after a job enqueued messages, so the dispatcher sends them at once.
    pub outbox_wake: Arc<Notify>,
    pub owner: String,
}

impl Scheduler {
    pub fn jobs_from_config(config: &Config) -> Result<Vec<Job>, ConfigError> {
        config
            .jobs
            .iter()
            .filter(|(_, job)| job.enabled)
            .map(|(name, job)| {
                Ok(Job {
                    name: name.clone(),
                    config: job.clone(),
                    schedule: Schedule::parse(&job.schedule)
                        .map_err(|e| crate::config::schedule_error(name, &e))?,
                    zone: partnerdesk_domain::parse_zone(&job.zone)
                        .map_err(|e| crate::config::zone_error(&format!("jobs.{name}.zone"), &e))?,
                })
            })
            .collect()
    }

    pub fn job(&self, name: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.name == name)
    }

    /// Runs the work of `job` for the fire at `fire` (no claim).
    pub async fn execute(&self, job: &str, fire: DateTime<Utc>) -> StoreResult<JobReport> {
        let report = match job {
            "renewal-sweep" => self.context.renewal_sweep(fire).await?,
            "renewal-digest" => self.context.renewal_digest(fire).await?,
            "approval-escalation" => self.context.approval_escalation(fire).await?,
            "review-mail" => self.context.review_mail(fire).await?,
            "retention" => self.context.retention(fire).await?,
            other => {
                return Err(StoreError::Invalid(format!(
                    "job `{other}` has no work to run here"
                )))
            }
        };
        if report.enqueued > 0 {
            self.outbox_wake.notify_one();
        }
        Ok(report)
    }

    /// Claims the fire and, if this replica won it, runs it and records the outcome. A job
    /// that fails or panics is caught: its fire is recorded `error` with the reason, logged at
    /// ERROR and counted in [`JobHealth`], and the scheduler keeps running it at later fires.
    pub async fn fire(&self, job: &Job, fire: DateTime<Utc>) -> StoreResult<FireOutcome> {
        let store = &self.context.store;
        if !store
            .claim_job_fire(&job.name, fire, &self.owner, self.clock.now())
            .await?
        {
            return Ok(FireOutcome::AlreadyClaimed);
        }
        // The span is attached to the future (not entered across an await), so every line of
        // this fire, and only those, carries it.
        let span = tracing::info_span!("job", name = %job.name, %fire);
        let outcome = async {
            let run = std::panic::AssertUnwindSafe(self.execute(&job.name, fire)).catch_unwind();
            let outcome = match run.await {
                Ok(Ok(report)) => {
                    tracing::info!(
                        considered = report.considered,
                        enqueued = report.enqueued,
                        purged = report.purged,
                        "job ran"
                    );
                    FireOutcome::Ran { report }
                }
                Ok(Err(e)) => {
                    tracing::error!(error = %e, "job failed");
                    FireOutcome::Failed {
                        error: e.to_string(),
                    }
                }
                Err(panic) => {
                    let error = format!("the job panicked: {}", panic_message(panic.as_ref()));
                    tracing::error!(%error, "job failed");
                    FireOutcome::Failed { error }
                }
            };
            JobHealth::global().record(&job.name, &outcome);
            outcome
        }
        .instrument(span)
        .await;
        let (word, detail) = match &outcome {
            FireOutcome::Ran { report } => {
                ("ok", serde_json::to_string(report).unwrap_or_default())
            }
            FireOutcome::Failed { error } => ("error", error.clone()),
            FireOutcome::AlreadyClaimed => ("claimed", String::new()),
        };
        store
            .finish_job_fire(&job.name, fire, word, &detail, self.clock.now())
            .await?;
        Ok(outcome)
    }

    /// Runs, for every job, the fire due at `now` (the latest in `(last considered, now]`,
    /// filtered by the misfire policy). Returns what ran.
    pub async fn tick(
        &self,
        cursors: &mut [DateTime<Utc>],
        now: DateTime<Utc>,
    ) -> Vec<(String, DateTime<Utc>, FireOutcome)> {
        let mut ran = Vec::new();
        for (job, cursor) in self.jobs.iter().zip(cursors.iter_mut()) {
            if job.name == OUTBOX_DISPATCH || *cursor >= now {
                continue;
            }
            let missed = job.latest_fire_between(*cursor, now, &self.context.calendar);
            *cursor = now;
            if let Some(fire) = job.fire_to_run(missed, now) {
                match self.fire(job, fire).await {
                    Ok(outcome) => {
                        // Run a failed fire again after RETRY_PAUSE while the misfire policy
                        // allows, unless the job's next fire comes sooner anyway.
                        let next_soon =
                            job.next_fire(fire, &self.context.calendar)
                                .is_some_and(|next| {
                                    chrono::Duration::from_std(RETRY_PAUSE)
                                        .ok()
                                        .and_then(|pause| now.checked_add_signed(pause))
                                        .is_some_and(|retry| next <= retry)
                                });
                        if matches!(outcome, FireOutcome::Failed { .. }) && !next_soon {
                            *cursor = fire - chrono::Duration::milliseconds(1);
                        }
                        ran.push((job.name.clone(), fire, outcome));
                    }
                    Err(e) => {
                        tracing::warn!(job = %job.name, error = %e, "could not record the fire; will retry");
                        // Look at this fire again next tick: the database may be back by then.
                        *cursor = fire - chrono::Duration::milliseconds(1);
                    }
                }
            }
        }
        ran
    }

    /// Where each job's look-back starts: its last claimed fire, or now on a fresh database
    /// (history is not replayed).
    pub async fn initial_cursors(&self, now: DateTime<Utc>) -> Vec<DateTime<Utc>> {
        let mut cursors = Vec::with_capacity(self.jobs.len());
        for job in &self.jobs {
            let last = match self.context.store.last_job_run(&job.name).await {
                Ok(run) => run.map(|r| r.scheduled_for),
                Err(e) => {
                    tracing::warn!(job = %job.name, error = %e, "cannot read the last run");
                    None
                }
            };
            cursors.push(last.map_or(now, |l| l.min(now)));
        }
        cursors
    }

    /// The daemon's loop: sleep until the earliest next fire (or shutdown), then tick; a fire
    /// being retried waits [`RETRY_PAUSE`].
    pub async fn run(&self, shutdown: CancellationToken) {
        let mut cursors = self.initial_cursors(self.clock.now()).await;
        tracing::info!(jobs = self.jobs.len(), "scheduler started");
        while !shutdown.is_cancelled() {
            let now = self.clock.now();
            self.tick(&mut cursors, now).await;
            // A fire to retry (its job failed, or the database is away) is due at once again;
            // pause instead of spinning.
            let retrying = self
                .jobs
                .iter()
                .zip(&cursors)
                .any(|(job, cursor)| job.name != OUTBOX_DISPATCH && *cursor < now);
            let next = self
                .jobs
                .iter()
                .zip(&cursors)
                .filter(|(job, _)| job.name != OUTBOX_DISPATCH)
                .filter_map(|(job, cursor)| job.next_fire(*cursor, &self.context.calendar))
                .min();
            let wait = next
                .map(|at| (at - self.clock.now()).to_std().unwrap_or(Duration::ZERO))
                .unwrap_or(Duration::from_secs(3_600))
                // Re-check at least hourly, so a clock jump or a long DST shift self-corrects.
                .min(Duration::from_secs(3_600));
            let wait = if retrying {
                wait.max(RETRY_PAUSE)
            } else {
                wait
            };
            tokio::select! {
                () = shutdown.cancelled() => break,
                () = tokio::time::sleep(wait) => {}
            }
        }
        tracing::info!("scheduler stopped");
    }
}

/// The words of a panic's payload (`panic!("...")` carries a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string())
}

/// A job failing this many fires in a row makes `/readyz` answer 503 with the job's name
/// and last error.
pub const FAILURES_BEFORE_UNREADY: u32 = 3;

/// How each job's fires have been ending in this process, for `/readyz` and `/metrics`.
#[derive(Debug, Default)]
pub struct JobHealth {
    jobs: std::sync::Mutex<std::collections::BTreeMap<String, JobStatus>>,
}

/// One job's record in [`JobHealth`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobStatus {
    pub runs: u64,
    pub failures: u64,
    /// Failed fires since the last one that ran.
    pub failing_in_a_row: u32,
    pub last_error: Option<String>,
}

impl JobHealth {
    /// The process's record: one scheduler runs per process.
    pub fn global() -> &'static JobHealth {
        static HEALTH: std::sync::OnceLock<JobHealth> = std::sync::OnceLock::new();
        HEALTH.get_or_init(JobHealth::default)
    }

    pub fn record(&self, job: &str, outcome: &FireOutcome) {
        let mut jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let status = jobs.entry(job.to_string()).or_default();
        match outcome {
            FireOutcome::Ran { .. } => {
                status.runs += 1;
                status.failing_in_a_row = 0;
            }
            FireOutcome::Failed { error } => {
                status.runs += 1;
                status.failures += 1;
                status.failing_in_a_row = status.failing_in_a_row.saturating_add(1);
                status.last_error = Some(error.clone());
            }
            FireOutcome::AlreadyClaimed => {}
        }
    }

    /// Every job that ran or failed here, by name.
    pub fn snapshot(&self) -> Vec<(String, JobStatus)> {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|(name, status)| (name.clone(), status.clone()))
            .collect()
    }

    /// Why the process is not ready because of its jobs: the jobs that failed at least
    /// [`FAILURES_BEFORE_UNREADY`] fires in a row, with their last error.
    pub fn unready_reason(&self) -> Option<String> {
        let failing: Vec<String> = self
            .snapshot()
            .into_iter()
            .filter(|(_, s)| s.failing_in_a_row >= FAILURES_BEFORE_UNREADY)
            .map(|(name, s)| {
                format!(
                    "job {name} failed {} times in a row: {}",
                    s.failing_in_a_row,
                    s.last_error.unwrap_or_default()
                )
            })
            .collect();
        (!failing.is_empty()).then(|| failing.join("; "))
    }
}
