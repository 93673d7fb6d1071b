//! BLT reading, tie reporting, the JSON API and properties of the ranked
//! counts.

use serde_json::Value;
use sha2::{Digest, Sha256};
use tally::ranked::{
    count_blt_json, count_blt_json_with, count_irv, count_stv_scottish, parse_blt, Ballot,
    BltElection, IrvConfig, LotOrder, RankedError, RankedRule, StvConfig, TieDecision, TieMethod,
};

/// Data-driven check of a parse error: `input` must fail with `expect`.
fn check_error(input: &str, expect: &str) {
    match parse_blt(input) {
        Ok(e) => panic!("expected error {expect:?}, parsed {e:?}"),
        Err(e) => assert_eq!(e.to_string(), expect, "input {input:?}"),
    }
}

#[test]
fn malformed_lines_are_errors_naming_the_line() {
    let cases = [
        ("", "line 1: the file is empty: expected a line with the number of candidates and seats"),
        ("3\n", "line 1: expected the number of candidates and the number of seats, found \"3\""),
        ("3 x\n", "line 1: the number of seats must be a whole number, found \"x\""),
        ("3 4\n", "line 1: the number of seats must be between 1 and the number of candidates (3)"),
        ("0 1\n", "line 1: the number of candidates must be between 1 and 10000"),
        ("3 0\n", "line 1: the number of seats must be between 1 and the number of candidates (3)"),
        ("99999999999999999999 1\n", "line 1: the number of candidates 99999999999999999999 is too large"),
        ("2 1\n1 1 2\n0\nA\nB\n", "line 2: a ballot line must end with 0, found \"2\""),
        ("2 1\n1 1 3 0\n0\nA\nB\n", "line 2: candidate number 3 is out of range (1 to 2)"),
        ("2 1\n1 1 1 0\n0\nA\nB\n", "line 2: candidate 1 is ranked twice"),
        ("2 1\n1.5 1 0\n0\nA\nB\n", "line 2: the ballot weight must be a whole number, found \"1.5\" (a whole number is needed)"),
        ("2 1\n1 1=2 0\n0\nA\nB\n", "line 2: equal preferences (\"1=2\") are not allowed"),
        ("2 1\n1 1 0 2 0\n0\nA\nB\n", "line 2: 0 may only end the ballot line"),
        ("2 1\n1\n0\nA\nB\n", "line 2: a ballot line needs preferences ending with 0 after its weight"),
        ("2 1\n1 1 0\n-2\n0\nA\nB\n", "line 3: withdrawn candidates must be listed before the first ballot"),
        ("2 1\n-5\n1 1 0\n0\nA\nB\n", "line 2: candidate number 5 is out of range (1 to 2)"),
        ("2 1\n1 1 0\n", "line 2: the file ends before the 0 line that closes the ballots"),
        ("2 1\n1 1 0\n0\nA\n", "line 4: expected 2 candidate names after the ballots, found 1"),
        ("2 1\n1 1 0\n0\n\"A\nB\n", "line 4: quoted name has no closing quote"),
        ("2 1\n1 1 0\n0\n\"A\" x\nB\n", "line 4: unexpected text \"x\" after the closing quote"),
        ("2 1\n1 1 0\n0\nA\nA\n", "line 5: two candidates are both named \"A\""),
        ("2 1\n1 1 0\n0\n\"\"\nB\n", "line 4: candidate 1 has an empty name"),
        ("2 1\n1 1 0\n0\nA\nB\nT\nextra\n", "line 7: unexpected line after the 2 candidate names and the title"),
        ("2 1\nabc\n0\nA\nB\n", "line 2: the ballot weight must be a whole number, found \"abc\""),
    ];
    for (input, expect) in cases {
        check_error(input, expect);
    }
}

#[test]
fn tolerates_bom_crlf_comments_withdrawn_and_quotes() {
    let text = "\u{feff}# exported 2022\r\n4 2\r\n\r\n-4\r\n3 1 2 0 # three papers\r\n2 2 3 0\r\n1 4 3 0\r\n0\r\n\"Ann \"\"Nan\"\" Smith\"\r\n\"Bob\" \"Party\"\r\nCarol Jones\r\n\"Dan\"\r\n\"Ward 1\"\r\n";
    let e = parse_blt(text).expect("parses");
    assert_eq!(
        e.candidates(),
        ["Ann \"Nan\" Smith", "Bob", "Carol Jones", "Dan"]
    );
    assert_eq!(e.seats(), 2);
    assert_eq!(e.withdrawn(), [3]);
    assert_eq!(e.title(), Some("Ward 1"));
    assert_eq!(e.ballots().len(), 3);
    assert_eq!(e.ballots()[0].papers(), 3);
    assert_eq!(e.ballots()[2].preferences(), [3, 2]);
}

