//! A demo council to click through: two areas; a round whose bids are open,
//! a round in its voting phase and a round with a published result (paper
//! ballots of sixty residents, counted), all with bids from community
//! groups; and an account for every role, residents verified and not. Seeded
//! through the same services as everything else, once (it does nothing if
//! areas exist).
use crate::domain::id::{BidId, GroupId};
use crate::domain::{
    ballot::TieBreak, BallotKind, BallotSettings, CountingRule, Evidence, Phase, Relation, Role,
    Schedule,
};
use crate::service::{accounts, areas, bids, groups, lifecycle, rounds, verification, Actor};
use crate::state::AppState;
use anyhow::anyhow;

pub const ADMIN_EMAIL: &str = "admin@demo.fairshare.localhost";
pub const OFFICER_EMAIL: &str = "officer@demo.fairshare.localhost";
pub const COUNCILLOR_EMAIL: &str = "councillor@demo.fairshare.localhost";
pub const GROUP_EMAIL: &str = "chair@woodhouse-moor-friends.demo.fairshare.localhost";
/// Verified to vote in the demo round that is voting (Hyde Park and
/// Woodhouse, postcode LS6 1AB).
pub const VERIFIED_RESIDENT_EMAIL: &str = "resident@demo.fairshare.localhost";
/// Verified to vote in Chapel Allerton (LS7 3AB).
pub const VERIFIED_NEIGHBOUR_EMAIL: &str = "neighbour@demo.fairshare.localhost";
/// Has an account, not yet verified for any round.
/// The number the demo's phone voter asked for reminders at.
pub const DEMO_REMINDER_NUMBER: &str = "07700 900999";
pub const UNVERIFIED_RESIDENT_EMAIL: &str = "newcomer@demo.fairshare.localhost";

/// The voting code of a resident of Hyde Park and Woodhouse with no email
/// or smartphone, verified in person for the demo's voting round: it votes
/// by text message or keypad on `/phone/dev`. Only the demo has a code
/// anyone knows; real codes are random and printed once, on letters.
pub const DEMO_VOTING_CODE: &str = "2026 0601 1234 5678";

/// The demo's voting round.
pub const VOTING_ROUND_TITLE: &str = "Summer Streets 2026";
/// The demo's round with a published result.
pub const PUBLISHED_ROUND_TITLE: &str = "Spring Greens 2026";

