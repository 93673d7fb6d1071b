//! The `.pb` reader on damaged input: whatever the bytes, it returns an
//! election or an error naming a line, never panics; and what it reads,
//! the writer writes back to the same election.

use proptest::prelude::*;

const BASE: &str = "META\nkey;value\nbudget;1000\nvote_type;cumulative\nmax_length;3\n\
PROJECTS\nproject_id;cost;name\n1;300;\"Park; benches\"\n2;450,5;Library\nx9;200;Łąka\n\
VOTES\nvoter_id;vote;points;age;district\nv1;1,2;3,1;42;Wola\nv2;x9;5; 31 ;\"Praga; Północ\"\n\
v3;2,1,x9;1,1,1;;Ursynów\n";

/// Pieces that exercise the reader's special cases.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(";".to_string()),
        Just("\"".to_string()),
        Just("\r".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just(",".to_string()),
        Just("ó".to_string()),
        Just("\u{feff}".to_string()),
        Just("VOTES\n".to_string()),
        Just("PROJECTS\n".to_string()),
        Just("99999999999999999999".to_string()),
        Just("1.5".to_string()),
        "[a-z0-9 ]{0,3}",
    ]
}

/// `BASE` with pieces inserted and ranges deleted, at char boundaries.
fn damaged() -> impl Strategy<Value = String> {
    prop::collection::vec((any::<prop::sample::Index>(), piece(), 0usize..4), 1..6).prop_map(
        |edits| {
            let mut s = BASE.to_string();
            for (at, ins, del) in edits {
                let bounds: Vec<usize> =
                    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
                let k = at.index(bounds.len());
                let start = bounds[k];
                let end = bounds[(k + del).min(bounds.len() - 1)];
                s.replace_range(start..end, &ins);
            }
            s
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn damaged_files_read_or_fail_cleanly(text in damaged()) {
        match tally::pb::parse(&text) {
            Ok(e) => {
                let again = tally::pb::parse(&tally::pb::write(&e));
                prop_assert_eq!(again.as_ref().ok(), Some(&e), "{:?}", again.as_ref().err());
            }
            Err(err) => {
                let lines = text.split('\n').count();
                prop_assert!(err.line <= lines, "line {} of {}: {}", err.line, lines, err);
                prop_assert!(!err.message.is_empty());
            }
        }
    }
}

#[test]
fn the_undamaged_file_reads() {
    let e = tally::pb::parse(BASE).expect("parses");
    assert_eq!(e.ballots.len(), 3);
    assert_eq!(
        tally::pb::parse(&tally::pb::write(&e)).expect("reparses"),
        e
    );
}
