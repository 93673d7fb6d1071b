//! A correction's excluded projects: the ballots file stays as sealed,
//! the configuration names the projects left out, and the count is byte
//! for byte the count of the file with those projects removed by hand.

use serde_json::{json, Value};
use tally::bundle::{count_pot, count_pots, RuleSpec};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/pabulib")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn spec(name: &str, excluded: &[&str]) -> RuleSpec {
    RuleSpec {
        name: name.into(),
        tie_break: "cost-support-seed:2024".into(),
        seats: name.ends_with("stv-scottish").then_some(3),
        excluded: excluded.iter().map(|s| s.to_string()).collect(),
        ..RuleSpec::default()
    }
}

/// The file as an editor would leave it after deleting the projects `ids`:
/// their rows under PROJECTS go, and each vote loses them (and their
/// points), keeping the rest in order. Works on the line text alone.
fn removed_by_hand(text: &str, ids: &[&str]) -> String {
    // Quoted names are kept as they are: none of the fixtures quotes a `;`.
    assert!(text
        .lines()
        .all(|l| l.split('"').skip(1).step_by(2).all(|q| !q.contains(';'))));
    let mut out = String::new();
    let mut section = "";
    let (mut vote_col, mut points_col) = (usize::MAX, None);
    let mut header = false;
    for line in text.lines() {
        let upper = line.trim().to_ascii_uppercase();
        if ["META", "PROJECTS", "VOTES"].contains(&upper.as_str()) {
            section = if upper == "PROJECTS" {
                "projects"
            } else if upper == "VOTES" {
                "votes"
            } else {
                "meta"
            };
            header = true;
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let mut fields: Vec<String> = line.split(';').map(str::to_owned).collect();
        if header {
            header = false;
            if section == "votes" {
                vote_col = fields.iter().position(|f| f == "vote").expect("vote");
                points_col = fields.iter().position(|f| f == "points");
            }
        } else if section == "projects" && ids.contains(&fields[0].as_str()) {
            continue;
        } else if section == "votes" {
            let votes: Vec<&str> = fields[vote_col].split(',').collect();
            let points: Option<Vec<&str>> = points_col.map(|c| fields[c].split(',').collect());
            let keep: Vec<usize> = (0..votes.len())
                .filter(|&k| !votes[k].is_empty() && !ids.contains(&votes[k]))
                .collect();
            let vote = keep.iter().map(|&k| votes[k]).collect::<Vec<_>>().join(",");
            if let (Some(c), Some(p)) = (points_col, points) {
                fields[c] = keep.iter().map(|&k| p[k]).collect::<Vec<_>>().join(",");
            }
            fields[vote_col] = vote;
        }
        out.push_str(&fields.join(";"));
        out.push('\n');
    }
    out
}

fn selected(result: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(result).expect("JSON");
    v["selected"]
        .as_array()
        .expect("selected")
        .iter()
        .map(|p| p.as_str().expect("an id").to_owned())
        .collect()
}

#[test]
fn excluded_projects_count_as_the_file_without_them() {
    for (file, rule) in [
        ("Poland_Wieliczka_2023_Green_Budget.pb", "mes-add1"),
        ("Netherlands_Assen_2024.pb", "mes"),
        ("Netherlands_Assen_2024.pb", "phragmen"),
        ("Poland_Czestochowa_2024_Podjasnogorska.pb", "greedy"),
        ("Poland_Czestochowa_2024_Podjasnogorska.pb", "mes"),
        ("Poland_Krakow_2019_Bienczyce.pb", "borda"),
        ("Poland_Krakow_2019_Bienczyce.pb", "stv-scottish"),
        ("Poland_Krakow_2019_Bienczyce.pb", "irv"),
        ("Poland_Wroclaw_2017_Rejon_nr_11_250.pb", "greedy"),
    ] {
        let text = fixture(file);
        let whole = count_pot(&spec(rule, &[]), &text).expect("counts");
        // Leave out what the rule funded first, and for a second count
        // also the last project it funded.
        let funded = selected(&whole);
        let first = funded[0].as_str();
        let last = funded[funded.len() - 1].as_str();
        for ids in [vec![first], vec![last, first]] {
            let ours = count_pot(&spec(rule, &ids), &text).expect("counts with exclusions");
            let by_hand = count_pot(&spec(rule, &[]), &removed_by_hand(&text, &ids))
                .expect("counts the edited file");
            assert_eq!(ours, by_hand, "{file}, {rule}, without {ids:?}");
            assert_ne!(ours, whole, "{file}, {rule}");
            assert!(
                selected(&ours).iter().all(|p| !ids.contains(&p.as_str())),
                "{file}, {rule}"
            );
        }
    }
}

#[test]
fn a_ballot_keeps_its_other_choices_in_order_with_their_points() {
    let text = "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;30\nb;40\nc;50\nVOTES\nvoter_id;vote;points\nv1;c,b,a;1,2,3\nv2;b;4\nv3;;\n";
    let by_hand = "META\nkey;value\nbudget;100\nvote_type;cumulative\nPROJECTS\nproject_id;cost\na;30\nc;50\nVOTES\nvoter_id;vote;points\nv1;c,a;1,3\nv2;;\nv3;;\n";
    assert_eq!(removed_by_hand(text, &["b"]), by_hand);
    for rule in ["greedy", "mes"] {
        assert_eq!(
            count_pot(&spec(rule, &["b"]), text),
            count_pot(&spec(rule, &[]), by_hand),
            "{rule}"
        );
    }
    let e = tally::bundle::without_projects(tally::pb::parse(text).unwrap(), &["b".into()])
        .expect("b is a project");
    assert_eq!(e, tally::pb::parse(by_hand).unwrap());
}

#[test]
fn unknown_excluded_ids_are_named() {
    let text = fixture("Netherlands_Assen_2024.pb");
    let err = count_pot(&spec("mes", &["3", "99", "x-1"]), &text).unwrap_err();
    assert!(err.contains("99") && err.contains("x-1"), "{err}");
    assert!(!err.contains(" 3,"), "{err}");
}

#[test]
fn a_round_of_several_pots_leaves_out_each_pots_own() {
    let one = fixture("Netherlands_Assen_2024.pb");
    let two = fixture("Poland_Czestochowa_2024_Podjasnogorska.pb");
    let round = spec("greedy", &["3", "112"]);
    let counted = count_pots(&round, &[&one, &two]).expect("counts");
    assert_eq!(
        counted,
        [
            count_pot(&spec("greedy", &["3"]), &one).unwrap(),
            count_pot(&spec("greedy", &["112"]), &two).unwrap(),
        ]
    );
    // One pot alone does not know the other's projects.
    let err = count_pot(&round, &one).unwrap_err();
    assert!(err.contains("112"), "{err}");
    // An id of no pot is named.
    let err = count_pots(&spec("greedy", &["3", "4040"]), &[&one, &two]).unwrap_err();
    assert!(err.contains("4040") && !err.contains("3,"), "{err}");
}

#[test]
fn the_configuration_names_exclusions_only_when_there_are_some() {
    let plain = spec("mes", &[]);
    // Byte for byte what every existing config.json holds.
    assert_eq!(
        tally::canonical::to_canonical_string(&plain.to_json()),
        r#"{"min_support":null,"rank_points":null,"rule":"mes","seats":null,"tie_break":"cost-support-seed:2024"}"#
    );
    let corrected = spec("mes", &["17", "4"]);
    let v = corrected.to_json();
    assert_eq!(v["excluded"], json!(["17", "4"]));
    assert_eq!(RuleSpec::from_json(&v), Ok(corrected));
    assert_eq!(RuleSpec::from_json(&plain.to_json()), Ok(plain));
    let mut bad = v.clone();
    bad["excluded"] = json!([17]);
    assert!(RuleSpec::from_json(&bad).unwrap_err().contains("excluded"));
    bad["excluded"] = json!("17");
    assert!(RuleSpec::from_json(&bad).unwrap_err().contains("excluded"));
}