/// A group's name, description and area, and its bids: title, summary,
/// cost in pence and category.
type DemoGroup = (&'static str, &'static str, i64, [DemoBid; 2]);
type DemoBid = (&'static str, &'static str, i64, &'static str);

const fn pounds(p: i64) -> i64 {
    p * 100
}

fn err(e: crate::error::ServiceError) -> anyhow::Error {
    anyhow!("seeding the demo: {e}")
}

pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    let db = &state.db;
    if !areas::list(
        db,
        crate::service::PageRequest {
            offset: 0,
            limit: 1,
        },
    )
    .await
    .map_err(err)?
    .items
    .is_empty()
    {
        tracing::info!("the database already has areas: not seeding the demo");
        return Ok(());
    }
    let officer = accounts::grant_role(
        db,
        &state.secret,
        None,
        &crate::service::parse_email(OFFICER_EMAIL).map_err(err)?,
        Role::Officer,
    )
    .await
    .map_err(err)?;
    let councillor = accounts::grant_role(
        db,
        &state.secret,
        None,
        &crate::service::parse_email(COUNCILLOR_EMAIL).map_err(err)?,
        Role::Councillor,
    )
    .await
    .map_err(err)?;
    let councillor = Actor {
        account_id: councillor.id,
        roles: councillor.roles,
    };
    let officer = Actor {
        account_id: officer.id,
        roles: officer.roles,
    };

    let woodhouse = areas::create(
        db,
        &officer,
        areas::NewArea {
            name_cy: None,
            description_cy: None,
            name: "Hyde Park and Woodhouse".into(),
            kind: "ward".into(),
            description:
                "Terraced streets, the Moor and the student quarter north of the city centre."
                    .into(),
            coverage: vec!["LS6 1".into(), "LS6 2".into(), "LS2 9".into()],
        },
    )
    .await
    .map_err(err)?;
    let chapeltown = areas::create(
        db,
        &officer,
        areas::NewArea {
            name_cy: None,
            description_cy: None,
            name: "Chapel Allerton".into(),
            kind: "ward".into(),
            description: "Chapeltown, Chapel Allerton village and Potternewton.".into(),
            coverage: vec!["LS7 3".into(), "LS7 4".into(), "LS8 1".into()],
        },
    )
    .await
    .map_err(err)?;

    seed_population(state, &officer, woodhouse.id, chapeltown.id).await?;

    let round = rounds::create(
        db,
        &officer,
        rounds::NewRound {
            title: "Neighbourhood Fund 2027".into(),
            description: "£45,000 for projects that community groups run in their own streets. \
                          Groups bid; residents who live in each ward decide."
                .into(),
            title_cy: Some("Cronfa Cymdogaethau 2027".into()),
            description_cy: Some(
                "£45,000 ar gyfer prosiectau y mae grwpiau cymunedol yn eu cynnal yn eu strydoedd eu hunain. \
                 Mae grwpiau’n gwneud cais; mae trigolion sy’n byw ym mhob ward yn penderfynu."
                    .into(),
            ),
            pots: vec![
                (woodhouse.id, pounds(25_000)),
                (chapeltown.id, pounds(20_000)),
            ],
            schedule: Schedule::default(),
            ballot: BallotSettings {
                kind: BallotKind::Approval,
                min_choices: None,
                max_choices: Some(5),
                score_min: None,
                score_max: None,
                points_total: None,
                points_max_per_bid: None,
                duplicate_policy: Default::default(),
            },
            rule: CountingRule {
                name: "mes-add1".into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2027),
                min_support: None,
                rank_points: None,
                seats: None,
                constraints: None,
            },
            eligibility: crate::domain::Eligibility {
                min_age: Some(11),
                ..Default::default()
            },
        },
    )
    .await
    .map_err(err)?;
    lifecycle::advance(state, &officer, round.id, Phase::BidsOpen)
        .await
        .map_err(err)?;

    // Groups are registered by their own members, then bid.
    let chair = accounts::ensure(
        db,
        &state.secret,
        &crate::service::parse_email(GROUP_EMAIL).map_err(err)?,
    )
    .await
    .map_err(err)?;
    let chair = Actor {
        account_id: chair.id,
        roles: vec![],
    };
    let demo_bids: [DemoGroup; 3] = [
        (
            "Woodhouse Moor Friends",
            "Volunteers who look after Woodhouse Moor's trees, paths and play area.",
            woodhouse.id.get(),
            [
                ("Wildflower verges on the Moor", "Turn three mown verges into wildflower meadow with native seed and signs.", pounds(4_800), "environment"),
                ("Accessible path to the play area", "Replace the rutted grass approach with a level, lit path for buggies and wheelchairs.", pounds(18_500), "public space"),
            ],
        ),
        (
            "Little London Youth Club",
            "Evening sessions, trips and a homework club for young people aged 11 to 18.",
            woodhouse.id.get(),
            [
                ("Summer holiday activity weeks", "Four weeks of free daytime activities and lunches for 60 young people.", pounds(9_600), "young people"),
                ("Youth club kitchen refit", "A safe kitchen where young people learn to cook cheap, healthy meals.", pounds(7_250), "young people"),
            ],
        ),
        (
            "Chapel Allerton Allotment Society",
            "Plot holders growing food, and teaching others to, since 1946.",
            chapeltown.id.get(),
            [
                ("Community growing beds", "Raised, wheelchair-height beds for residents without gardens, with weekly sessions.", pounds(6_400), "health"),
                ("Rainwater harvesting", "Tanks and guttering so the site stops using mains water in summer.", pounds(3_900), "environment"),
            ],
        ),
    ];
    let mut demo_groups = Vec::new();
    for (name, description, area_id, projects) in demo_bids {
        let group = groups::register(
            db,
            &chair,
            groups::NewGroup {
                name: name.into(),
                description: description.into(),
                contact_email: format!(
                    "hello@{}.demo.fairshare.localhost",
                    name.to_lowercase().replace(' ', "-")
                ),
                area_id: area_id.into(),
            },
        )
        .await
        .map_err(err)?;
        for (title, summary, cost, category) in projects {
            bids::submit(
                db,
                &chair,
                bids::NewBid {
                    round_id: round.id,
                    group_id: group.id,
                    area_id: area_id.into(),
                    details: bids::BidDetails {
                    welsh: Default::default(),
                        title: title.into(),
                        summary: summary.into(),
                        description: format!("{summary} The group will run the project, report on it and look after it afterwards."),
                        cost_pence: cost,
                        category: category.into(),
                        location: bids::Location::default(),
                    },
                },
            )
            .await
            .map_err(err)?;
        }
        demo_groups.push((group.id, area_id));
    }
    accounts::grant_role(
        db,
        &state.secret,
        None,
        &crate::service::parse_email(ADMIN_EMAIL).map_err(err)?,
        Role::Admin,
    )
    .await
    .map_err(err)?;
    accounts::ensure(
        db,
        &state.secret,
        &crate::service::parse_email(UNVERIFIED_RESIDENT_EMAIL).map_err(err)?,
    )
    .await
    .map_err(err)?;
    let voting = seed_voting_round(
        state,
        &officer,
        &chair,
        &demo_groups,
        woodhouse.id.get(),
        chapeltown.id.get(),
    )
    .await?;
    let published = seed_published_round(
        state,
        &officer,
        &councillor,
        &chair,
        &demo_groups,
        woodhouse.id.get(),
        chapeltown.id.get(),
    )
    .await?;
    tracing::info!(
        round.id = round.id.get(),
        voting_round.id = voting,
        published_round.id = published,
        "demo seeded: sign in with a code from the development mail folder"
    );
    Ok(())
}

