//! Population figures and who takes part against them: imports in the
//! publishers' layouts (refused whole, with the wrong lines named, when
//! any line is wrong), turnout by area, age band, deprivation decile,
//! channel and assurance, each figure equal to a recomputation here from
//! the same files, small groups hidden, and the outreach view's reminder
//! counts.
use crate::fixtures::{self, born_years_ago, in_person_query, person};
use crate::helpers::{error_code, TestApp};
use crate::voting::{choices, dump_table, election_in_review};
use serde_json::{json, Value};
use std::collections::BTreeMap;

const WOODHOUSE: &str = include_str!("../../api/assets/population/woodhouse-mid-2022.csv");
const CHAPELTOWN: &str = include_str!("../../api/assets/population/chapeltown-mid-2022.csv");
const POSTCODES: &str = include_str!("../../api/assets/population/leeds-postcodes.csv");
const IMD: &str = include_str!("../../api/assets/population/imd-2019.csv");
const WIMD: &str = include_str!("../../api/assets/population/wimd-2019.csv");

const IMPORT_POPULATION: &str = "mutation($i: ImportPopulationInput!) { importPopulation(input: $i) { source geographies people byAgeBand { band people } } }";
const IMPORT_DEPRIVATION: &str = "mutation($i: ImportDeprivationInput!) { importDeprivation(input: $i) { source postcodes neighbourhoods postcodesWithoutDecile } }";
const AREA_POPULATION: &str =
    "query($a: ID!) { area(id: $a) { population { source geographies people byAgeBand { band people } } } }";
const LOOKUP: &str =
    "{ deprivationLookup { source postcodes neighbourhoods postcodesWithoutDecile } }";
const GROUP: &str = "key notKnown voters suppressed population shareOfVoters shareOfPopulation rate area { name } ageBand decile channel assurance";
const ASSISTED: &str =
    "mutation($i: CastAssistedBallotInput!) { castAssistedBallot(input: $i) { receipt { code } } }";
const SET_REMINDERS: &str =
    "mutation($i: SetRemindersInput!) { setReminders(input: $i) { channel } }";

fn participation_query() -> String {
    let breakdown =
        format!("{{ representativeness lowest {{ key }} highest {{ key }} groups {{ {GROUP} }} }}");
    format!(
        "query($r: ID!) {{ round(id: $r) {{ participation {{ voters eligiblePopulation turnout fromAge smallestGroupShown deprivationKnown byArea {breakdown} byAgeBand {breakdown} byDeprivationDecile {breakdown} byChannel {breakdown} byAssurance {breakdown} }} }} }}"
    )
}

const OUTREACH: &str = "query($r: ID!) { round(id: $r) { outreach { area { name } ageBand voters population shareOfVoters shareOfPopulation rate remindersByEmail remindersByText } } }";

/// Each geography's people by age, read here independently of the API:
/// the rows under the header that names age 0, ages summed over the sexes.
fn ages_by_geography(file: &str) -> BTreeMap<String, Vec<u64>> {
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(file.as_bytes())
        .into_records()
        .map(|r| r.unwrap());
    let header = rows
        .by_ref()
        .find(|r| r.iter().any(|c| c == "0" || c == "F0"))
        .unwrap();
    let column_of_age = |age: usize| -> Vec<usize> {
        let names: Vec<String> = if age == 90 {
            vec!["90+".into(), "F90".into(), "M90".into()]
        } else {
            vec![age.to_string(), format!("F{age}"), format!("M{age}")]
        };
        header
            .iter()
            .enumerate()
            .filter(|(_, h)| names.iter().any(|n| n == h))
            .map(|(i, _)| i)
            .collect()
    };
    let code = header
        .iter()
        .position(|h| h.starts_with("LSOA") && h.ends_with("Code"))
        .unwrap();
    let mut out = BTreeMap::new();
    for row in rows {
        if row.len() < 90 {
            continue;
        }
        let ages = (0..=90)
            .map(|a| {
                column_of_age(a)
                    .iter()
                    .map(|c| row[*c].replace(',', "").parse::<u64>().unwrap())
                    .sum()
            })
            .collect();
        out.insert(row[code].to_owned(), ages);
    }
    out
}

