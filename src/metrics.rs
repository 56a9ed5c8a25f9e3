//! The process's Prometheus metrics: one registry (`prometheus-client`) and the handles every
//! layer records into with one-line calls (`crate::metrics::global().outbox_sent.inc()`), and
//! the exposition `/metrics` serves.
//!
//! It sits beside `clock.rs` at the bottom of the layers so that delivery (`notify/`), chat
//! and workflows may record without importing the daemon. The handles are process-wide (one
//! `LazyLock`), which is what a process exposing one `/metrics` wants; nothing else in the
//! crate is global. Values that need the database (outbox depth) are set by whoever already
//! reads it (the dispatcher), so a scrape reads memory only.
//!
//! Names follow Prometheus conventions: base units (seconds), `_total` on counters (the crate
//! appends it), `_seconds` on durations, HELP and TYPE on every family.

use std::sync::atomic::AtomicU64;
use std::sync::LazyLock;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// `{status}` of the outbox gauge.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    pub status: String,
}

/// `{kind}` of failed sends: `temporary` or `permanent`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct KindLabel {
    pub kind: &'static str,
}

/// `{job}`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobLabel {
    pub job: String,
}

/// `{job, outcome}` of job runs: `ok` or `error`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct JobRunLabels {
    pub job: String,
    pub outcome: &'static str,
}

/// `{lang, outcome}` of chat replies.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ChatLabels {
    pub lang: &'static str,
    pub outcome: &'static str,
}

/// `{backend}` of the readiness gauge.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct BackendLabel {
    pub backend: &'static str,
}

/// `{version}` of `partnerdesk_build_info`.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabel {
    version: &'static str,
}

/// How a chat request was answered (`partnerdesk_chat_replies_total{outcome}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatOutcome {
    /// A question answered from the knowledge catalogue.
    Answered,
    /// The desk asked the user to say more before answering.
    Clarified,
    /// The desk had no answer.
    Unknown,
    /// The question was passed to a person.
    HandedOff,
    /// A slash command, a button or a form.
    Command,
}

impl ChatOutcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Answered => "answered",
            Self::Clarified => "clarified",
            Self::Unknown => "unknown",
            Self::HandedOff => "handed-off",
            Self::Command => "command",
        }
    }
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

/// Every metric handle; see [`global`].
pub struct Metrics {
    registry: Registry,
    pub outbox_messages: Family<StatusLabel, Gauge>,
    pub outbox_sent: Counter,
    pub outbox_failed: Family<KindLabel, Counter>,
    pub outbox_dead: Counter,
    pub outbox_send_duration: Histogram,
    pub smtp_connections_opened: Counter,
    pub job_runs: Family<JobRunLabels, Counter>,
    pub job_last_success: Family<JobLabel, Gauge<f64, AtomicU64>>,
    pub job_duration: HistogramFamily<JobLabel>,
    pub chat_replies: Family<ChatLabels, Counter>,
    pub chat_reply_duration: Histogram,
    pub discord_gateway_connected: Gauge,
    pub discord_gateway_disconnects: Counter,
    pub job_failures: Family<JobLabel, Counter>,
    pub job_failing_in_a_row: Family<JobLabel, Gauge>,
    pub token_lockouts: Counter,
    pub ready: Family<BackendLabel, Gauge>,
}

/// Sends, chat replies: 1 ms to ~16 s.
fn fast_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

/// Jobs: 10 ms to ~10 min.
fn job_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.01, 2.0, 17))
}

