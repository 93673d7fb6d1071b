//! Builders for the records most tests need, made through the API itself.
use crate::helpers::TestApp;
use serde_json::{json, Value};

pub const CREATE_AREA: &str =
    "mutation($i: CreateAreaInput!) { createArea(input: $i) { id name coverage(first: 100) { nodes } } }";
pub const CREATE_ROUND: &str = "mutation($i: CreateRoundInput!) { createRound(input: $i) { id phase pots { id amountPence area { id } } } }";
pub const ADVANCE: &str =
    "mutation($id: ID!, $to: Phase!) { advanceRound(id: $id, to: $to) { id phase } }";
pub const REGISTER_GROUP: &str =
    "mutation($i: RegisterGroupInput!) { registerGroup(input: $i) { id name } }";
pub const SUBMIT_BID: &str =
    "mutation($i: SubmitBidInput!) { submitBid(input: $i) { id status costPence title } }";

pub async fn area(app: &TestApp, officer: &str, name: &str, coverage: &[&str]) -> String {
    let data = app
        .ok(
            Some(officer),
            CREATE_AREA,
            json!({ "i": { "name": name, "kind": "ward", "coverage": coverage } }),
        )
        .await;
    data["createArea"]["id"]
        .as_str()
        .expect("area id")
        .to_owned()
}

pub fn round_input(title: &str, pots: &[(&str, i64)]) -> Value {
    json!({
        "title": title,
        "description": "Money for projects that groups run in their own streets.",
        "pots": pots.iter().map(|(a, p)| json!({ "areaId": a, "amountPence": p })).collect::<Vec<_>>(),
        "ballot": { "kind": "APPROVAL", "maxChoices": 5 },
        "countingRule": { "name": "mes-add1", "tieBreak": "COST_SUPPORT_SEED", "seed": "2027" }
    })
}

pub async fn round(app: &TestApp, officer: &str, pots: &[(&str, i64)]) -> String {
    let data = app
        .ok(
            Some(officer),
            CREATE_ROUND,
            json!({ "i": round_input("Neighbourhood Fund", pots) }),
        )
        .await;
    data["createRound"]["id"]
        .as_str()
        .expect("round id")
        .to_owned()
}

pub async fn advance(app: &TestApp, officer: &str, round: &str, to: &str) {
    app.ok(Some(officer), ADVANCE, json!({ "id": round, "to": to }))
        .await;
}

pub async fn group(app: &TestApp, member: &str, name: &str, area: &str) -> String {
    let data = app
        .ok(
            Some(member),
            REGISTER_GROUP,
            json!({ "i": { "name": name, "description": "Volunteers who look after the park.", "contactEmail": "hello@friends.test", "areaId": area } }),
        )
        .await;
    data["registerGroup"]["id"]
        .as_str()
        .expect("group id")
        .to_owned()
}

pub const INVITE: &str =
    "mutation($g: ID!, $e: String!) { inviteGroupMember(groupId: $g, email: $e) { id status } }";
pub const MY_INVITATIONS: &str = "{ myGroupInvitations { id status group { id name } } }";
pub const ANSWER_INVITATION: &str = "mutation($id: ID!, $a: Boolean!) { answerGroupInvitation(invitationId: $id, accept: $a) { status } }";

/// A member invites `email`, and the person signed in with that address
/// (`invitee`) accepts.
pub async fn join_group(app: &TestApp, member: &str, group: &str, email: &str, invitee: &str) {
    let sent = app
        .ok(Some(member), INVITE, json!({ "g": group, "e": email }))
        .await;
    let id = sent["inviteGroupMember"]["id"].clone();
    let accepted = app
        .ok(
            Some(invitee),
            ANSWER_INVITATION,
            json!({ "id": id, "a": true }),
        )
        .await;
    assert_eq!(accepted["answerGroupInvitation"]["status"], "ACCEPTED");
}

pub fn bid_details(title: &str, cost: i64) -> Value {
    json!({
        "title": title,
        "summary": "Wildflower verges along the park's paths.",
        "description": "Turn three mown verges into wildflower meadow with native seed and signs.",
        "costPence": cost,
        "category": "environment",
        "location": { "address": "Woodhouse Moor, Leeds", "latitude": 53.8108, "longitude": -1.5631 }
    })
}

pub fn bid_input(round: &str, group: &str, area: &str, title: &str, cost: i64) -> Value {
    json!({ "roundId": round, "groupId": group, "areaId": area, "details": bid_details(title, cost) })
}

