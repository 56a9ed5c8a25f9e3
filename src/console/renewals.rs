//! The renewal pipeline: open and quoted contracts by the week their action deadline falls in
//! (the renewal-window rule, `RenewalPolicy::reminder_deadline`), by window and by sales rep,
//! with an inline SVG chart of deadlines per week stacked by window. The store counts by day
//! and rep in one indexed range scan; this file folds the days into weeks.

use std::collections::BTreeMap;

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{Datelike, Duration, NaiveDate};
use fluent_bundle::FluentValue;
use maud::{html, Markup};
use partnerdesk_domain::renewal::RenewalWindow;
use serde::Deserialize;

use super::auth::Visit;
use super::lang::{t, ta};
use super::page::{internal_error, layout, ok, Signed};
use super::state::ConsoleState;
use crate::i18n::Locale;
use crate::store::StoreResult;

pub const WINDOWS: [RenewalWindow; 3] = [
    RenewalWindow::BeforeCutover,
    RenewalWindow::Transition,
    RenewalWindow::AfterTransition,
];

/// The chart's colour of each window.
fn colour(window: RenewalWindow) -> &'static str {
    match window {
        RenewalWindow::BeforeCutover => "#c0504d",
        RenewalWindow::Transition => "#f2a93b",
        RenewalWindow::AfterTransition => "#1f6fb5",
    }
}

/// One group of contracts: deadline, window, rep, status, how many.
#[derive(Debug, Clone)]
pub struct Deadlines {
    pub deadline: NaiveDate,
    pub window: RenewalWindow,
    pub rep_email: String,
    pub rep_name: String,
    pub status: String,
    pub count: i64,
}

/// Open and quoted contracts whose current action deadline (`RenewalPolicy::action_on`) is in
/// `[from, to]`, optionally one rep's.
pub async fn pipeline(
    state: &ConsoleState,
    from: NaiveDate,
    to: NaiveDate,
    rep: Option<&str>,
) -> StoreResult<Vec<Deadlines>> {
    let policy = &state.0.scheduler.context.renewal;
    let config = policy.config();
    let zone = state.0.scheduler.context.calendar.zone();
    let today = state.0.clock.now().with_timezone(&zone).date_naive();
    let mut ranges = vec![(from, to)];
    // Renewal dates after the early-renewal deadline up to the end of the transition window
    // may have that deadline as their current action: read them too when it is in range.
    if (from..=to).contains(&config.early_renewal_deadline) {
        if let (Some(first), last) = (
            config.early_renewal_deadline.succ_opt(),
            config.transition_end,
        ) {
            if first <= last && !(first >= from && last <= to) {
                ranges.push((first, last));
            }
        }
    }
    let rows = state.0.store.renewal_pipeline(&ranges, rep).await?;
    let mut seen = std::collections::HashSet::new();
    Ok(rows
        .into_iter()
        .filter(|r| seen.insert((r.renewal_date, r.sales_rep_email.clone(), r.status.clone())))
        .map(|r| Deadlines {
            deadline: policy.action_on(r.renewal_date, today).deadline,
            window: policy.window(r.renewal_date),
            rep_email: r.sales_rep_email,
            rep_name: r.sales_rep_name,
            status: r.status,
            count: r.count,
        })
        .filter(|d| d.deadline >= from && d.deadline <= to)
        .collect())
}

/// Counts per window.
pub fn by_window(rows: &[Deadlines]) -> BTreeMap<&'static str, i64> {
    let mut counts: BTreeMap<&'static str, i64> = WINDOWS.iter().map(|w| (w.code(), 0)).collect();
    for row in rows {
        *counts.entry(row.window.code()).or_default() += row.count;
    }
    counts
}

