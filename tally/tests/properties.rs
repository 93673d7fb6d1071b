//! Property tests on random small elections: no selection exceeds the
//! budget; results do not depend on the order of ballots; permuting project
//! ids (and the order of the project list) only permutes the result, when
//! the tie-break order is permuted with them.

use proptest::prelude::*;
use tally::model::{Ballot, BallotConstraints, Ballots, Election, Project, VoteType};
use tally::{Add1, GreedyVariant, MesUtility, Rule, RuleConfig, TieBreak};

fn rules() -> Vec<Rule> {
    let mes = |add1, utility| Rule::Mes {
        utility,
        add1,
        greedy_completion: false,
        comparison: false,
    };
    vec![
        Rule::Greedy(GreedyVariant::Skip),
        Rule::Greedy(GreedyVariant::NoSkip),
        Rule::Greedy(GreedyVariant::Threshold(2)),
        mes(Add1::Off, MesUtility::Cost),
        mes(Add1::Off, MesUtility::Cardinality),
        mes(Add1::StopWhenExhaustive, MesUtility::Cost),
        mes(Add1::UntilOverspend, MesUtility::Cost),
        Rule::Mes {
            utility: MesUtility::Cost,
            add1: Add1::UntilOverspend,
            greedy_completion: true,
            comparison: true,
        },
        Rule::Phragmen,
    ]
}

fn election(
    costs: &[u64],
    budget: u64,
    ballots: &[Vec<usize>],
    points: Option<&[Vec<u64>]>,
) -> Election {
    let m = costs.len();
    Election {
        meta: vec![],
        ballot_columns: vec![],
        budget,
        money_scale: 0,
        vote_type: if points.is_some() {
            VoteType::Cumulative
        } else {
            VoteType::Approval
        },
        projects: costs
            .iter()
            .enumerate()
            .map(|(i, &c)| Project {
                id: format!("p{i}"),
                cost: c,
                name: None,
                category: None,
                extra: vec![],
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
                        points: points.map(|pts| {
                            list.iter()
                                .map(|&p| {
                                    1 + pts[v % pts.len()][p as usize % pts[v % pts.len()].len()]
                                })
                                .collect()
                        }),
                        projects: list,
                        extra: String::new(),
                    }
                })
                .collect::<Vec<_>>(),
        )
        .expect("consistent ballots"),
        constraints: BallotConstraints::default(),
    }
}

fn arb_election() -> impl Strategy<Value = Election> {
    (
        prop::collection::vec(1u64..60, 1..7),
        1u64..200,
        prop::collection::vec(prop::collection::vec(0usize..7, 0..5), 0..25),
        prop::option::of(prop::collection::vec(
            prop::collection::vec(0u64..4, 7),
            1..4,
        )),
    )
        .prop_map(|(costs, budget, ballots, points)| {
            election(&costs, budget, &ballots, points.as_deref())
        })
}

fn selected(e: &Election, rule: &Rule, tb: TieBreak) -> Option<Vec<String>> {
    let mut cfg = RuleConfig::new(rule.clone());
    cfg.tie_break = tb;
    // Phragmén is defined for approval ballots only.
    tally::count(e, &cfg).ok().map(|o| o.selected)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn never_over_budget(e in arb_election()) {
        for rule in rules() {
            if let Some(sel) = selected(&e, &rule, TieBreak::default()) {
                let total: u64 = sel.iter().map(|id| e.projects[e.project_index(id).unwrap_or(0)].cost).sum();
                prop_assert!(total <= e.budget, "{:?} spends {} > {}", rule, total, e.budget);
                let mut uniq = sel.clone();
                uniq.sort();
                uniq.dedup();
                prop_assert_eq!(uniq.len(), sel.len());
            }
        }
    }

    #[test]
    fn ballot_order_does_not_matter(e in arb_election(), seed in any::<u64>()) {
        let mut shuffled = e.clone();
        // A deterministic shuffle from the seed.
        let mut ballots = shuffled.ballots.to_vec();
        let n = ballots.len();
        let mut s = seed | 1;
        for i in (1..n).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            ballots.swap(i, (s % (i as u64 + 1)) as usize);
        }
        shuffled.ballots = Ballots::from_owned(&ballots).expect("consistent ballots");
        for rule in rules() {
            prop_assert_eq!(
                selected(&e, &rule, TieBreak::default()),
                selected(&shuffled, &rule, TieBreak::default()),
                "{:?}", rule
            );
        }
    }

    #[test]
    fn renaming_projects_permutes_the_result(e in arb_election(), seed in any::<u64>()) {
        let m = e.projects.len();
        // A permutation of the ids and of the project list.
        let mut perm: Vec<usize> = (0..m).collect();
        let mut s = seed | 1;
        for i in (1..m).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            perm.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let rename = |id: &str| format!("q{}", perm[id[1..].parse::<usize>().unwrap_or(0)]);
        let mut renamed = e.clone();
        for p in &mut renamed.projects {
            p.id = rename(&p.id);
        }
        // Also move project i to position perm[i] of the list.
        let mut order: Vec<usize> = (0..m).collect();
        order.sort_by_key(|&i| perm[i]);
        let inv: Vec<usize> = {
            let mut v = vec![0; m];
            for (new, &old) in order.iter().enumerate() { v[old] = new; }
            v
        };
        renamed.projects = order.iter().map(|&i| renamed.projects[i].clone()).collect();
        let mut ballots = renamed.ballots.to_vec();
        for b in &mut ballots {
            for p in &mut b.projects { *p = inv[*p as usize] as u32; }
        }
        renamed.ballots = Ballots::from_owned(&ballots).expect("consistent ballots");
        // The same tie-break order, expressed on the new ids.
        let base: Vec<String> = (0..m).rev().map(|i| format!("p{i}")).collect();
        let moved: Vec<String> = base.iter().map(|id| rename(id)).collect();
        for rule in rules() {
            let a = selected(&e, &rule, TieBreak::Explicit(base.clone()));
            let b = selected(&renamed, &rule, TieBreak::Explicit(moved.clone()));
            let a: Option<Vec<String>> = a.map(|v| v.iter().map(|id| rename(id)).collect());
            prop_assert_eq!(a, b, "{:?}", rule);
        }
    }
}