/// 5pm in the UK, 28 days after `now`.
fn demo_closing_time(now: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let day = crate::words::dates::uk_day(now) + chrono::Duration::days(28);
    chrono_tz::Europe::London
        .from_local_datetime(&day.and_hms_opt(17, 0, 0).unwrap_or_default())
        .earliest()
        .map_or(now + chrono::Duration::days(28), |t| {
            t.with_timezone(&chrono::Utc)
        })
}

/// A round in its voting phase: an approval ballot (up to three bids),
/// counted by the Method of Equal Shares, with two residents verified to
/// vote in it.
/// The two wards' population by age, and the postcode → deprivation
/// look-up, from the illustrative files in `api/assets/population`: before
/// anyone is verified, so that the demo's voters have an age band and a
/// decile.
async fn seed_population(
    state: &AppState,
    officer: &Actor,
    woodhouse: crate::domain::AreaId,
    chapeltown: crate::domain::AreaId,
) -> anyhow::Result<()> {
    use crate::service::population::{self, Content};
    const SOURCE: &str = "Illustrative figures in the ONS mid-2022 layout";
    for (area, file) in [
        (
            woodhouse,
            include_str!("../assets/population/woodhouse-mid-2022.csv"),
        ),
        (
            chapeltown,
            include_str!("../assets/population/chapeltown-mid-2022.csv"),
        ),
    ] {
        population::import_population(state, officer, area, SOURCE, Content::Text(file.into()))
            .await
            .map_err(err)?;
    }
    population::import_deprivation(
        state,
        officer,
        "Illustrative postcode look-up and IMD 2019 deciles",
        Content::Text(include_str!("../assets/population/leeds-postcodes.csv").into()),
        Content::Text(include_str!("../assets/population/imd-2019.csv").into()),
    )
    .await
    .map_err(err)?;
    Ok(())
}