/// The Monday of `date`'s week.
pub fn week_start(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// The longest pipeline the page shows: a quarter. Folding more weeks of a million contracts
/// took the page past its 50 ms budget (BENCHMARKS.md).
pub const MAX_WEEKS: i64 = 13;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RenewalQuery {
    pub weeks: Option<i64>,
    pub rep: String,
}

pub async fn page(
    State(state): State<ConsoleState>,
    visit: Visit,
    Query(query): Query<RenewalQuery>,
) -> Response {
    let op = match visit.operator() {
        Ok(op) => op,
        Err(redirect) => return redirect,
    };
    let l = visit.locale;
    let zone = state.0.scheduler.context.calendar.zone();
    let today = state.0.clock.now().with_timezone(&zone).date_naive();
    // Up to half a year: a page stays one short index range scan (BENCHMARKS.md).
    let weeks = query.weeks.unwrap_or(12).clamp(1, MAX_WEEKS);
    let from = week_start(today);
    let to = from + Duration::days(weeks * 7 - 1);
    let rep = Some(query.rep.trim().to_lowercase()).filter(|r| !r.is_empty());
    let rows = match pipeline(&state, from, to, rep.as_deref()).await {
        Ok(rows) => rows,
        Err(e) => return internal_error(l, &e),
    };
    // Per week and window; per rep and window.
    let mut weekly: BTreeMap<NaiveDate, [i64; 3]> = (0..weeks)
        .map(|w| (from + Duration::days(w * 7), [0; 3]))
        .collect();
    let mut reps: BTreeMap<(String, String), [i64; 4]> = BTreeMap::new();
    for row in &rows {
        let slot = WINDOWS.iter().position(|w| *w == row.window).unwrap_or(2);
        if let Some(week) = weekly.get_mut(&week_start(row.deadline)) {
            week[slot] += row.count;
        }
        let rep_row = reps
            .entry((row.rep_name.clone(), row.rep_email.clone()))
            .or_insert([0; 4]);
        rep_row[slot] += row.count;
        if row.status == "quoted" {
            rep_row[3] += row.count;
        }
    }
    let totals = by_window(&rows);
    let body = html! {
        form method="get" action="/console/renewals" id="renewal-filter" {
            label { (t(l, "console-renewals-weeks")) " "
                input type="number" name="weeks" min="1" max=(MAX_WEEKS) value=(weeks);
            }
            " "
            label { (t(l, "console-renewals-rep")) " "
                input type="text" name="rep" value=(rep.clone().unwrap_or_default());
            }
            " "
            button type="submit" { (t(l, "console-filter")) }
        }
        p { (ta(l, "console-renewals-range", &[("from", FluentValue::from(from.to_string())), ("to", FluentValue::from(to.to_string()))])) }
        (chart(l, &weekly))
        h2 { (t(l, "console-renewals-by-window")) }
        table id="renewal-windows" {
            tr { @for w in WINDOWS { th { (t(l, &format!("console-window-{}", w.code()))) } } }
            tr { @for w in WINDOWS { td.num data-window=(w.code()) { (totals.get(w.code()).copied().unwrap_or(0)) } } }
        }
        h2 { (t(l, "console-renewals-by-rep")) }
        @if reps.is_empty() { p.muted { (t(l, "console-none")) } }
        @else {
            table id="renewal-reps" {
                thead { tr {
                    th { (t(l, "console-renewals-rep")) }
                    @for w in WINDOWS { th { (t(l, &format!("console-window-{}", w.code()))) } }
                    th { (t(l, "console-renewals-quoted")) }
                } }
                tbody {
                    @for ((name, email), counts) in &reps {
                        tr {
                            td { a href={ "/console/renewals?weeks=" (weeks) "&rep=" (email) } { (name) } br; span.muted { (email) } }
                            @for count in &counts[..3] { td.num { (count) } }
                            td.num { (counts[3]) }
                        }
                    }
                }
            }
        }
    };
    ok(layout(
        l,
        &t(l, "console-nav-renewals"),
        "/console/renewals",
        Some(Signed {
            ibm_id: &op.ibm_id,
            csrf: &op.csrf_token,
        }),
        body,
    ))
}

/// One stacked segment of a bar: y, height, window, count.
type Segment = (f64, f64, RenewalWindow, i64);
/// One week's bar: x, the week's Monday, its total, its segments from the axis up.
type Bar = (f64, NaiveDate, i64, Vec<Segment>);

/// Deadlines per week as an inline SVG bar chart, stacked by window, with a legend; every bar
/// has a `<title>` (the browser's tooltip) and `data-` attributes for tests.
pub fn chart(l: Locale, weekly: &BTreeMap<NaiveDate, [i64; 3]>) -> Markup {
    let (width, height, left, bottom, top) = (760.0_f64, 260.0_f64, 48.0_f64, 40.0_f64, 16.0_f64);
    let max = weekly
        .values()
        .map(|w| w.iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let slots = weekly.len().max(1) as f64;
    let slot = (width - left - 8.0) / slots;
    let bar = (slot * 0.7).max(2.0);
    let plot = height - bottom - top;
    let label = t(l, "console-renewals-chart");
    let bars: Vec<Bar> = weekly
        .iter()
        .enumerate()
        .map(|(i, (week, counts))| {
            let x = left + 4.0 + i as f64 * slot;
            let mut base = height - bottom;
            let stack = counts
                .iter()
                .enumerate()
                .filter(|(_, count)| **count > 0)
                .map(|(k, count)| {
                    let h = (*count as f64 / max) * plot;
                    base -= h;
                    (base, h, WINDOWS[k], *count)
                })
                .collect();
            (x, *week, counts.iter().sum(), stack)
        })
        .collect();
    html! {
        svg id="renewal-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-label=(label)
            width=(width) height=(height + 24.0) viewBox={ "0 0 " (width) " " (height + 24.0) } {
            title { (label) }
            line x1=(left) y1=(top) x2=(left) y2=(height - bottom) stroke="#888" {}
            line x1=(left) y1=(height - bottom) x2=(width - 8.0) y2=(height - bottom) stroke="#888" {}
            text x=(left - 6.0) y=(top + 4.0) text-anchor="end" font-size="11" { (max as i64) }
            text x=(left - 6.0) y=(height - bottom) text-anchor="end" font-size="11" { "0" }
            @for (x, week, total, stack) in &bars {
                g.week data-week=(week.to_string()) data-count=(total) {
                    title { (ta(l, "console-renewals-chart-week", &[("week", FluentValue::from(week.to_string())), ("count", FluentValue::from(*total))])) }
                    @for (y, h, window, count) in stack {
                        rect x=(format!("{x:.1}")) y=(format!("{y:.1}")) width=(format!("{bar:.1}")) height=(format!("{h:.1}"))
                            fill=(colour(*window)) data-window=(window.code()) data-count=(count) {}
                    }
                    text x=(format!("{:.1}", x + bar / 2.0)) y=(height - bottom + 14.0) text-anchor="middle" font-size="10" {
                        (week.format("%m/%d").to_string())
                    }
                }
            }
            @for (i, w) in WINDOWS.iter().enumerate() {
                rect x=(left + i as f64 * 200.0) y=(height + 6.0) width="12" height="12" fill=(colour(*w)) {}
                text x=(left + 16.0 + i as f64 * 200.0) y=(height + 16.0) font-size="12" { (t(l, &format!("console-window-{}", w.code()))) }
            }
        }
    }
}