#[test]
fn reads_spreadsheet_commas_and_alternative_name_comments() {
    let commas = "2 1,\n5 1 0,\n3 2 1 0,\n0,\nAnn SMITH,\nBob,JONES\nWard 9,\n";
    let e = parse_blt(commas).expect("parses");
    assert_eq!(e.candidates(), ["Ann SMITH", "Bob,JONES"]);
    assert_eq!(e.title(), Some("Ward 9"));
    let alt = "2 1\n5 1 0\n0\n# ALTERNATIVE NAME 1: Ann (Ind)\n# ALTERNATIVE NAME 2: Bob (Lab)\nCalton ward";
    let e = parse_blt(alt).expect("parses");
    assert_eq!(e.candidates(), ["Ann (Ind)", "Bob (Lab)"]);
    assert_eq!(e.title(), Some("Calton ward"));
}

/// A tiny deterministic generator (xorshift64*), so the properties below
/// need no extra dependency and always test the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

fn random_election(rng: &mut Rng) -> BltElection {
    let n = 2 + rng.below(7) as usize;
    let seats = 1 + rng.below(n as u64 - 1) as usize;
    let lines = 1 + rng.below(25);
    let mut ballots = Vec::new();
    for _ in 0..lines {
        let mut prefs: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut prefs);
        prefs.truncate(1 + rng.below(n as u64) as usize);
        // Small weights make equal totals, hence ties, common.
        ballots.push(Ballot::new(1 + rng.below(6), prefs));
    }
    let names = (0..n).map(|c| format!("C{c}")).collect();
    BltElection::new(names, seats, Vec::new(), ballots, None).expect("valid election")
}

#[test]
fn results_do_not_depend_on_ballot_order_or_grouping() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut ties_seen = 0;
    for _ in 0..400 {
        let election = random_election(&mut rng);
        let stv = count_stv_scottish(&election, &StvConfig::default());
        let irv = count_irv(&election, &IrvConfig::default());
        ties_seen += stv.ties.len();
        // Shuffle the lines and split some of them into two lines: the same
        // ballot papers in another order and grouping.
        let mut ballots = Vec::new();
        for b in election.ballots() {
            let papers = b.papers();
            let part = rng.below(papers + 1);
            for p in [part, papers - part] {
                if p > 0 {
                    ballots.push(Ballot::new(p, b.preferences().to_vec()));
                }
            }
        }
        rng.shuffle(&mut ballots);
        let again = election.with_ballots(ballots).expect("valid");
        assert_eq!(count_stv_scottish(&again, &StvConfig::default()), stv);
        assert_eq!(count_irv(&again, &IrvConfig::default()), irv);
    }
    assert!(
        ties_seen > 50,
        "the generator should produce ties ({ties_seen})"
    );
}

#[test]
fn counts_conserve_votes_and_fill_the_seats() {
    let mut rng = Rng(77);
    for _ in 0..400 {
        let election = random_election(&mut rng);
        let out = count_stv_scottish(&election, &StvConfig::default());
        assert_eq!(out.selected.len(), election.seats());
        let total = out.valid_papers * 100_000;
        for stage in &out.rounds {
            let sum: u64 = stage.votes.iter().map(|v| v.units()).sum::<u64>()
                + stage.non_transferable.units()
                + stage.loss_by_truncation.units();
            assert_eq!(sum, total, "stage {} conserves the votes", stage.stage);
        }
    }
}

#[test]
fn exclusion_tie_by_lot_is_reported_with_the_lot_order() {
    // Quota 5. A and B both have 2 first preferences, C has 4: A or B is
    // excluded by lot, and their papers elect C.
    let text = "3 1\n2 1 3 0\n2 2 3 0\n4 3 0\n0\nA\nB\nC\n";
    let election = parse_blt(text).expect("parses");
    for lot in [
        LotOrder::FileOrder,
        LotOrder::Seeded { seed: 0 },
        LotOrder::Seeded { seed: 1 },
    ] {
        let out = count_stv_scottish(&election, &StvConfig { lot });
        let tie = &out.ties[0];
        assert_eq!(tie.decision, TieDecision::Exclusion);
        assert_eq!(tie.method, TieMethod::Lot);
        assert_eq!(tie.candidates, ["A", "B"]);
        assert_eq!(tie.lot_among, ["A", "B"]);
        // The one drawn first in the published order is excluded.
        let first = out
            .lot_order
            .iter()
            .find(|n| *n == "A" || *n == "B")
            .expect("in lot order");
        assert_eq!(&tie.chosen, first);
        assert_eq!(out.selected, ["C"]);
    }
}