impl Metrics {
    fn new() -> Self {
        let mut registry = Registry::with_prefix("partnerdesk");
        let build_info = Family::<VersionLabel, Gauge>::default();
        build_info
            .get_or_create(&VersionLabel {
                version: env!("CARGO_PKG_VERSION"),
            })
            .set(1);
        registry.register(
            "build_info",
            "The running build: always 1, labelled with the version",
            build_info,
        );
        let metrics = Self {
            outbox_messages: Family::default(),
            outbox_sent: Counter::default(),
            outbox_failed: Family::default(),
            outbox_dead: Counter::default(),
            outbox_send_duration: fast_buckets(),
            smtp_connections_opened: Counter::default(),
            job_runs: Family::default(),
            job_last_success: Family::default(),
            job_duration: Family::new_with_constructor(job_buckets),
            chat_replies: Family::default(),
            chat_reply_duration: fast_buckets(),
            discord_gateway_connected: Gauge::default(),
            discord_gateway_disconnects: Counter::default(),
            job_failures: Family::default(),
            job_failing_in_a_row: Family::default(),
            token_lockouts: Counter::default(),
            ready: Family::default(),
            registry: Registry::default(),
        };
        // Both failure kinds exist from the start, so a rate over them is defined at zero.
        for kind in ["temporary", "permanent"] {
            let _ = metrics.outbox_failed.get_or_create(&KindLabel { kind });
        }
        let r = &mut registry;
        r.register(
            "outbox_messages",
            "Outbox messages by status, as the dispatcher last counted them",
            metrics.outbox_messages.clone(),
        );
        r.register(
            "outbox_sent",
            "Messages delivered by this process",
            metrics.outbox_sent.clone(),
        );
        r.register(
            "outbox_failed",
            "Failed delivery attempts by kind (temporary: retried; permanent: not)",
            metrics.outbox_failed.clone(),
        );
        r.register(
            "outbox_dead",
            "Messages given up on (dead letters) by this process",
            metrics.outbox_dead.clone(),
        );
        r.register(
            "outbox_send_duration_seconds",
            "Time one delivery attempt took, success or not",
            metrics.outbox_send_duration.clone(),
        );
        r.register(
            "smtp_connections_opened",
            "SMTP sessions opened (the pool reuses them; a rising rate means churn)",
            metrics.smtp_connections_opened.clone(),
        );
        r.register(
            "job_runs",
            "Scheduled job fires run by this process, by job and outcome (ok, error)",
            metrics.job_runs.clone(),
        );
        r.register(
            "job_last_success_timestamp_seconds",
            "When each job last finished without error (Unix time)",
            metrics.job_last_success.clone(),
        );
        r.register(
            "job_duration_seconds",
            "Time one job fire took",
            metrics.job_duration.clone(),
        );
        r.register(
            "chat_replies",
            "Chat requests answered, by reply language and outcome (answered, clarified, unknown, handed-off, command)",
            metrics.chat_replies.clone(),
        );
        r.register(
            "chat_reply_duration_seconds",
            "Time from a chat request to its reply",
            metrics.chat_reply_duration.clone(),
        );
        r.register(
            "discord_gateway_connected",
            "Whether the Discord gateway session is connected (1) or not (0)",
            metrics.discord_gateway_connected.clone(),
        );
        r.register(
            "discord_gateway_disconnects",
            "Discord gateway connections lost since start (each one retried)",
            metrics.discord_gateway_disconnects.clone(),
        );
        r.register(
            "job_failures",
            "Fires of the job that failed or panicked",
            metrics.job_failures.clone(),
        );
        r.register(
            "job_failing_in_a_row",
            "Fires of the job that failed since it last ran well",
            metrics.job_failing_in_a_row.clone(),
        );
        r.register(
            "token_lockouts",
            "Users locked out of company-token entry after too many wrong tokens",
            metrics.token_lockouts.clone(),
        );
        r.register(
            "ready",
            "Whether the database is reachable and migrated",
            metrics.ready.clone(),
        );
        Self {
            registry,
            ..metrics
        }
    }

    /// Counts one finished delivery attempt that failed, and whether the message is now dead.
    pub fn record_failure(&self, temporary: bool, dead: bool) {
        let kind = if temporary { "temporary" } else { "permanent" };
        self.outbox_failed.get_or_create(&KindLabel { kind }).inc();
        if dead {
            self.outbox_dead.inc();
        }
    }

    /// Sets the outbox gauge from a fresh count; statuses missing from `counts` are zero.
    pub fn set_outbox_counts(&self, counts: &[(String, i64)]) {
        for status in ["pending", "sent", "dead"] {
            let n = counts
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            self.outbox_messages
                .get_or_create(&StatusLabel {
                    status: status.to_string(),
                })
                .set(n);
        }
        for (status, n) in counts {
            self.outbox_messages
                .get_or_create(&StatusLabel {
                    status: status.clone(),
                })
                .set(*n);
        }
    }