async fn seed_voting_round(
    state: &AppState,
    officer: &Actor,
    chair: &Actor,
    demo_groups: &[(GroupId, i64)],
    woodhouse: i64,
    chapeltown: i64,
) -> anyhow::Result<i64> {
    let db = &state.db;
    let round = rounds::create(
        db,
        officer,
        rounds::NewRound {
            title: VOTING_ROUND_TITLE.into(),
            description: "£20,000 for summer projects on our streets. Voting is open: choose up to three bids in your ward."
                .into(),
            title_cy: None,
            description_cy: None,
            pots: vec![(woodhouse.into(), pounds(12_000)), (chapeltown.into(), pounds(8_000))],
            // Voting closes at 5pm, UK time, four weeks after the demo is
            // set up, so that its pages show the closing date and the days
            // left.
            schedule: Schedule {
                voting_closes_at: Some(demo_closing_time(chrono::Utc::now())),
                ..Schedule::default()
            },
            ballot: BallotSettings {
                kind: BallotKind::Approval,
                min_choices: None,
                max_choices: Some(3),
                score_min: None,
                score_max: None,
                points_total: None,
                points_max_per_bid: None,
                duplicate_policy: Default::default(),
            },
            rule: CountingRule {
                name: "mes".into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2026),
                min_support: None,
                rank_points: None,
                seats: None,
                // A council rule, which the round page tells residents.
                constraints: Some(crate::domain::constraints::CountConstraints {
                    category_max: [(
                        "environment".to_string(),
                        crate::domain::constraints::Limit::Share("50%".into()),
                    )]
                    .into(),
                    ..Default::default()
                }),
            },
            eligibility: crate::domain::Eligibility::default(),
        },
    )
    .await
    .map_err(err)?;
    lifecycle::advance(state, officer, round.id, Phase::BidsOpen)
        .await
        .map_err(err)?;
    let projects: [(usize, &str, &str, i64, &str); 6] = [
        (0, "Street tree planting", "Twenty street trees on Hyde Park Road and Woodhouse Street, with three years' watering.", pounds(5_500), "environment"),
        (0, "Bike repair café", "A monthly café in the community centre where volunteers fix bikes and teach repairs.", pounds(2_400), "transport"),
        (1, "Summer street games", "Six play-street afternoons with games, chalk and music, for families on closed roads.", pounds(3_100), "young people"),
        (1, "Youth murals", "Young people design and paint two murals on the underpass, with an artist.", pounds(4_200), "culture"),
        (2, "Seed library", "A free seed library and growing workshops at Chapel Allerton library.", pounds(1_800), "environment"),
        (2, "Allotment open days", "Four open days with tours, tasting and taster plots for new growers.", pounds(2_700), "health"),
    ];
    eligible_bids(db, officer, chair, round.id.get(), demo_groups, &projects).await?;
    for (email, name, dob, postcode) in [
        (
            VERIFIED_RESIDENT_EMAIL,
            "Robin Demo",
            "1980-04-01",
            "LS6 1AB",
        ),
        (
            VERIFIED_NEIGHBOUR_EMAIL,
            "Nadia Demo",
            "1975-09-12",
            "LS7 3AB",
        ),
    ] {
        verification::record_in_person(
            state,
            officer,
            round.id,
            verification::InPersonRecord {
                details: verification::PersonDetails::parse(name, dob, postcode, Relation::Live)
                    .map_err(err)?,
                evidence: Evidence::CouncilRecord,
                email: Some(email.into()),
                phone: None,
                reference: None,
            },
        )
        .await
        .map_err(err)?;
    }
    let phone_voter = verification::record_in_person(
        state,
        officer,
        round.id,
        verification::InPersonRecord {
            details: verification::PersonDetails::parse(
                "Gwen Demo",
                "1941-06-15",
                "LS6 1AB",
                Relation::Live,
            )
            .map_err(err)?,
            evidence: Evidence::CouncilRecord,
            email: None,
            phone: None,
            reference: None,
        },
    )
    .await
    .map_err(err)?;
    // She asked the officer for reminders by text, in Welsh: when voting
    // opens, the first reminder shows on the development messages page.
    crate::service::reminders::subscribe(
        state,
        officer,
        round.id,
        Some(phone_voter.id),
        crate::service::reminders::Contact::Text(
            crate::domain::PhoneNumber::parse(DEMO_REMINDER_NUMBER).map_err(anyhow::Error::msg)?,
        ),
        crate::domain::Language::Cy,
    )
    .await
    .map_err(err)?;
    {
        use crate::store::voting_codes;
        use sea_orm::{ActiveModelTrait, Set};
        let digits: String = DEMO_VOTING_CODE.split_whitespace().collect();
        voting_codes::ActiveModel {
            round_id: Set(round.id.get()),
            participant_id: Set(phone_voter.id.get()),
            code_hmac: Set(crate::service::phone::code_hash(&state.secret, &digits)),
            issued_by: Set(Some(officer.account_id.get())),
            issued_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    for to in [Phase::BidReview, Phase::Voting] {
        lifecycle::advance(state, officer, round.id, to)
            .await
            .map_err(err)?;
    }
    Ok(round.id.get())
}

/// A demo round's bids, submitted by the groups' chair and found eligible
/// by the officer: (group index, title, summary, cost, category). Returns
/// each bid's area and id.
async fn eligible_bids(
    db: &sea_orm::DatabaseConnection,
    officer: &Actor,
    chair: &Actor,
    round_id: i64,
    demo_groups: &[(GroupId, i64)],
    projects: &[(usize, &str, &str, i64, &str)],
) -> anyhow::Result<Vec<(i64, BidId)>> {
    let mut out = Vec::new();
    for &(group, title, summary, cost, category) in projects {
        let (group_id, area_id) = demo_groups[group];
        let bid = bids::submit(
            db,
            chair,
            bids::NewBid {
                round_id: round_id.into(),
                group_id,
                area_id: area_id.into(),
                details: bids::BidDetails {
                    welsh: Default::default(),
                    title: title.into(),
                    summary: summary.into(),
                    description: format!("{summary} The group will run it, report on it and look after it afterwards."),
                    cost_pence: cost,
                    category: category.into(),
                    location: bids::Location::default(),
                },
            },
        )
        .await
        .map_err(err)?;
        bids::review(db, officer, bid.id, bids::ReviewDecision::Eligible, None)
            .await
            .map_err(err)?;
        out.push((area_id, bid.id));
    }
    Ok(out)
}

/// A round whose result is published: an approval ballot counted by Equal
/// Shares with Add1, sixty residents verified in person, their paper
/// ballots entered by an officer, counted at close and published by a
/// councillor. The ballots follow a fixed pattern, so the demo is the same
/// every time.
async fn seed_published_round(
    state: &AppState,
    officer: &Actor,
    councillor: &Actor,
    chair: &Actor,
    demo_groups: &[(GroupId, i64)],
    woodhouse: i64,
    chapeltown: i64,
) -> anyhow::Result<i64> {
    use crate::domain::vote::{Channel, Choice};
    use crate::service::voting;
    let db = &state.db;
    let round = rounds::create(
        db,
        officer,
        rounds::NewRound {
            title: PUBLISHED_ROUND_TITLE.into(),
            description: "£10,000 for green spaces this spring. The result is published: see what was funded and check the count."
                .into(),
            title_cy: None,
            description_cy: None,
            pots: vec![(woodhouse.into(), pounds(6_000)), (chapeltown.into(), pounds(4_000))],
            schedule: Schedule::default(),
            ballot: BallotSettings {
                kind: BallotKind::Approval,
                min_choices: None,
                max_choices: Some(3),
                score_min: None,
                score_max: None,
                points_total: None,
                points_max_per_bid: None,
                duplicate_policy: Default::default(),
            },
            rule: CountingRule {
                name: "mes-add1".into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2026),
                min_support: None,
                rank_points: None,
                seats: None,
                constraints: None,
            },
            // Residents aged 16 and over, as many participatory budgets
            // ask: its turnout is set against the population of that age.
            eligibility: crate::domain::Eligibility {
                min_age: Some(16),
                ..Default::default()
            },
        },
    )
    .await
    .map_err(err)?;
    lifecycle::advance(state, officer, round.id, Phase::BidsOpen)
        .await
        .map_err(err)?;
    let projects: [(usize, &str, &str, i64, &str); 7] = [
        (
            0,
            "Wildflower verges",
            "Three mown verges on the Moor sown as wildflower meadow, with signs.",
            pounds(2_200),
            "environment",
        ),
        (
            0,
            "Community compost bays",
            "Compost bays by the allotments, built and run by volunteers.",
            pounds(1_500),
            "environment",
        ),
        (
            1,
            "Planters on Brudenell Road",
            "Twelve planters with herbs and flowers, kept by the street.",
            pounds(1_900),
            "environment",
        ),
        (
            1,
            "Pocket park benches",
            "Four benches and a picnic table in the pocket park.",
            pounds(3_300),
            "health",
        ),
        (
            2,
            "Orchard by the library",
            "Ten fruit trees by Chapel Allerton library, with pruning lessons.",
            pounds(2_100),
            "environment",
        ),
        (
            2,
            "Pond clean-up",
            "Clearing and replanting the pond in Potternewton Park.",
            pounds(2_600),
            "environment",
        ),
        (
            2,
            "Bird boxes with schools",
            "Three schools build and put up fifty bird boxes.",
            pounds(600),
            "young people",
        ),
    ];
    let mut by_area: std::collections::HashMap<i64, Vec<i64>> = Default::default();
    for (area_id, bid_id) in
        eligible_bids(db, officer, chair, round.id.get(), demo_groups, &projects).await?
    {
        by_area.entry(area_id).or_default().push(bid_id.get());
    }
    lifecycle::advance(state, officer, round.id, Phase::BidReview)
        .await
        .map_err(err)?;
    let mut voters = Vec::new();
    for i in 0..60u32 {
        // Spread over the wards' neighbourhoods, so that the published
        // round shows turnout by deprivation decile.
        let (postcode, area) = if i % 3 == 2 {
            (
                ["LS7 3AB", "LS7 4AB", "LS8 1AB", "LS7 3BA"][(i / 3) as usize % 4],
                chapeltown,
            )
        } else {
            (
                ["LS6 1AB", "LS6 1BA", "LS2 9AB", "LS6 2BA"][(i / 2) as usize % 4],
                woodhouse,
            )
        };
        let participant = verification::record_in_person(
            state,
            officer,
            round.id,
            verification::InPersonRecord {
                details: verification::PersonDetails::parse(
                    &(format!(
                        "Paper Voter {}",
                        ["Ash", "Birch", "Cedar", "Elm", "Hazel", "Oak"][(i % 6) as usize]
                    ) + &"e".repeat((i / 6) as usize % 10 + 1)),
                    &format!("19{}-{:02}-{:02}", 50 + i % 40, 1 + i % 12, 1 + i % 28),
                    postcode,
                    Relation::Live,
                )
                .map_err(err)?,
                evidence: Evidence::ProofOfAddress,
                email: None,
                phone: None,
                reference: None,
            },
        )
        .await
        .map_err(err)?;
        voters.push((participant.id, area, i));
    }
    lifecycle::advance(state, officer, round.id, Phase::Voting)
        .await
        .map_err(err)?;
    for (participant_id, area, i) in voters {
        let on_ballot = &by_area[&area];
        // A fixed pattern of one to three bids per ballot.
        let picks: Vec<i64> = on_ballot
            .iter()
            .enumerate()
            .filter(|(k, _)| (i as usize * 7 + k * 3) % 5 < 2 + (*k == 0) as usize)
            .map(|(_, b)| *b)
            .take(3)
            .collect();
        let picks = if picks.is_empty() {
            vec![on_ballot[i as usize % on_ballot.len()]]
        } else {
            picks
        };
        voting::cast(
            state,
            voting::CastRequest {
                round_id: round.id,
                voter: voting::Voter::Officer {
                    officer: officer.clone(),
                    participant_id,
                },
                channel: Channel::Paper,
                choices: picks
                    .into_iter()
                    .map(|bid_id| Choice {
                        bid_id: bid_id.into(),
                        value: None,
                    })
                    .collect(),
                idempotency_key: format!("demo-paper-ballot-{i:04}"),
            },
        )
        .await
        .map_err(err)?;
    }
    // Closing voting counts the round; a councillor publishes it.
    lifecycle::advance(state, officer, round.id, Phase::Closed)
        .await
        .map_err(err)?;
    lifecycle::publish(state, councillor, round.id)
        .await
        .map_err(err)?;
    seed_delivery(state, officer, chair, round.id).await?;
    Ok(round.id.get())
}