fn csv_file(content: &str) -> Value {
    json!({ "content": content })
}

/// The bands as the API names them, with their ages.
const BANDS: [(&str, u32, u32); 8] = [
    ("UNDER_18", 0, 17),
    ("AGE_18_TO_24", 18, 24),
    ("AGE_25_TO_34", 25, 34),
    ("AGE_35_TO_44", 35, 44),
    ("AGE_45_TO_54", 45, 54),
    ("AGE_55_TO_64", 55, 64),
    ("AGE_65_TO_74", 65, 74),
    ("AGE_75_AND_OVER", 75, 90),
];

fn in_band(ages: &[u64], from: u32, to: u32) -> u64 {
    (from..=to).map(|a| ages[a as usize]).sum()
}

#[tokio::test]
async fn imports_read_the_publishers_layouts_and_a_wrong_line_refuses_the_whole_file() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    let resident = app.sign_in("resident@example.org").await;

    // Residents may not import.
    let input = json!({ "areaId": area, "source": "ONS mid-2022", "file": csv_file(WOODHOUSE) });
    assert_eq!(
        app.refused(Some(&resident), IMPORT_POPULATION, json!({ "i": input }))
            .await,
        "NOT_AUTHORISED"
    );

    // The ONS single-year layout, title lines and footnote included.
    let data = app
        .ok(Some(&officer), IMPORT_POPULATION, json!({ "i": input }))
        .await;
    let expected = ages_by_geography(WOODHOUSE);
    let people: u64 = expected.values().flatten().sum();
    assert_eq!(data["importPopulation"]["geographies"], expected.len());
    assert_eq!(data["importPopulation"]["people"], people);
    for (i, (band, from, to)) in BANDS.iter().enumerate() {
        let want: u64 = expected.values().map(|a| in_band(a, *from, *to)).sum();
        assert_eq!(data["importPopulation"]["byAgeBand"][i]["band"], *band);
        assert_eq!(
            data["importPopulation"]["byAgeBand"][i]["people"], want,
            "{band}"
        );
    }

    // A file with wrong lines is refused whole, naming them; the figures in
    // use stay as they were.
    let mut lines: Vec<String> = CHAPELTOWN.lines().map(str::to_owned).collect();
    lines[3] = lines[3].replacen(",1530,", ",1531,", 1);
    lines[4] = lines[4].replacen("E01011290", "E0101129", 1);
    let bad = lines.join("\n");
    let res = app
        .gql(
            Some(&officer),
            IMPORT_POPULATION,
            json!({ "i": { "areaId": area, "source": "ONS mid-2022", "file": csv_file(&bad) } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_POPULATION_FILE");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("line 4: the ages add up to 1530 but the total says 1531"),
        "{message}"
    );
    assert!(
        message.contains("line 5: \"E0101129\" is not an ONS geography code"),
        "{message}"
    );
    let kept = app
        .ok(Some(&officer), AREA_POPULATION, json!({ "a": area }))
        .await;
    assert_eq!(kept["area"]["population"]["people"], people);

    // A file that is not CSV of ages at all, and no source.
    let res = app
        .gql(
            Some(&officer),
            IMPORT_POPULATION,
            json!({ "i": { "areaId": area, "source": "x", "file": csv_file("name,postcode\nA,LS6 1AB\n") } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_POPULATION_FILE");
    let res = app
        .gql(
            Some(&officer),
            IMPORT_POPULATION,
            json!({ "i": { "areaId": area, "source": " ", "file": csv_file(WOODHOUSE) } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");

    // The layout by sex replaces the figures, whole.
    let data = app
        .ok(
            Some(&officer),
            IMPORT_POPULATION,
            json!({ "i": { "areaId": area, "source": "Second version", "file": csv_file(CHAPELTOWN) } }),
        )
        .await;
    let second: u64 = ages_by_geography(CHAPELTOWN).values().flatten().sum();
    assert_eq!(data["importPopulation"]["people"], second);
    let kept = app.ok(None, AREA_POPULATION, json!({ "a": area })).await;
    assert_eq!(kept["area"]["population"]["source"], "Second version");
    assert_eq!(kept["area"]["population"]["geographies"], 4);

    // The deprivation look-up: the postcode file and the deciles together.
    let lookup = |postcodes: &str, deciles: &str| json!({ "i": { "source": "ONS look-up and IMD 2019", "postcodes": csv_file(postcodes), "deciles": csv_file(deciles) } });
    assert_eq!(
        app.refused(Some(&resident), IMPORT_DEPRIVATION, lookup(POSTCODES, IMD))
            .await,
        "NOT_AUTHORISED"
    );
    let data = app
        .ok(Some(&officer), IMPORT_DEPRIVATION, lookup(POSTCODES, IMD))
        .await;
    // Every postcode with a neighbourhood (the large user's has none).
    let with_lsoa = POSTCODES
        .lines()
        .skip(1)
        .filter(|l| !l.split(',').nth(7).unwrap_or("").is_empty())
        .count();
    assert_eq!(data["importDeprivation"]["postcodes"], with_lsoa);
    assert_eq!(data["importDeprivation"]["neighbourhoods"], 8);
    assert_eq!(data["importDeprivation"]["postcodesWithoutDecile"], 0);
    // Welsh deciles for English postcodes match nothing: refused, and the
    // look-up in use stays.
    let res = app
        .gql(Some(&officer), IMPORT_DEPRIVATION, lookup(POSTCODES, WIMD))
        .await;
    assert_eq!(error_code(&res), "INVALID_POPULATION_FILE");
    let bad_postcodes = format!("{POSTCODES}XX,XX,XX,1,,0,E00000001,E01011354,,,,,,\n");
    let res = app
        .gql(
            Some(&officer),
            IMPORT_DEPRIVATION,
            lookup(&bad_postcodes, IMD),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_POPULATION_FILE");
    let line = bad_postcodes.lines().count();
    assert!(
        res["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains(&format!("line {line}: \"XX\" is not a postcode")),
        "{res:#}"
    );
    let data = app.ok(Some(&officer), LOOKUP, json!({})).await;
    assert_eq!(data["deprivationLookup"]["neighbourhoods"], 8);
    assert_eq!(
        app.refused(Some(&resident), LOOKUP, json!({})).await,
        "NOT_AUTHORISED"
    );

    // Each import is audited, once.
    let audits = dump_table(&app, "audit_events").await;
    let count = |action: &str| {
        audits
            .iter()
            .filter(|a| a["action"] == json!(action))
            .count()
    };
    assert_eq!(count("population_imported"), 2);
    assert_eq!(count("deprivation_imported"), 1);
}

/// One person to verify: a name, an age and a postcode.
struct Person {
    age: u32,
    postcode: &'static str,
    votes: bool,
    reminders: Option<&'static str>,
}

fn people() -> Vec<Person> {
    let mut out = Vec::new();
    let mut add = |n: usize, age: u32, postcode: &'static str, votes: bool, reminders| {
        for _ in 0..n {
            out.push(Person {
                age,
                postcode,
                votes,
                reminders,
            });
        }
    };
    // Hyde Park: young people in decile 3, older people in decile 2, a
    // few middle-aged in decile 4; ten young people who have not voted
    // asked for reminders by email, two older ones by text.
    add(12, 20, "LS6 1AB", true, None);
    add(11, 68, "LS6 2BA", true, None);
    add(3, 40, "LS6 1BA", true, None);
    add(10, 21, "LS6 1AD", false, Some("EMAIL"));
    add(2, 70, "LS6 2BB", false, Some("TEXT"));
    // Chapel Allerton: eight people in their thirties, decile 1.
    add(8, 30, "LS7 3AB", true, None);
    out
}

#[tokio::test]
async fn turnout_is_set_against_the_population_and_small_groups_are_hidden() {
    let app = TestApp::spawn().await;
    let e = election_in_review(&app, json!({ "kind": "APPROVAL" }), 0, None).await;
    let officer = &e.officer;
    // The look-up first: a decile is worked out when someone is verified.
    app.ok(
        Some(officer),
        IMPORT_DEPRIVATION,
        json!({ "i": { "source": "ONS look-up and IMD 2019", "postcodes": csv_file(POSTCODES), "deciles": csv_file(IMD) } }),
    )
    .await;
    let round = app
        .ok(
            Some(officer),
            "query($r: ID!) { round(id: $r) { pots { area { id name } } } }",
            json!({ "r": e.round }),
        )
        .await;
    let area_id = |name: &str| {
        round["round"]["pots"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["area"]["name"] == name)
            .unwrap()["area"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (hyde_park, chapel) = (area_id("Hyde Park"), area_id("Chapel Allerton"));
    for (area, file) in [(&hyde_park, WOODHOUSE), (&chapel, CHAPELTOWN)] {
        app.ok(
            Some(officer),
            IMPORT_POPULATION,
            json!({ "i": { "areaId": area, "source": "ONS mid-2022", "file": csv_file(file) } }),
        )
        .await;
    }
    let chapel_bid = &e.other_pot_bid;

    let people = people();
    let mut verifications = Vec::new();
    for (i, p) in people.iter().enumerate() {
        let input = json!({
            "person": person(&format!("Resident Number{i}"), &born_years_ago(p.age, -30), p.postcode),
            "evidence": "PHOTO_ID",
        });
        let v = app
            .ok(
                Some(officer),
                &in_person_query(),
                json!({ "r": e.round, "i": input }),
            )
            .await;
        let id = v["recordInPersonVerification"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        if let Some(channel) = p.reminders {
            let contact = if channel == "EMAIL" {
                format!("resident{i}@example.org")
            } else {
                format!("07700 900{i:03}")
            };
            app.ok(
                Some(officer),
                SET_REMINDERS,
                json!({ "i": { "roundId": e.round, "verificationId": id, "channel": channel, "contact": contact } }),
            )
            .await;
        }
        verifications.push(id);
    }
    // Before voting nobody sees the figures.
    let query = participation_query();
    let seen = app.ok(Some(officer), &query, json!({ "r": e.round })).await;
    assert!(seen["round"]["participation"].is_null());
    fixtures::advance(&app, officer, &e.round, "VOTING").await;
    for (i, p) in people.iter().enumerate() {
        if !p.votes {
            continue;
        }
        let bid = if p.postcode.starts_with("LS7") {
            chapel_bid
        } else {
            &e.bids[0]
        };
        app.ok(
            Some(officer),
            ASSISTED,
            json!({ "i": { "roundId": e.round, "verificationId": verifications[i], "channel": if i % 2 == 0 { "PAPER" } else { "ASSISTED" }, "choices": choices(&[bid]), "idempotencyKey": format!("population-{i}") } }),
        )
        .await;
    }

    // During voting: staff see who took part; residents and the public do
    // not.
    let resident = app.sign_in("someone@example.org").await;
    for who in [None, Some(resident.as_str())] {
        let seen = app.ok(who, &query, json!({ "r": e.round })).await;
        assert!(seen["round"]["participation"].is_null());
    }
    let councillor = app
        .signed_in_as("councillor@council.test", api::domain::Role::Councillor)
        .await;
    let staff = app
        .ok(Some(&councillor), &query, json!({ "r": e.round }))
        .await;
    let p = &staff["round"]["participation"];

    // The population, recomputed here from the same files.
    let hyde: Vec<Vec<u64>> = ages_by_geography(WOODHOUSE).into_values().collect();
    let chap: Vec<Vec<u64>> = ages_by_geography(CHAPELTOWN).into_values().collect();
    let hyde_people: u64 = hyde.iter().flatten().sum();
    let chap_people: u64 = chap.iter().flatten().sum();
    let voters = people.iter().filter(|p| p.votes).count() as u64;
    assert_eq!(p["voters"], voters);
    assert_eq!(p["eligiblePopulation"], hyde_people + chap_people);
    assert_eq!(p["fromAge"], 0);
    assert_eq!(p["smallestGroupShown"], 10);
    assert_eq!(p["deprivationKnown"], true);
    let close = |v: &Value, want: f64| {
        let got = v.as_f64().unwrap_or_else(|| panic!("a number, not {v}"));
        assert!((got - want).abs() < 1e-9, "{got} is not {want}");
    };
    close(
        &p["turnout"],
        voters as f64 / (hyde_people + chap_people) as f64,
    );

    // By area: Chapel Allerton's 8 are fewer than 10, and Hyde Park's 26
    // would give them away with the total: both hidden; populations shown.
    let by_area = &p["byArea"]["groups"];
    assert_eq!(by_area[0]["area"]["name"], "Hyde Park");
    assert_eq!(by_area[0]["population"], hyde_people);
    assert_eq!(by_area[1]["population"], chap_people);
    for g in by_area.as_array().unwrap() {
        assert_eq!(g["suppressed"], true);
        assert!(g["voters"].is_null() && g["rate"].is_null() && g["shareOfVoters"].is_null());
    }
    assert!(p["byArea"]["representativeness"].is_null());

    // By age band: 12 aged 20 and 11 aged 68 shown; 8 in their thirties
    // and 3 in their forties hidden.
    let bands = p["byAgeBand"]["groups"].as_array().unwrap();
    assert_eq!(bands.len(), 8);
    let all: Vec<&Vec<u64>> = hyde.iter().chain(chap.iter()).collect();
    let total_population: u64 = all.iter().map(|a| a.iter().sum::<u64>()).sum();
    let mut rates = Vec::new();
    for (g, (band, from, to)) in bands.iter().zip(BANDS) {
        assert_eq!(g["ageBand"], band);
        let population: u64 = all.iter().map(|a| in_band(a, from, to)).sum();
        assert_eq!(g["population"], population, "{band}");
        close(
            &g["shareOfPopulation"],
            population as f64 / total_population as f64,
        );
        let took = people
            .iter()
            .filter(|p| p.votes && (from..=to).contains(&p.age))
            .count() as u64;
        if took == 0 || took >= 10 {
            assert_eq!(g["voters"], took, "{band}");
            close(&g["rate"], took as f64 / population as f64);
            close(&g["shareOfVoters"], took as f64 / voters as f64);
            rates.push((band, took as f64 / population as f64));
        } else {
            assert_eq!(g["suppressed"], true, "{band}");
        }
    }
    let lowest = rates.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    let highest = rates.iter().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    close(&p["byAgeBand"]["representativeness"], lowest.1 / highest.1);
    assert_eq!(p["byAgeBand"]["highest"]["key"], "65-74");

    // By decile: the deciles of the voters' postcodes' neighbourhoods, and
    // the population of the neighbourhoods in each.
    let decile_of_lsoa: BTreeMap<String, u64> = IMD
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].to_owned(), cells[5].parse().unwrap())
        })
        .collect();
    let mut decile_population: BTreeMap<u64, u64> = BTreeMap::new();
    for file in [WOODHOUSE, CHAPELTOWN] {
        for (code, ages) in ages_by_geography(file) {
            *decile_population.entry(decile_of_lsoa[&code]).or_default() +=
                ages.iter().sum::<u64>();
        }
    }
    let deciles = p["byDeprivationDecile"]["groups"].as_array().unwrap();
    let shown: Vec<(i64, Value, Value)> = deciles
        .iter()
        .map(|g| {
            (
                g["decile"].as_i64().unwrap(),
                g["voters"].clone(),
                g["population"].clone(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        vec![
            (1, Value::Null, json!(decile_population[&1])),
            (2, json!(11), json!(decile_population[&2])),
            (3, json!(12), json!(decile_population[&3])),
            (4, Value::Null, json!(decile_population[&4])),
            (5, json!(0), json!(decile_population[&5])),
        ]
    );

    // By channel: 17 on paper, 17 assisted; by assurance: all higher.
    let channels: Vec<(String, Value)> = p["byChannel"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["channel"].as_str().unwrap().to_owned(),
                g["voters"].clone(),
            )
        })
        .collect();
    assert!(
        channels.contains(&("PAPER".into(), json!(17))),
        "{channels:?}"
    );
    assert!(
        channels.contains(&("ASSISTED".into(), json!(17))),
        "{channels:?}"
    );
    assert!(channels.contains(&("WEB".into(), json!(0))), "{channels:?}");
    assert_eq!(p["byAssurance"]["groups"][1]["assurance"], "HIGHER");
    assert_eq!(p["byAssurance"]["groups"][1]["voters"], voters);

    // Nothing anywhere shows a number of voters between 1 and 9.
    for breakdown in [
        "byArea",
        "byAgeBand",
        "byDeprivationDecile",
        "byChannel",
        "byAssurance",
    ] {
        for g in p[breakdown]["groups"].as_array().unwrap() {
            if let Some(n) = g["voters"].as_u64() {
                assert!(n == 0 || n >= 10, "{breakdown}: {g}");
            }
        }
    }

    // Outreach: Hyde Park's young people are furthest below their share;
    // ten of them asked for reminders by email and have not voted; the two
    // older people asking by text are fewer than ten.
    let outreach = app
        .ok(Some(officer), OUTREACH, json!({ "r": e.round }))
        .await;
    let rows = outreach["round"]["outreach"].as_array().unwrap();
    let gap = |r: &Value| {
        r["shareOfPopulation"].as_f64().unwrap() - r["shareOfVoters"].as_f64().unwrap_or(0.0)
    };
    let young = rows
        .iter()
        .find(|r| r["area"]["name"] == "Hyde Park" && r["ageBand"] == "AGE_18_TO_24")
        .unwrap();
    assert_eq!(young["voters"], 12);
    assert_eq!(young["remindersByEmail"], 10);
    assert_eq!(young["remindersByText"], 0);
    let older = rows
        .iter()
        .find(|r| r["area"]["name"] == "Hyde Park" && r["ageBand"] == "AGE_65_TO_74")
        .unwrap();
    assert!(older["remindersByText"].is_null());
    assert_eq!(rows.len(), 16, "8 bands in each of the two areas");
    for w in rows.windows(2) {
        // Hidden groups are still ordered by their true gap, so only shown
        // ones can be compared here.
        if !w[0]["voters"].is_null() && !w[1]["voters"].is_null() {
            assert!(gap(&w[0]) >= gap(&w[1]) - 1e-12, "{} then {}", w[0], w[1]);
        }
    }
    assert_eq!(
        app.refused(Some(&resident), OUTREACH, json!({ "r": e.round }))
            .await,
        "NOT_AUTHORISED"
    );

    // The record that someone took part keeps an age band and a decile,
    // never a date of birth or a postcode.
    let rows = dump_table(&app, "participation").await;
    assert_eq!(rows.len() as u64, voters);
    for r in &rows {
        assert!(!r["age_band"].is_null(), "{r:?}");
        assert!(!r["deprivation_decile"].is_null(), "{r:?}");
        assert!(!format!("{r:?}").contains("LS6"), "{r:?}");
    }

    // Once published, everyone sees the same figures; outreach is over.
    let data = app
        .ok(
            Some(officer),
            "mutation($id: ID!) { advanceRound(id: $id, to: CLOSED) { phase } }",
            json!({ "id": e.round }),
        )
        .await;
    assert_eq!(data["advanceRound"]["phase"], "COUNTED");
    let public = app.ok(None, &query, json!({ "r": e.round })).await;
    assert!(public["round"]["participation"].is_null());
    app.ok(
        Some(&councillor),
        crate::results::PUBLISH,
        json!({ "r": e.round }),
    )
    .await;
    let public = app.ok(None, &query, json!({ "r": e.round })).await;
    assert_eq!(public["round"]["participation"], *p);
    let outreach = app
        .ok(Some(officer), OUTREACH, json!({ "r": e.round }))
        .await;
    assert_eq!(outreach["round"]["outreach"], json!([]));
}