#[test]
fn exclusion_tie_by_history_names_the_stage() {
    // Quota 7. Stage 1: A 5, B 4, C 3, D 1; D is excluded and their paper
    // goes to C. Stage 2: B 4, C 4, tied; at stage 1 C had fewer, so C is
    // excluded (rule 51(2)(a)).
    let text = "4 1\n5 1 0\n4 2 0\n3 3 0\n1 4 3 0\n0\nA\nB\nC\nD\n";
    let out = count_stv_scottish(&parse_blt(text).expect("parses"), &StvConfig::default());
    let tie = out
        .ties
        .iter()
        .find(|t| t.decision == TieDecision::Exclusion)
        .expect("a tie");
    assert_eq!(tie.candidates, ["B", "C"]);
    assert_eq!(tie.method, TieMethod::History);
    assert_eq!(tie.history_stages, [1]);
    assert_eq!(tie.chosen, "C");
}

#[test]
fn irv_elects_by_majority_of_continuing_papers() {
    // Round 1: A 4, B 3, C 2 -> C out (papers to B): A 4, B 5 -> B wins.
    let text = "3 1\n4 1 0\n3 2 0\n2 3 2 0\n0\nA\nB\nC\n";
    let out = count_irv(&parse_blt(text).expect("parses"), &IrvConfig::default());
    assert_eq!(out.selected, ["B"]);
    assert_eq!(out.rounds.len(), 2);
    assert_eq!(out.rounds[0].votes, [4, 3, 2]);
    assert_eq!(out.rounds[1].votes, [4, 5, 0]);
    assert!(out.ties.is_empty());
}

#[test]
fn json_api_has_the_contract_fields() {
    let text = "3 2\r\n4 1 2 0\r\n3 2 0\r\n2 3 1 0\r\n0\r\n\"A\"\r\n\"B\"\r\n\"C\"\r\n\"T\"\r\n";
    let json = count_blt_json(text, "stv-scottish").expect("counts");
    let v: Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["rule"], "stv-scottish");
    assert_eq!(v["selected"], serde_json::json!(["A", "B"]));
    assert!(v["ties"].is_array());
    assert!(v["rounds"].is_array());
    assert_eq!(
        v["input_sha256"],
        hex::encode(Sha256::digest(text.as_bytes()))
    );
    let config = serde_json::to_string(&v["rule_config"]).expect("JSON");
    assert_eq!(
        v["rule_sha256"],
        hex::encode(Sha256::digest(config.as_bytes()))
    );
    assert_eq!(v["rule_config"]["lot"]["kind"], "seeded");
    // Deterministic, byte for byte.
    assert_eq!(count_blt_json(text, "stv-scottish").expect("counts"), json);

    let irv = count_blt_json(text, "irv").expect("counts");
    let v: Value = serde_json::from_str(&irv).expect("JSON");
    assert_eq!(v["rule"], "irv");
    assert_eq!(v["selected"], serde_json::json!(["A"]));

    let file_order = RankedRule::StvScottish(StvConfig {
        lot: LotOrder::FileOrder,
    });
    let other = count_blt_json_with(text, &file_order).expect("counts");
    assert_ne!(other, json, "the rule configuration is part of the output");

    let err = count_blt_json(text, "meek").expect_err("unknown rule");
    assert!(matches!(err, RankedError::UnknownRule(_)));
    assert_eq!(
        err.to_string(),
        "unknown ranked-ballot rule \"meek\" (expected one of: stv-scottish, irv)"
    );
    let err = count_blt_json("2 1\n1 1 9 0\n", "irv").expect_err("bad input");
    assert_eq!(
        err.to_string(),
        "line 2: candidate number 9 is out of range (1 to 2)"
    );
}

#[test]
fn never_panics_on_mangled_input() {
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/blt/weak-surplus.blt"),
    )
    .expect("fixture");
    let alphabet: Vec<char> = "0123456789 -\"#=,\r\n\u{feff}xé".chars().collect();
    let mut rng = Rng(99);
    for _ in 0..3000 {
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(chars.len() as u64) as usize;
            match rng.below(3) {
                0 => chars[i] = alphabet[rng.below(alphabet.len() as u64) as usize],
                1 => {
                    chars.remove(i);
                }
                _ => chars.truncate(i),
            }
            if chars.is_empty() {
                break;
            }
        }
        let text: String = chars.into_iter().collect();
        for rule in ["stv-scottish", "irv"] {
            // Either a result or an error; both are fine, a panic is not.
            let _ = count_blt_json(&text, rule);
        }
    }
}
