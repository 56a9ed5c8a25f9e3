//! Matcher speed: one classification (target < 1 ms) and start-up (`Matcher::new`, target
//! < 100 ms). Run: `cargo bench -p partnerdesk-knowledge --bench matcher`; criterion prints the
//! estimate (median) per iteration.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use partnerdesk_knowledge::{extract_date, Matcher};

const QUESTIONS: &[(&str, &str)] = &[
    ("ja_token", "会社トークンはどこで入手できますか？"),
    ("ja_halfwidth", "ﾄｰｸﾝを入力したあとはどうなりますか"),
    (
        "ja_renewal_date",
        "更新日が2015年8月15日の契約はどうすればいいですか",
    ),
    (
        "en_pwcs",
        "What are the PWCS business hours and phone number?",
    ),
    (
        "en_typo",
        "where do i enter the compnay tokne for my colleage",
    ),
    ("en_unknown", "What's the weather like in Tokyo tomorrow?"),
];

fn bench(c: &mut Criterion) {
    c.bench_function("matcher_new", |b| b.iter(|| black_box(Matcher::new())));

    let m = Matcher::new();
    let mut group = c.benchmark_group("classify");
    for (name, q) in QUESTIONS {
        group.bench_function(*name, |b| b.iter(|| black_box(m.classify(black_box(q)))));
    }
    let long = "PartnerWorld のご登録について ".repeat(400);
    group.bench_function("10kb_text", |b| {
        b.iter(|| black_box(m.classify(black_box(&long))))
    });
    group.finish();

    c.bench_function("analyze_with_date", |b| {
        b.iter(|| black_box(m.analyze(black_box("Our renewal date is Aug 15, 2015. What now?"))))
    });
    let now = chrono::NaiveDate::from_ymd_opt(2026, 6, 16)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap_or_default();
    c.bench_function("read_asked", |b| {
        b.iter(|| {
            black_box(partnerdesk_knowledge::read_asked(
                black_box("12月30日の10時に電話できますか？"),
                now,
            ))
        })
    });
    c.bench_function("extract_date", |b| {
        b.iter(|| {
            black_box(extract_date(black_box(
                "請求書の日付は２０１５年６月２０日です",
            )))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
