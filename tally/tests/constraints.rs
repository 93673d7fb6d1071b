//! Council constraints in the count: each constraint with each rule on a
//! small election worked out by hand (data-driven), the refusals of sets
//! that cannot hold, and properties on random elections: every constraint
//! holds in every outcome of every rule, unmet minimums are reported, and
//! constraints that never bind change nothing.

use proptest::prelude::*;
use serde_json::Value;
use tally::constraints::{names, Constraints, Plan};
use tally::model::{Ballot, Ballots, Election, Project, VoteType};
use tally::outcome::parse_rule;
use tally::{Add1, GreedyVariant, MesUtility, Rule, RuleConfig};

/// Budget 1000. Support: a 10, b 9, c 8, d 7, f 6, e 5 (approvals).
const PB: &str = "META\nkey;value\nbudget;1000\nvote_type;approval\nPROJECTS\n\
project_id;cost;category;area\n\
a;400;transport;1\nb;300;transport;2\nc;300;parks;1\nd;200;parks;2\ne;100;culture;2\nf;150;parks;1\n\
VOTES\nvoter_id;vote\n\
1;a,b,c,d,f,e\n2;a,b,c,d,f,e\n3;a,b,c,d,f,e\n4;a,b,c,d,f,e\n5;a,b,c,d,f,e\n\
6;a,b,c,d,f\n7;a,b,c,d\n8;a,b,c\n9;a,b\n10;a\n";

fn election() -> Election {
    tally::pb::parse(PB).expect("the fixture parses")
}

fn count(rule: &str, constraints: &str) -> Value {
    let e = election();
    let mut cfg = RuleConfig::new(parse_rule(rule, &e).expect("a rule"));
    cfg.constraints = Some(Constraints::parse(constraints).expect("constraints parse"));
    tally::count(&e, &cfg)
        .unwrap_or_else(|err| panic!("{rule} {constraints}: {err}"))
        .to_json()
        .clone()
}

