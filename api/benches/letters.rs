//! Voting-code letters: how long printing a batch takes and how big it is.
//! `issueVotingCodes` prints at most 1,000 letters at a time and must fit
//! the request's time budget (10 s) with its database work.
//!
//! ```sh
//! cargo bench -p api --bench letters
//! FAIRSHARE_BENCH_LETTERS=500 cargo bench -p api --bench letters
//! ```
use api::domain::BallotKind;
use api::service::phone::codes::MAX_LETTERS;
use api::service::phone::letters::{csv, pdf, Letter, Words};
use std::time::Instant;

fn main() {
    let n: usize = std::env::var("FAIRSHARE_BENCH_LETTERS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(MAX_LETTERS);
    let words = Words {
        council: "Leeds Demo Council".into(),
        council_cy: "Cyngor Arddangos Leeds".into(),
        round: "Summer Streets 2026".into(),
        round_cy: "Strydoedd yr Haf 2026".into(),
        kind: BallotKind::Approval,
        closes: Some(chrono::Utc::now()),
        sms_number: "07700 900123".into(),
        voice_number: "0113 496 0123".into(),
        help_line: "0113 496 0000".into(),
        web: "https://vote.leeds.example/rounds/2".into(),
        welsh: true,
    };
    let letters: Vec<Letter> = (0..n)
        .map(|i| Letter {
            reference: format!("V{}", 10_000 + i),
            name: Some(format!("Resident Number {i}")),
            address: vec![
                format!("{} Woodhouse Lane", 1 + i % 300),
                "Leeds".into(),
                "LS6 1AB".into(),
            ],
            area: "Hyde Park and Woodhouse".into(),
            area_cy: None,
            code: format!("{:04} {:04} {:04} {:04}", i % 10_000, 1234, 5678, 9012),
        })
        .collect();
    for run in 1..=3 {
        let t = Instant::now();
        let bytes = pdf(&words, &letters).expect("the letters print");
        let pdf_time = t.elapsed();
        let t = Instant::now();
        let text = csv(&words, &letters).expect("the CSV writes");
        let csv_time = t.elapsed();
        println!(
            "run {run}: {n} letters: PDF {:.2} s, {:.1} MB ({:.1} KB a page); CSV {:.0} ms, {:.0} KB",
            pdf_time.as_secs_f64(),
            bytes.len() as f64 / 1e6,
            bytes.len() as f64 / 1e3 / n as f64,
            csv_time.as_secs_f64() * 1e3,
            text.len() as f64 / 1e3,
        );
    }
}