/// A demo delivery: its status, the share of the award spent, milestones
/// (title, target and done dates in days from today), and the group's
/// updates (text, photos' alt texts, whether an officer approved it).
type DemoDelivery = (
    crate::service::delivery::Status,
    i64,
    &'static [(&'static str, i64, Option<i64>)],
    &'static [(&'static str, &'static [&'static str], bool)],
);

/// What happened next in the published round: one funded bid delivered,
/// two in progress (one with an update waiting for an officer), each with
/// milestones, spending and the group's updates with photos.
async fn seed_delivery(
    state: &AppState,
    officer: &Actor,
    chair: &Actor,
    round_id: crate::domain::id::RoundId,
) -> anyhow::Result<()> {
    use crate::service::delivery::{self, Change, Milestone, NewPhoto, Status};
    let today = chrono::Utc::now().date_naive();
    let days = |n: i64| today + chrono::Duration::days(n);
    let list = delivery::for_round(&state.db, Some(officer), round_id)
        .await
        .map_err(err)?;
    let plans: [DemoDelivery; 3] = [
        (
            Status::Delivered,
            100,
            &[
                ("Materials ordered", -70, Some(-72)),
                ("Volunteers' planting days", -40, Some(-38)),
                ("Finished and open to everyone", -14, Some(-10)),
            ],
            &[
                (
                    "We ordered everything the week the result came out. Thank you to everyone who voted.",
                    &["The materials stacked by the gate before work began"],
                    true,
                ),
                (
                    "It is finished and open: forty people came to the opening on Saturday.",
                    &[
                        "The finished project in the afternoon sun",
                        "Neighbours at the opening, standing by the new planting",
                    ],
                    true,
                ),
            ],
        ),
        (
            Status::InProgress,
            45,
            &[
                ("Quotes from three suppliers", -30, Some(-28)),
                ("Work on site", 20, None),
                ("Finished", 60, None),
            ],
            &[(
                "The supplier is chosen and work starts on site next month.",
                &["The site marked out, ready for work to begin"],
                true,
            )],
        ),
        (
            Status::InProgress,
            20,
            &[("Design agreed with residents", 14, None), ("Finished", 90, None)],
            &[(
                "We met residents on the estate to agree the design.",
                &["Residents looking at the design drawings on a table"],
                false,
            )],
        ),
    ];
    for (i, (d, (status, spent_percent, milestones, updates))) in
        list.iter().zip(plans.iter()).enumerate()
    {
        let change = |c| delivery::change(state, officer, d.id, c);
        change(Change::Milestones(
            milestones
                .iter()
                .map(|(title, target, done)| Milestone {
                    title: (*title).into(),
                    target: days(*target),
                    done: done.map(days),
                })
                .collect(),
        ))
        .await
        .map_err(err)?;
        change(Change::Spent {
            pence: d.award_pence * spent_percent / 100,
            reason: None,
        })
        .await
        .map_err(err)?;
        change(Change::Status {
            status: *status,
            reason: None,
        })
        .await
        .map_err(err)?;
        for (j, (text, alts, approve)) in updates.iter().enumerate() {
            let photos = alts
                .iter()
                .enumerate()
                .map(|(k, alt)| NewPhoto {
                    bytes: demo_photo((i * 7 + j * 3 + k) as u32),
                    alt_text: (*alt).into(),
                })
                .collect();
            let u = delivery::post_update(state, chair, d.id, text, photos)
                .await
                .map_err(err)?;
            if *approve {
                delivery::decide_update(state, officer, u.id, true, None)
                    .await
                    .map_err(err)?;
            }
        }
    }
    Ok(())
}

/// A photo for the demo, drawn rather than taken: sky, grass, a path and
/// some trees, different for each `seed`.
fn demo_photo(seed: u32) -> Vec<u8> {
    let (w, h) = (960u32, 640u32);
    let horizon = 300 + (seed * 37) % 120;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let trees = (0..4).any(|t| {
            let cx = (seed * 131 + t * 241) % w;
            let cy = horizon - 20;
            let (dx, dy) = (x as i64 - cx as i64, y as i64 - cy as i64);
            dx * dx + dy * dy < 70 * 70
        });
        let path = y > horizon && (x as i64 - (w / 2) as i64).abs() < ((y - horizon) as i64) / 2;
        if trees {
            image::Rgb([34, 100 + (seed % 40) as u8, 50])
        } else if y < horizon {
            let t = y * 255 / horizon;
            image::Rgb([120 + (t / 4) as u8, 170 + (t / 6) as u8, 235])
        } else if path {
            image::Rgb([190, 170, 140])
        } else {
            image::Rgb([70, 150 + ((x + y + seed) % 30) as u8, 60])
        }
    });
    let mut out = Vec::new();
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&image::DynamicImage::ImageRgb8(img));
    out
}