/// Submits a bid that must be accepted, and returns its id.
pub async fn bid(
    app: &TestApp,
    member: &str,
    round: &str,
    group: &str,
    area: &str,
    title: &str,
    cost: i64,
) -> String {
    let data = app
        .ok(
            Some(member),
            SUBMIT_BID,
            json!({ "i": bid_input(round, group, area, title, cost) }),
        )
        .await;
    assert_eq!(data["submitBid"]["status"], "SUBMITTED");
    data["submitBid"]["id"].as_str().expect("bid id").to_owned()
}

/// An officer, one area with a £10,000 pot, a round with bids open, and a
/// group with one signed-in member.
pub struct OpenRound {
    pub officer: String,
    pub area: String,
    pub round: String,
    pub member: String,
    pub group: String,
}

pub async fn open_round(app: &TestApp) -> OpenRound {
    let officer = app.officer().await;
    let area = area(app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    let round = round(app, &officer, &[(&area, 1_000_000)]).await;
    advance(app, &officer, &round, "BIDS_OPEN").await;
    let member = app.sign_in("chair@friends.test").await;
    let group = group(app, &member, "Friends of the Moor", &area).await;
    OpenRound {
        officer,
        area,
        round,
        member,
        group,
    }
}

pub const VERIFICATION_FIELDS: &str = "id roundId accountId verified held assurance methods relation ageCheckedAtLeast hasPhone hasEmail evidence recordedBy area { name }";

pub fn declare_query() -> String {
    format!("mutation($r: ID!, $p: PersonDetailsInput!) {{ declareEligibility(roundId: $r, person: $p) {{ {VERIFICATION_FIELDS} }} }}")
}

pub fn in_person_query() -> String {
    format!("mutation($r: ID!, $i: InPersonVerificationInput!) {{ recordInPersonVerification(roundId: $r, input: $i) {{ {VERIFICATION_FIELDS} }} }}")
}

pub const MY_VERIFICATIONS: &str = "{ myVerifications { id roundId verified methods storedData hasPhone hasEmail ageCheckedAtLeast area { name } } }";

pub const REQUEST_CODE: &str = "mutation($r: ID!, $c: CodeChannel!, $to: String!) { requestVerificationCode(roundId: $r, channel: $c, to: $to) { sent message } }";
pub const CONFIRM_CODE: &str = "mutation($r: ID!, $c: CodeChannel!, $to: String!, $code: String!) { confirmVerificationCode(roundId: $r, channel: $c, to: $to, code: $code) { verified methods hasPhone hasEmail } }";

/// The default rules with changes.
pub fn eligibility(changes: Value) -> Value {
    let mut e = json!({
        "relations": ["LIVE"],
        "minAge": null,
        "methods": ["POSTCODE", "SMS", "EMAIL", "REGISTER", "IN_PERSON"],
        "postcodeAloneEnough": false
    });
    if let (Some(e), Some(c)) = (e.as_object_mut(), changes.as_object()) {
        for (k, v) in c {
            e.insert(k.clone(), v.clone());
        }
        // A postcode alone is low assurance: a round that lets it verify
        // people accepts low assurance.
        if c.get("postcodeAloneEnough") == Some(&json!(true))
            && !c.contains_key("acceptLowAssurance")
        {
            e.insert("acceptLowAssurance".into(), json!(true));
        }
    }
    e
}

/// An officer, the Hyde Park area (LS6 1, LS6 2) and Chapel Allerton (LS7 3,
/// outside the round), and a round over Hyde Park with bids open and the
/// given eligibility rules.
pub struct VerificationRound {
    pub officer: String,
    pub area: String,
    pub round: String,
}

pub async fn verification_round(app: &TestApp, rules: Value) -> VerificationRound {
    let officer = app.officer().await;
    let hyde_park = area(app, &officer, "Hyde Park", &["LS6 1", "LS6 2"]).await;
    area(app, &officer, "Chapel Allerton", &["LS7 3"]).await;
    let mut input = round_input("Hyde Park Fund", &[(&hyde_park, 1_000_000)]);
    input["eligibility"] = rules;
    let data = app
        .ok(Some(&officer), CREATE_ROUND, json!({ "i": input }))
        .await;
    let round = data["createRound"]["id"]
        .as_str()
        .expect("round id")
        .to_owned();
    advance(app, &officer, &round, "BIDS_OPEN").await;
    VerificationRound {
        officer,
        area: hyde_park,
        round,
    }
}

pub fn person(name: &str, dob: &str, postcode: &str) -> Value {
    json!({ "name": name, "dateOfBirth": dob, "postcode": postcode })
}

/// A date of birth that makes someone exactly `years` old today, moved by
/// `days` (positive: later, so younger).
pub fn born_years_ago(years: u32, days: i64) -> String {
    let today = chrono::Utc::now().date_naive();
    let birthday = today
        .checked_sub_months(chrono::Months::new(12 * years))
        .expect("a date in range");
    (birthday + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}
