//! Prints how the matcher reads each argument (or each stdin line): parts, topic, confidence,
//! coverage and the top blended scores. `cargo run -p partnerdesk-knowledge --example why -- "質問"`
use partnerdesk_knowledge::Matcher;

fn main() {
    let m = Matcher::new();
    let args: Vec<String> = std::env::args().skip(1).collect();
    for q in args {
        let u = m.understand(&q, None);
        println!("{q}");
        for p in &u.parts {
            let c = p.classification;
            println!(
                "  [{}] {} conf {:.2} cov {:.2} score {:.2} runner {:?} amb {}",
                p.text, c.topic, c.confidence, c.coverage, c.score, c.runner_up, c.ambiguous
            );
        }
        let s = m.scores(&q);
        let top: Vec<String> = s
            .ranked
            .iter()
            .take(4)
            .map(|(t, s)| format!("{t}={s:.2}"))
            .collect();
        println!("  {}", top.join(" "));
    }
}