fn selected(v: &Value) -> Vec<String> {
    v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

/// The decision recorded for each project a constraint passed over.
fn passed_over(v: &Value) -> Vec<(String, String)> {
    v["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["because"].is_object() && r["decision"] != "funded")
        .map(|r| {
            (
                r["project"].as_str().unwrap_or("").to_owned(),
                r["decision"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// A rule, its constraints, the projects funded in order, and those passed
/// over with the decision recorded.
type Case<'a> = (&'a str, &'a str, &'a str, &'a [(&'a str, &'a str)]);

#[test]
fn each_constraint_with_greedy_worked_by_hand() {
    let cases: &[Case<'_>] = &[
        ("greedy", "{}", "a,b,c", &[]),
        (
            "greedy",
            r#"{"category_max":{"transport":"50%"}}"#,
            "a,c,d,e",
            &[("b", "passed over: over maximum")],
        ),
        (
            "greedy",
            r#"{"category_max":{"transport":"700"}}"#,
            "a,b,c",
            &[],
        ),
        (
            "greedy",
            r#"{"category_min":{"culture":100}}"#,
            "a,b,d,e",
            &[("c", "passed over: money held for minimums")],
        ),
        (
            "greedy",
            r#"{"area_min":{"2":"600"}}"#,
            "a,b,d,e",
            &[("c", "passed over: money held for minimums")],
        ),
        (
            "greedy",
            r#"{"area_max":{"1":"40%"}}"#,
            "a,b,d,e",
            &[
                ("c", "passed over: over maximum"),
                ("f", "passed over: over maximum"),
            ],
        ),
        (
            "greedy",
            r#"{"min_votes":9}"#,
            "a,b",
            &[
                ("c", "below minimum votes"),
                ("d", "below minimum votes"),
                ("f", "below minimum votes"),
                ("e", "below minimum votes"),
            ],
        ),
        (
            "greedy",
            r#"{"min_share":"80%"}"#,
            "a,b,c",
            &[
                ("d", "below minimum votes"),
                ("f", "below minimum votes"),
                ("e", "below minimum votes"),
            ],
        ),
        (
            "greedy",
            r#"{"exclusive":[["a","b"]]}"#,
            "a,c,d,e",
            &[("b", "passed over: exclusive set")],
        ),
        ("greedy", r#"{"must_fund":["e"]}"#, "e,a,b,d", &[]),
        // No-skip: a constraint passes over without stopping; only money stops it.
        ("greedy-no-skip", "{}", "a,b,c", &[]),
        (
            "greedy-no-skip",
            r#"{"category_max":{"transport":"500"}}"#,
            "a,c,d",
            &[("b", "passed over: over maximum")],
        ),
        // The count stops at f (1,050 > 1,000); the culture minimum is
        // then filled with e.
        (
            "greedy-no-skip",
            r#"{"category_min":{"culture":"100"}}"#,
            "a,b,d,e",
            &[("c", "passed over: money held for minimums")],
        ),
    ];
    for (rule, c, want, over) in cases {
        let v = count(rule, c);
        assert_eq!(selected(&v).join(","), *want, "{rule} {c}");
        let got = passed_over(&v);
        let want_over: Vec<(String, String)> = over
            .iter()
            .map(|(p, d)| (p.to_string(), d.to_string()))
            .collect();
        assert_eq!(got, want_over, "{rule} {c}");
        let unmet = &v["details"]["constraints"]["unmet_minimums"];
        assert_eq!(unmet.as_array().map_or(0, Vec::len), 0, "{rule} {c}");
        // Without constraints, no trace of them.
        assert_eq!(v["details"]["constraints"].is_null(), *c == "{}");
    }
}

#[test]
fn the_threshold_and_the_constraints_both_apply() {
    // greedy-threshold with a META threshold of 8, and area 1 capped.
    let text = PB.replace(
        "vote_type;approval",
        "vote_type;approval\nmin_project_score_threshold;8",
    );
    let e = tally::pb::parse(&text).unwrap();
    let mut cfg = RuleConfig::new(Rule::Greedy(GreedyVariant::Threshold(8)));
    cfg.constraints = Some(Constraints::parse(r#"{"area_max":{"1":"400"}}"#).unwrap());
    let v = tally::count(&e, &cfg).unwrap().to_json().clone();
    assert_eq!(selected(&v), ["a", "b"]);
    assert_eq!(
        passed_over(&v),
        [("c".to_string(), "passed over: over maximum".to_string())]
    );
}

#[test]
fn the_fill_phase_and_unmet_minimums_are_explained() {
    let v = count("greedy-no-skip", r#"{"category_min":{"culture":"100"}}"#);
    let rows = v["rounds"].as_array().unwrap();
    let fill = rows
        .iter()
        .find(|r| r["phase"] == "minimums" && r["project"] == "e")
        .expect("e is funded to meet the minimum");
    assert_eq!(fill["decision"], "funded");
    assert!(fill["because"]["en"]
        .as_str()
        .unwrap()
        .contains("to meet the minimum for category ‘culture’"));
    assert!(fill["because"]["cy"].as_str().unwrap().contains("isafswm"));
    let v = count(
        "greedy",
        r#"{"must_fund":["a","b"],"category_min":{"parks":"300"}}"#,
    );
    assert_eq!(selected(&v), ["a", "b", "c"]);
    let v = count(
        "greedy",
        r#"{"must_fund":["a","b","e"],"category_min":{"parks":"200"},"exclusive":[["c","d"]]}"#,
    );
    assert_eq!(selected(&v), ["a", "b", "e", "d"]);
    // An unmet minimum: 350 of parks, but once c (300) is funded the other
    // parks share its exclusive set; reported, with the money held back
    // for it (b) not spent.
    let v = count(
        "greedy",
        r#"{"must_fund":["a"],"category_min":{"parks":"350"},"exclusive":[["c","d","f"]]}"#,
    );
    assert_eq!(selected(&v), ["a", "c", "e"]);
    assert_eq!(
        passed_over(&v)[..3],
        [
            (
                "b".to_string(),
                "passed over: money held for minimums".to_string()
            ),
            ("d".to_string(), "passed over: exclusive set".to_string()),
            ("f".to_string(), "passed over: exclusive set".to_string()),
        ]
    );
    let unmet = &v["details"]["constraints"]["unmet_minimums"];
    assert_eq!(
        unmet,
        &serde_json::json!([{"kind":"category_min","key":"parks","limit":"350","funded":"300","short_by":"50"}])
    );
    let last = rows_of(&v).last().cloned().unwrap();
    assert_eq!(last["decision"], "minimum not met");
    assert!(last["because"]["en"].as_str().unwrap().contains("50 short"));
    assert!(last["because"]["cy"].as_str().unwrap().contains("yn brin"));
    assert!(v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n.as_str().unwrap().contains("category ‘parks’ was not met")));
}

fn rows_of(v: &Value) -> Vec<Value> {
    v["rounds"].as_array().unwrap().clone()
}

#[test]
fn equal_shares_and_phragmen_take_forbidden_bids_out() {
    for rule in ["mes", "mes-add1", "mes-add1-no-early-stop", "phragmen"] {
        // The first two funded without constraints, made exclusive: the
        // first is funded, the second passed over.
        let plain = selected(&count(rule, "{}"));
        let (x, y) = (&plain[0], &plain[1]);
        let v = count(rule, &format!(r#"{{"exclusive":[["{x}","{y}"]]}}"#));
        let got = selected(&v);
        assert!(got.contains(x) && !got.contains(y), "{rule} {got:?}");
        let over = passed_over(&v);
        assert_eq!(
            over,
            [(y.clone(), "passed over: exclusive set".to_string())],
            "{rule}"
        );
        // must_fund: paid from the budget first, listed first.
        let v = count(rule, r#"{"must_fund":["e"]}"#);
        assert_eq!(selected(&v)[0], "e", "{rule}");
        let total: u64 = v["total_cost"].as_str().unwrap().parse().unwrap();
        assert!(total <= 1000, "{rule}");
        // A cap on transport: a or b, not both.
        let v = count(rule, r#"{"category_max":{"transport":"40%"}}"#);
        let got = selected(&v);
        let transport = got.iter().filter(|p| *p == "a" || *p == "b").count();
        assert_eq!(transport, 1, "{rule} {got:?}");
    }
    // Equal Shares' rows name the round before which a bid left.
    let plain = selected(&count("mes", "{}"));
    let v = count(
        "mes",
        &format!(r#"{{"exclusive":[["{}","{}"]]}}"#, plain[0], plain[1]),
    );
    let row = rows_of(&v)
        .into_iter()
        .find(|r| r["phase"] == "constraints")
        .unwrap();
    assert_eq!(row["round"], 2);
    assert_eq!(row["project"].as_str(), Some(plain[1].as_str()));
    // With must_fund, the voters share what is left.
    let v = count("mes", r#"{"must_fund":["e"]}"#);
    assert_eq!(v["details"]["equal_shares"]["initial_share"], "90");
}

#[test]
fn no_constraints_is_todays_count() {
    let e = election();
    for rule in ["greedy", "greedy-no-skip", "mes", "mes-add1", "phragmen"] {
        let cfg = RuleConfig::new(parse_rule(rule, &e).unwrap());
        let plain = tally::count(&e, &cfg).unwrap().to_json_string();
        let mut with_empty = cfg.clone();
        with_empty.constraints = Some(Constraints::default());
        assert_eq!(
            tally::count(&e, &with_empty).unwrap().to_json_string(),
            plain
        );
        // An empty META value is no constraint either.
        let text = PB.replace("vote_type;approval", "vote_type;approval\nconstraints;{}");
        let e2 = tally::pb::parse(&text).unwrap();
        let mut v: Value = tally::count(&e2, &cfg).unwrap().to_json().clone();
        let p: Value = serde_json::from_str(&plain).unwrap();
        v["input_sha256"] = p["input_sha256"].clone();
        assert_eq!(v, p);
    }
}

#[test]
fn meta_constraints_apply_and_the_configuration_replaces_them() {
    let text = PB.replace(
        "vote_type;approval",
        "vote_type;approval\nconstraints;{\"exclusive\":[[\"a\",\"b\"]]}",
    );
    let e = tally::pb::parse(&text).unwrap();
    let cfg = RuleConfig::new(parse_rule("greedy", &e).unwrap());
    let v = tally::count(&e, &cfg).unwrap().to_json().clone();
    assert_eq!(selected(&v), ["a", "c", "d", "e"]);
    assert_eq!(
        v["config"]["constraints"],
        serde_json::json!({"exclusive":[["a","b"]]})
    );
    let mut cfg2 = cfg.clone();
    cfg2.constraints = Some(Constraints::default());
    assert_eq!(
        selected(&tally::count(&e, &cfg2).unwrap().to_json().clone()),
        ["a", "b", "c"]
    );
    // The file keeps the key when written back.
    assert!(tally::pb::write(&e).contains("constraints;"));
    let bad = PB.replace(
        "vote_type;approval",
        "vote_type;approval\nconstraints;{\"max\":1}",
    );
    let e = tally::pb::parse(&bad).unwrap();
    let err = tally::count(&e, &cfg).unwrap_err().to_string();
    assert!(
        err.contains("META constraints") && err.contains("unknown key `max`"),
        "{err}"
    );
}

#[test]
fn sets_that_cannot_hold_are_refused_before_counting() {
    let e = election();
    for (c, needle) in [
        (
            r#"{"must_fund":["z"]}"#,
            "must_fund: `z` is not a project here",
        ),
        (
            r#"{"exclusive":[["a","zz"]]}"#,
            "exclusive set 1: `zz` is not a project here",
        ),
        (
            r#"{"category_max":{"roads":"10%"}}"#,
            "category_max `roads`: no bid has this category",
        ),
        (
            r#"{"area_min":{"9":"10"}}"#,
            "area_min `9`: no bid has this area",
        ),
        (
            r#"{"category_min":{"parks":"500"},"category_max":{"parks":"400"}}"#,
            "category_min `parks` is 500, above category_max `parks` of 400",
        ),
        (
            r#"{"category_min":{"culture":"200"}}"#,
            "above the total cost of the bids that could meet it (100)",
        ),
        (
            r#"{"category_min":{"parks":"300"},"min_votes":9}"#,
            "above the total cost of the bids that could meet it (0, bids with enough votes)",
        ),
        (
            r#"{"category_min":{"transport":"700","parks":"400"}}"#,
            "the category_min minimums add up to 1100, more than the budget of 1000",
        ),
        (
            r#"{"must_fund":["a","b","c","d"]}"#,
            "the must_fund bids cost 1200, more than the budget of 1000",
        ),
        (
            r#"{"must_fund":["a","b"],"category_max":{"transport":"50%"}}"#,
            "the must_fund bids give 700 to category_max `transport`, over its maximum of 500",
        ),
        (
            r#"{"must_fund":["a","b"],"exclusive":[["b","a"]]}"#,
            "must_fund names `b` and `a`, which are in the same exclusive set",
        ),
        (
            r#"{"must_fund":["a","b"],"category_min":{"parks":"450"}}"#,
            "leaves 300, less than the 450 the minimums still need",
        ),
    ] {
        let mut cfg = RuleConfig::new(parse_rule("greedy", &e).unwrap());
        cfg.constraints = Some(Constraints::parse(c).unwrap());
        let err = tally::count(&e, &cfg).unwrap_err().to_string();
        assert!(err.contains(needle), "{c}: {err}");
    }
}

#[test]
fn areas_are_read_and_written_and_files_without_them_unchanged() {
    let e = election();
    assert_eq!(e.projects[0].area(), Some("1"));
    assert_eq!(tally::pb::write(&e), {
        let again = tally::pb::parse(&tally::pb::write(&e)).unwrap();
        tally::pb::write(&again)
    });
    assert!(tally::pb::write(&e).contains("project_id;cost;category;area\n"));
    let mut e2 = e.clone();
    for p in &mut e2.projects {
        p.set_area(None);
    }
    let w = tally::pb::write(&e2);
    assert!(
        w.contains("project_id;cost;category\na;400;transport\n"),
        "{w}"
    );
    assert_eq!(names(Some(" x, y ,,z")), ["x", "y", "z"]);
}

// ---- properties on random elections -------------------------------

fn rules() -> Vec<Rule> {
    let mes = |add1, completion| Rule::Mes {
        utility: MesUtility::Cost,
        add1,
        greedy_completion: completion,
        comparison: false,
    };
    vec![
        Rule::Greedy(GreedyVariant::Skip),
        Rule::Greedy(GreedyVariant::NoSkip),
        Rule::Greedy(GreedyVariant::Threshold(2)),
        Rule::Greedy(GreedyVariant::NoSkipThreshold(2)),
        Rule::Greedy(GreedyVariant::NoSkipReserve(80)),
        mes(Add1::Off, false),
        mes(Add1::Off, true),
        mes(Add1::StopWhenExhaustive, false),
        mes(Add1::UntilOverspend, false),
        Rule::Mes {
            utility: MesUtility::Cost,
            add1: Add1::UntilOverspend,
            greedy_completion: true,
            comparison: true,
        },
        Rule::Phragmen,
    ]
}

const CATS: [&str; 3] = ["x", "y", "z"];

fn random_election(
    costs: &[u64],
    cats: &[usize],
    areas: &[usize],
    budget: u64,
    ballots: &[Vec<usize>],
) -> Election {
    let m = costs.len();
    Election {
        meta: vec![],
        ballot_columns: vec![],
        budget,
        money_scale: 0,
        vote_type: VoteType::Approval,
        projects: (0..m)
            .map(|i| {
                let mut p = Project {
                    id: format!("p{i}"),
                    cost: costs[i],
                    name: None,
                    category: Some(CATS[cats[i] % 3].to_string()),
                    extra: vec![],
                };
                p.set_area(Some(&(areas[i] % 2).to_string()));
                p
            })
            .collect(),
        ballots: Ballots::from_owned(
            &ballots
                .iter()
                .enumerate()
                .map(|(v, b)| {
                    let mut list: Vec<u32> = b.iter().map(|&p| (p % m) as u32).collect();
                    list.sort_unstable();
                    list.dedup();
                    Ballot {
                        voter_id: format!("v{v}"),
                        projects: list,
                        points: None,
                        extra: String::new(),
                    }
                })
                .collect::<Vec<_>>(),
        )
        .unwrap(),
        constraints: Default::default(),
    }
}

/// Checks every constraint in an outcome.
fn holds(e: &Election, plan: &Plan, v: &Value) -> Result<(), String> {
    let sel: Vec<usize> = v["selected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| e.project_index(x.as_str().unwrap()).unwrap())
        .collect();
    let total: u64 = sel.iter().map(|&p| e.projects[p].cost).sum();
    if total > e.budget {
        return Err(format!("over budget: {total}"));
    }
    for &p in &plan.must_fund {
        if !sel.contains(&p) {
            return Err(format!("must_fund {p} not funded"));
        }
    }
    for set in &plan.sets {
        if set.iter().filter(|p| sel.contains(p)).count() > 1 {
            return Err(format!("exclusive set {set:?} broken"));
        }
    }
    if let Some(need) = plan.min_votes {
        for &p in &sel {
            if plan.votes[p] < need && !plan.must_fund.contains(&p) {
                return Err(format!("{p} funded with too few votes"));
            }
        }
    }
    let mut unmet = 0;
    for l in &plan.limits {
        let money: u128 = l
            .members
            .iter()
            .filter(|p| sel.contains(p))
            .map(|&p| u128::from(e.projects[p].cost))
            .sum();
        let is_max = l.kind.key().ends_with("max");
        if is_max && money > l.limit {
            return Err(format!(
                "{} {} over: {money} > {}",
                l.kind.key(),
                l.key,
                l.limit
            ));
        }
        if !is_max && money < l.limit {
            unmet += 1;
        }
    }
    let reported = v["details"]["constraints"]["unmet_minimums"]
        .as_array()
        .map_or(0, Vec::len);
    if reported != unmet {
        return Err(format!("{unmet} minimums unmet, {reported} reported"));
    }
    Ok(())
}

fn amount(x: u64, share: bool) -> String {
    if share {
        format!("{}%", x % 101)
    } else {
        x.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_constraint_holds_in_every_outcome(
        costs in prop::collection::vec(1u64..400, 2..7),
        cats in prop::collection::vec(0usize..3, 7),
        areas in prop::collection::vec(0usize..2, 7),
        budget in 200u64..1200,
        ballots in prop::collection::vec(prop::collection::vec(0usize..7, 0..4), 1..14),
        maxes in prop::collection::vec((0usize..3, 0u64..1000, any::<bool>()), 0..3),
        mins in prop::collection::vec((0usize..3, 0u64..400, any::<bool>()), 0..2),
        area_min in prop::option::of(0u64..300),
        min_votes in prop::option::of(0u64..4),
        excl in prop::collection::vec(prop::collection::vec(0usize..7, 2..4), 0..2),
        must in prop::collection::vec(0usize..7, 0..2),
    ) {
        let e = random_election(&costs, &cats, &areas, budget, &ballots);
        let m = costs.len();
        let id = |p: usize| format!("p{}", p % m);
        let mut c = serde_json::json!({});
        for (k, x, share) in &maxes {
            c["category_max"][CATS[*k]] = Value::from(amount(*x, *share));
        }
        for (k, x, share) in &mins {
            c["category_min"][CATS[*k]] = Value::from(amount(*x, *share));
        }
        if let Some(x) = area_min {
            c["area_min"]["1"] = Value::from(x.to_string());
        }
        if let Some(v) = min_votes {
            c["min_votes"] = Value::from(v);
        }
        let sets: Vec<Vec<String>> = excl
            .iter()
            .map(|s| { let mut v: Vec<String> = s.iter().map(|&p| id(p)).collect(); v.sort(); v.dedup(); v })
            .filter(|s| s.len() >= 2)
            .collect();
        if !sets.is_empty() {
            c["exclusive"] = serde_json::json!(sets);
        }
        let mut mf: Vec<String> = must.iter().map(|&p| id(p)).collect();
        mf.dedup();
        if !mf.is_empty() {
            c["must_fund"] = serde_json::json!(mf);
        }
        let spec = match Constraints::from_json(&c) {
            Ok(s) => s,
            // Only categories no bid has, or the like: refused, never a panic.
            Err(_) => return Ok(()),
        };
        let plan = Plan::new(&spec, &e);
        for rule in rules() {
            let mut cfg = RuleConfig::new(rule.clone());
            cfg.constraints = Some(spec.clone());
            let got = tally::count(&e, &cfg);
            match (&plan, got) {
                (Ok(plan), Ok(o)) => {
                    if let Err(why) = holds(&e, plan, o.to_json()) {
                        prop_assert!(false, "{:?} {}: {}", rule, c, why);
                    }
                }
                (Err(a), Err(b)) => prop_assert!(b.to_string().contains(&a.0)),
                (p, g) => prop_assert!(false, "{:?}: plan {:?}, count {:?}", rule, p.is_ok(), g.map(|o| o.selected)),
            }
        }
    }

    #[test]
    fn constraints_that_never_bind_change_no_selection(
        costs in prop::collection::vec(1u64..400, 2..7),
        budget in 200u64..1200,
        ballots in prop::collection::vec(prop::collection::vec(0usize..7, 0..4), 1..14),
    ) {
        let cats = [0usize; 7];
        let e = random_election(&costs, &cats, &cats, budget, &ballots);
        for rule in rules() {
            let cfg = RuleConfig::new(rule.clone());
            let plain = tally::count(&e, &cfg).unwrap();
            let mut none = cfg.clone();
            none.constraints = Some(Constraints::default());
            prop_assert_eq!(tally::count(&e, &none).unwrap().to_json_string(), plain.to_json_string());
            let mut zero = cfg.clone();
            zero.constraints = Some(Constraints::parse(r#"{"min_votes":0}"#).unwrap());
            let z = tally::count(&e, &zero).unwrap();
            prop_assert_eq!(&z.selected, &plain.selected, "{:?}", rule);
        }
    }

    #[test]
    fn minimums_above_the_budget_are_refused(
        costs in prop::collection::vec(1u64..400, 2..7),
        budget in 200u64..1200,
        extra in 1u64..500,
    ) {
        let cats = [0usize, 1, 2, 0, 1, 2, 0];
        let e = random_election(&costs, &cats, &cats, budget, &[vec![0, 1]]);
        let half = budget / 2 + extra;
        let c = Constraints::parse(&format!(
            r#"{{"category_min":{{"x":"{half}","y":"{half}"}}}}"#
        )).unwrap();
        let mut cfg = RuleConfig::new(Rule::Greedy(GreedyVariant::Skip));
        cfg.constraints = Some(c);
        prop_assert!(tally::count(&e, &cfg).is_err());
    }
}
