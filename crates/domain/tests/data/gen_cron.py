#!/usr/bin/env python3
"""Generate cron_fixtures.json: the next 20 fires of standard 5-field crontab
expressions, as independent test data for partnerdesk-domain's schedule module
(tests/cron_fixtures.rs).

Fires come from croniter (PyPI). Each case is also recomputed by a small
brute-force matcher below that implements crontab(5) / vixie-cron literally
(minute hour dom month dow; 0 and 7 are Sunday; when BOTH day-of-month and
day-of-week are restricted - neither field starts with "*" - a day matching
either fires). Where croniter disagrees with that reading of crontab(5),
crontab(5) wins: the fixture keeps the brute-force fires and records
croniter's answer in "croniter_disagrees".

Usage:  python3 -m venv /tmp/pyenv && /tmp/pyenv/bin/pip install croniter
        /tmp/pyenv/bin/python gen_cron.py > cron_fixtures.json
"""
import datetime
import importlib.metadata
import json
import sys
from zoneinfo import ZoneInfo

from croniter import croniter

FIRES = 20

EXPRESSIONS = [
    "* * * * *",
    "*/5 * * * *",
    "0 * * * *",
    "0 9 * * *",
    "0 9 * * 1-5",
    "0 9 * * MON-FRI",
    "0 9 * * mon-fri",
    "30 8 * * Sun",
    "0 0 * * 0",
    "0 0 * * 7",
    "0 12 * * 5-7",
    "0 0 1 * *",
    "0 0 31 * *",
    "0 0 29 2 *",
    "0 0 1,15 * *",
    "0 0 13 * 5",
    "0 0 1 * MON",
    "0 0 */2 * MON",
    "0 0 1-7 * 1",
    "0 0 * 1 1",
    "15 10 * JAN,jul *",
    "0 0 1 jan-mar,oct-DEC *",
    "0 6-18/3 * * *",
    "5-59/15 * * * *",
    "0,30 9-17 * * 1-5",
    "0 9 * * 1,3,5",
    "0 9 * * SAT,sun",
    "59 23 31 12 *",
    "0 0 * * 1-7/2",
    "0 0 * * */2",
    "0 0 * * 0-7",
    "0 0 1 * 0-7",
    "0 0 */10 * *",
    "0 0 1-31/10 * *",
    "0 0 10-20 * 6",
    "0 0 * FEB *",
    "0 0 28-31 2 *",
    "0 0 29 2 1",
    "0 0 31 1,3,5,7,8,10,12 *",
    "*/15 9-17 * * mon-fri",
    "0 0 * * Thu",
    "7 7 7 7 *",
    "0 0 1 */3 *",
    "0 0 1 2-12/2 *",
    "0 */6 * * *",
    "0 1-23/2 * * *",
    "23 0-20/2 * * *",
    "0 22 * * 1-5",
    "1,2,3,58,59 * * * *",
    "0 9 1-7 * MON",
    "0 0 * 12 0",
    "0 0 15 * SUN",
    "0 0 29 * *",
    "0 0 30 * *",
    "45 23 * * 6",
    "0 12 * 6 *",
    "0 0 * * WED-FRI",
    "0 0 1 JUN-AUG 1-5",
    "30 12 */7 * *",
    "0 0 */7 * 1",
    "0 9 * * 5,7",
    "0 18 28-31 * 5",
    "@daily",
    "@hourly",
    "@weekly",
    "@monthly",
    "@yearly",
]

STARTS = [
    "2015-06-30T14:59:59Z",  # 23:59:59 in Tokyo, with seconds
    "2024-02-28T12:00:00Z",  # leap year, exactly on a minute
    "2025-12-31T15:00:00Z",  # exactly 2026-01-01 00:00 in Tokyo
]

ZONES = ["Asia/Tokyo", "UTC"]

NICKNAMES = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def parse_value(text, names, base):
    upper = text.upper()
    if names and upper in names:
        return names.index(upper) + base
    return int(text)


def parse_field(text, lo, hi, names=None, base=0):
    values = set()
    for item in text.split(","):
        step = 1
        if "/" in item:
            item, step_text = item.split("/")
            step = int(step_text)
        if item == "*":
            a, b = lo, hi
        elif "-" in item:
            a_text, b_text = item.split("-")
            a, b = parse_value(a_text, names, base), parse_value(b_text, names, base)
        else:
            a = b = parse_value(item, names, base)
        assert lo <= a <= b <= hi, (text, a, b)
        values.update(range(a, b + 1, step))
    return values


def reference_fires(expr, start_utc, zone, count):
    """crontab(5) literally: scan local days, then hours, then minutes."""
    expr = NICKNAMES.get(expr, expr)
    f = expr.split()
    minutes = parse_field(f[0], 0, 59)
    hours = parse_field(f[1], 0, 23)
    doms = parse_field(f[2], 1, 31)
    months = parse_field(f[3], 1, 12, MONTHS, 1)
    dows = {d % 7 for d in parse_field(f[4], 0, 7, DAYS, 0)}
    either = not f[2].startswith("*") and not f[4].startswith("*")
    tz = ZoneInfo(zone)
    local = start_utc.astimezone(tz)
    day = local.date()
    out = []
    while len(out) < count:
        dow = (day.weekday() + 1) % 7  # Python Monday=0 -> cron Sunday=0
        dom_ok, dow_ok = day.day in doms, dow in dows
        day_ok = (dom_ok or dow_ok) if either else (dom_ok and dow_ok)
        if day.month in months and day_ok:
            for h in sorted(hours):
                for m in sorted(minutes):
                    t = datetime.datetime(day.year, day.month, day.day, h, m, tzinfo=tz)
                    if t > local and len(out) < count:
                        out.append(t)
        day += datetime.timedelta(days=1)
    return out


def croniter_fires(expr, start_utc, zone, count):
    tz = ZoneInfo(zone)
    it = croniter(expr, start_utc.astimezone(tz))
    return [it.get_next(datetime.datetime) for _ in range(count)]


def utc_text(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    cases = []
    disagreements = 0
    for expr in EXPRESSIONS:
        for zone in ZONES:
            for start_text in STARTS:
                start = datetime.datetime.fromisoformat(start_text.replace("Z", "+00:00"))
                ref = [utc_text(t) for t in reference_fires(expr, start, zone, FIRES)]
                try:
                    theirs = [utc_text(t) for t in croniter_fires(expr, start, zone, FIRES)]
                except Exception as e:  # noqa: BLE001 - recorded in the fixture
                    theirs = [f"error: {e}"]
                case = {"expr": expr, "zone": zone, "after": start_text, "fires": ref}
                if theirs != ref:
                    disagreements += 1
                    case["croniter_disagrees"] = theirs
                cases.append(case)
    doc = {
        "generator": "gen_cron.py",
        "croniter_version": importlib.metadata.version("croniter"),
        "note": "fires are UTC; 'croniter_disagrees' holds croniter's answer where it differs "
                "from crontab(5) (the fires field follows crontab(5))",
        "cases": cases,
    }
    json.dump(doc, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    print(f"{len(cases)} cases, {disagreements} where croniter disagrees", file=sys.stderr)


if __name__ == "__main__":
    main()
