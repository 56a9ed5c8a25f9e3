//! The 5-field evaluator against fires generated independently with Python croniter
//! (tests/data/cron_fixtures.json, made by tests/data/gen_cron.py). Where croniter departs
//! from crontab(5) the fixture follows crontab(5) and records croniter's answer in
//! `croniter_disagrees`; this test checks that such cases are exactly the known ones.

use chrono::{DateTime, Utc};
use partnerdesk_domain::{parse_zone, Schedule};
use serde::Deserialize;

const FIXTURES: &str = include_str!("data/cron_fixtures.json");

#[derive(Deserialize)]
struct Fixtures {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    expr: String,
    zone: String,
    after: String,
    fires: Vec<String>,
    #[serde(default)]
    croniter_disagrees: Option<Vec<String>>,
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .with_timezone(&Utc)
}

#[test]
fn next_fires_match_croniter_fixtures() {
    let fixtures: Fixtures = serde_json::from_str(FIXTURES).expect("fixture JSON");
    assert!(fixtures.cases.len() >= 300, "fixtures look truncated");
    let mut failures = Vec::new();
    let mut exprs = std::collections::BTreeSet::new();
    for case in &fixtures.cases {
        exprs.insert(case.expr.as_str());
        let schedule = Schedule::parse(&case.expr).unwrap_or_else(|e| panic!("{e}"));
        let zone = parse_zone(&case.zone).expect("fixture zone");
        let ours: Vec<String> = schedule
            .upcoming(utc(&case.after), zone)
            .take(case.fires.len())
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .collect();
        if ours != case.fires {
            failures.push(format!(
                "{:?} in {} after {}:\n  ours     {:?}\n  expected {:?}",
                case.expr, case.zone, case.after, ours, case.fires
            ));
        }
    }
    assert!(exprs.len() >= 60, "only {} expressions", exprs.len());
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn croniter_disagrees_only_on_star_step_day_of_month_with_day_of_week() {
    // croniter ORs day-of-month and day-of-week whenever neither is literally "*"; vixie-cron
    // (and crontab(5)) only when neither field *starts with* "*", so "*/2" with a weekday
    // means both must match.
    let fixtures: Fixtures = serde_json::from_str(FIXTURES).expect("fixture JSON");
    let disagreeing: std::collections::BTreeSet<&str> = fixtures
        .cases
        .iter()
        .filter(|c| c.croniter_disagrees.is_some())
        .map(|c| c.expr.as_str())
        .collect();
    assert_eq!(
        disagreeing.into_iter().collect::<Vec<_>>(),
        ["0 0 */2 * MON", "0 0 */7 * 1"]
    );
}