    /// Records one job fire: its outcome, duration and, when it succeeded, the time.
    pub fn record_job(&self, job: &str, ok: bool, took: Duration, finished_unix: f64) {
        let outcome = if ok { "ok" } else { "error" };
        self.job_runs
            .get_or_create(&JobRunLabels {
                job: job.to_string(),
                outcome,
            })
            .inc();
        let label = JobLabel {
            job: job.to_string(),
        };
        self.job_duration
            .get_or_create(&label)
            .observe(took.as_secs_f64());
        if ok {
            self.job_last_success
                .get_or_create(&label)
                .set(finished_unix);
        } else {
            self.job_failures.get_or_create(&label).inc();
        }
    }

    /// How many fires of `job` failed since it last ran well (`/readyz` turns 503 at 3).
    pub fn set_job_failing_in_a_row(&self, job: &str, failing: u32) {
        self.job_failing_in_a_row
            .get_or_create(&JobLabel {
                job: job.to_string(),
            })
            .set(i64::from(failing));
    }

    /// Records one answered chat request.
    pub fn record_chat(&self, lang: &'static str, outcome: ChatOutcome, took: Duration) {
        self.chat_replies
            .get_or_create(&ChatLabels {
                lang,
                outcome: outcome.label(),
            })
            .inc();
        self.chat_reply_duration.observe(took.as_secs_f64());
    }

    /// The exposition in the OpenMetrics text format (`application/openmetrics-text`), as the
    /// crate writes it.
    pub fn encode_openmetrics(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }

    /// The exposition in Prometheus's text format 0.0.4 (`text/plain`), for scrapers and tools
    /// (`promtool check metrics`) that do not ask for OpenMetrics. The crate writes
    /// OpenMetrics, whose counter family is named without `_total` and which ends in `# EOF`;
    /// in 0.0.4 a family's HELP and TYPE name its samples, so they get the `_total` too.
    pub fn encode_prometheus(&self) -> String {
        let mut body = String::new();
        let _ = prometheus_client::encoding::text::encode_registry(&mut body, &self.registry);
        to_text_format(&body)
    }
}

/// Rewrites an OpenMetrics exposition (without `# EOF`) into text format 0.0.4: the HELP and
/// TYPE lines of counters take the `_total` their samples carry; `# UNIT` lines go.
fn to_text_format(openmetrics: &str) -> String {
    let counters: Vec<&str> = openmetrics
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.strip_suffix(" counter"))
        .collect();
    let mut out = String::with_capacity(openmetrics.len() + 16 * counters.len());
    for line in openmetrics.lines() {
        if line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        let header = ["# HELP ", "# TYPE "]
            .into_iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        match header {
            Some((prefix, rest)) => {
                let name = rest.split(' ').next().unwrap_or_default();
                if counters.contains(&name) {
                    out.push_str(prefix);
                    out.push_str(name);
                    out.push_str("_total");
                    out.push_str(&rest[name.len()..]);
                } else {
                    out.push_str(line);
                }
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

static GLOBAL: LazyLock<Metrics> = LazyLock::new(Metrics::new);

/// The process's metrics.
pub fn global() -> &'static Metrics {
    &GLOBAL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_are_named_with_total_in_the_text_format() {
        let metrics = Metrics::new();
        metrics.outbox_sent.inc();
        let text = metrics.encode_prometheus();
        assert!(text.contains("# TYPE partnerdesk_outbox_sent_total counter\n"));
        assert!(text.contains("# HELP partnerdesk_outbox_sent_total Messages"));
        assert!(text.contains("\npartnerdesk_outbox_sent_total 1\n"));
        assert!(text.contains("# TYPE partnerdesk_outbox_send_duration_seconds histogram\n"));
        assert!(!text.contains("# EOF"));
        let open = metrics.encode_openmetrics();
        assert!(open.contains("# TYPE partnerdesk_outbox_sent counter\n"));
        assert!(open.ends_with("# EOF\n"));
    }
}
