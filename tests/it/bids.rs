//! Community groups and their bids, from submission through review.
use crate::fixtures::{self, bid_details, bid_input, SUBMIT_BID};
use crate::helpers::TestApp;
use serde_json::json;

const UPDATE: &str = "mutation($id: ID!, $d: BidDetailsInput!) { updateBid(id: $id, details: $d) { id title costPence status } }";
const WITHDRAW: &str = "mutation($id: ID!) { withdrawBid(id: $id) { status } }";
const REVIEW: &str = "mutation($id: ID!, $d: ReviewDecision!, $r: String) { reviewBid(id: $id, decision: $d, reason: $r) { status reviewReason } }";
const BID: &str = "query($id: ID!) { bid(id: $id) { title status reviewReason costDisplay location { address latitude longitude } group { name } area { name } } }";

#[tokio::test]
async fn a_group_submits_edits_and_has_its_bid_reviewed() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let bid = fixtures::bid(
        &app,
        &r.member,
        &r.round,
        &r.group,
        &r.area,
        "Wildflower verges",
        480_000,
    )
    .await;

    let data = app
        .ok(
            Some(&r.member),
            UPDATE,
            json!({ "id": bid, "d": bid_details("Wildflower verges and bulbs", 520_000) }),
        )
        .await;
    assert_eq!(data["updateBid"]["costPence"], 520_000);

    let data = app.ok(None, BID, json!({ "id": bid })).await;
    assert_eq!(data["bid"]["costDisplay"], "£5,200.00");
    assert_eq!(
        data["bid"]["location"],
        json!({ "address": "Woodhouse Moor, Leeds", "latitude": 53.8108, "longitude": -1.5631 })
    );
    assert_eq!(data["bid"]["group"]["name"], "Friends of the Moor");

    // Review during bid review: changes asked for, with a reason the group sees.
    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    let reason = "Please add the cost of signs to the budget.";
    let data = app
        .ok(
            Some(&r.officer),
            REVIEW,
            json!({ "id": bid, "d": "CHANGES_REQUESTED", "r": reason }),
        )
        .await;
    assert_eq!(data["reviewBid"]["status"], "CHANGES_REQUESTED");
    assert_eq!(
        app.ok(Some(&r.member), BID, json!({ "id": bid })).await["bid"]["reviewReason"],
        reason
    );
    let stranger = app.sign_in("stranger@example.org").await;
    assert!(
        app.ok(Some(&stranger), BID, json!({ "id": bid })).await["bid"]["reviewReason"].is_null()
    );
    assert!(app.ok(None, BID, json!({ "id": bid })).await["bid"]["reviewReason"].is_null());
    // The group is told by email, with the reason.
    let told = app.smtp.messages_to("hello@friends.test");
    let told = told
        .iter()
        .find(|m| m.contains("has been reviewed"))
        .expect("the group is emailed the review");
    assert!(told.contains("asked for changes"), "{told}");
    assert!(told.contains(reason), "{told}");

    // The group edits during review because changes were asked for, as
    // often as it likes, then resubmits: the bid goes back for review, the
    // old reason kept in its history rather than shown as current.
    let data = app
        .ok(
            Some(&r.member),
            UPDATE,
            json!({ "id": bid, "d": bid_details("Wildflower verges with signs", 560_000) }),
        )
        .await;
    assert_eq!(data["updateBid"]["status"], "CHANGES_REQUESTED");
    let resubmit = "mutation($id: ID!) { resubmitBid(id: $id) { status reviewReason reviewHistory { decision reason } } }";
    let data = app
        .ok(Some(&r.member), resubmit, json!({ "id": bid }))
        .await;
    assert_eq!(data["resubmitBid"]["status"], "SUBMITTED");
    assert!(data["resubmitBid"]["reviewReason"].is_null());
    assert_eq!(
        data["resubmitBid"]["reviewHistory"],
        json!([{ "decision": "CHANGES_REQUESTED", "reason": reason }])
    );
    assert_eq!(
        app.refused(Some(&r.member), resubmit, json!({ "id": bid }))
            .await,
        "INVALID_TRANSITION"
    );
    let data = app
        .ok(
            Some(&r.officer),
            REVIEW,
            json!({ "id": bid, "d": "ELIGIBLE" }),
        )
        .await;
    assert_eq!(data["reviewBid"]["status"], "ELIGIBLE");
    assert!(app
        .smtp
        .messages_to("hello@friends.test")
        .iter()
        .any(|m| m.contains("It is eligible")));
    // Once eligible, it cannot be edited during review.
    let again = json!({ "id": bid, "d": bid_details("Something else", 100_000) });
    assert_eq!(
        app.refused(Some(&r.member), UPDATE, again).await,
        "PHASE_CLOSED"
    );

    // The group's page lists it.
    let q = "query($id: ID!) { group(id: $id) { bids { nodes { title status } } } }";
    let data = app.ok(None, q, json!({ "id": r.group })).await;
    assert_eq!(
        data["group"]["bids"]["nodes"],
        json!([{ "title": "Wildflower verges with signs", "status": "ELIGIBLE" }])
    );
}

#[tokio::test]
async fn ineligible_needs_a_reason_and_only_officers_review() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let bid = fixtures::bid(
        &app,
        &r.member,
        &r.round,
        &r.group,
        &r.area,
        "New goalposts",
        300_000,
    )
    .await;
    assert_eq!(
        app.refused(
            Some(&r.member),
            REVIEW,
            json!({ "id": bid, "d": "ELIGIBLE" })
        )
        .await,
        "NOT_AUTHORISED"
    );
    let res = app
        .gql(
            Some(&r.officer),
            REVIEW,
            json!({ "id": bid, "d": "INELIGIBLE" }),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INVALID_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "reason");
    let data = app
        .ok(
            Some(&r.officer),
            REVIEW,
            json!({ "id": bid, "d": "INELIGIBLE", "r": "The pitch is privately owned." }),
        )
        .await;
    assert_eq!(data["reviewBid"]["status"], "INELIGIBLE");
}

#[tokio::test]
async fn a_bid_costing_more_than_its_pot_is_refused() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let res = app
        .gql(
            Some(&r.member),
            SUBMIT_BID,
            json!({ "i": bid_input(&r.round, &r.group, &r.area, "A new library", 1_000_001) }),
        )
        .await;
    assert_eq!(
        res["errors"][0]["extensions"]["code"],
        "BID_COST_EXCEEDS_POT"
    );
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("£10,000.01") && message.contains("£10,000.00"),
        "{message}"
    );
    // Exactly the pot is fine; raising it above the pot by editing is not.
    let bid = fixtures::bid(
        &app,
        &r.member,
        &r.round,
        &r.group,
        &r.area,
        "A new library",
        1_000_000,
    )
    .await;
    let res = app
        .refused(
            Some(&r.member),
            UPDATE,
            json!({ "id": bid, "d": bid_details("A bigger library", 2_000_000) }),
        )
        .await;
    assert_eq!(res, "BID_COST_EXCEEDS_POT");
}

#[tokio::test]
async fn only_members_act_for_a_group() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let outsider = app.sign_in("outsider@example.org").await;
    let input = json!({ "i": bid_input(&r.round, &r.group, &r.area, "Not my group", 100_000) });
    assert_eq!(
        app.refused(Some(&outsider), SUBMIT_BID, input.clone())
            .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(None, SUBMIT_BID, input).await,
        "UNAUTHENTICATED"
    );

    let bid = fixtures::bid(
        &app,
        &r.member,
        &r.round,
        &r.group,
        &r.area,
        "Park benches",
        100_000,
    )
    .await;
    assert_eq!(
        app.refused(
            Some(&outsider),
            UPDATE,
            json!({ "id": bid, "d": bid_details("Mine now", 1000) })
        )
        .await,
        "NOT_AUTHORISED"
    );
    assert_eq!(
        app.refused(Some(&outsider), WITHDRAW, json!({ "id": bid }))
            .await,
        "NOT_AUTHORISED"
    );
    // An officer is not a member either.
    assert_eq!(
        app.refused(Some(&r.officer), WITHDRAW, json!({ "id": bid }))
            .await,
        "NOT_AUTHORISED"
    );

    // A member invites the outsider, who accepts and can then act.
    let invite = "mutation($g: ID!, $e: String!) { inviteGroupMember(groupId: $g, email: $e) { id status } }";
    assert_eq!(
        app.refused(
            Some(&outsider),
            invite,
            json!({ "g": r.group, "e": "outsider@example.org" })
        )
        .await,
        "NOT_AUTHORISED"
    );
    fixtures::join_group(&app, &r.member, &r.group, "outsider@example.org", &outsider).await;
    app.ok(Some(&outsider), WITHDRAW, json!({ "id": bid }))
        .await;
    let mine = app
        .ok(Some(&outsider), "{ me { groups { name } } }", json!({}))
        .await;
    assert_eq!(
        mine["me"]["groups"],
        json!([{ "name": "Friends of the Moor" }])
    );
}

#[tokio::test]
async fn bids_follow_the_round_phases() {
    let app = TestApp::spawn().await;
    let officer = app.officer().await;
    let area = fixtures::area(&app, &officer, "Hyde Park", &["LS6 1"]).await;
    let other = fixtures::area(&app, &officer, "Headingley", &["LS6 3"]).await;
    let round = fixtures::round(&app, &officer, &[(&area, 1_000_000)]).await;
    let member = app.sign_in("chair@friends.test").await;
    let group = fixtures::group(&app, &member, "Friends of the Moor", &area).await;

    // A draft takes no bids.
    let input = json!({ "i": bid_input(&round, &group, &area, "Too early", 100_000) });
    assert_eq!(
        app.refused(Some(&member), SUBMIT_BID, input).await,
        "NOT_FOUND",
        "residents cannot see drafts"
    );
    fixtures::advance(&app, &officer, &round, "BIDS_OPEN").await;

    let input = json!({ "i": bid_input(&round, &group, &other, "Wrong area", 100_000) });
    assert_eq!(
        app.refused(Some(&member), SUBMIT_BID, input).await,
        "AREA_NOT_IN_ROUND"
    );

    let bid = fixtures::bid(&app, &member, &round, &group, &area, "Benches", 100_000).await;
    let bid2 = fixtures::bid(&app, &member, &round, &group, &area, "Bins", 50_000).await;

    fixtures::advance(&app, &officer, &round, "BID_REVIEW").await;
    let late = json!({ "i": bid_input(&round, &group, &area, "Too late", 100_000) });
    assert_eq!(
        app.refused(Some(&member), SUBMIT_BID, late).await,
        "PHASE_CLOSED"
    );
    assert_eq!(
        app.refused(
            Some(&member),
            UPDATE,
            json!({ "id": bid, "d": bid_details("Edited late", 1000) })
        )
        .await,
        "PHASE_CLOSED"
    );
    // Withdrawing is allowed until voting opens.
    assert_eq!(
        app.ok(Some(&member), WITHDRAW, json!({ "id": bid2 })).await["withdrawBid"]["status"],
        "WITHDRAWN"
    );
    assert_eq!(
        app.refused(Some(&member), WITHDRAW, json!({ "id": bid2 }))
            .await,
        "PHASE_CLOSED"
    );

    app.ok(
        Some(&officer),
        REVIEW,
        json!({ "id": bid, "d": "ELIGIBLE" }),
    )
    .await;
    fixtures::advance(&app, &officer, &round, "VOTING").await;
    assert_eq!(
        app.refused(Some(&member), WITHDRAW, json!({ "id": bid }))
            .await,
        "PHASE_CLOSED"
    );
    assert_eq!(
        app.refused(
            Some(&officer),
            REVIEW,
            json!({ "id": bid, "d": "ELIGIBLE" })
        )
        .await,
        "PHASE_CLOSED"
    );

    // Withdrawn bids are not listed on the round.
    let q = "query($id: ID!) { round(id: $id) { bids { nodes { title } } } }";
    assert_eq!(
        app.ok(None, q, json!({ "id": round })).await["round"]["bids"]["nodes"],
        json!([{ "title": "Benches" }])
    );
}

#[tokio::test]
async fn bad_bid_input_is_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let mut input = bid_input(&r.round, &r.group, &r.area, "ok title", 1000);
    input["details"]["category"] = json!("fireworks");
    let res = app
        .gql(Some(&r.member), SUBMIT_BID, json!({ "i": input }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "category");
    let mut input = bid_input(&r.round, &r.group, &r.area, "", 1000);
    input["details"]["title"] = json!("  ");
    let res = app
        .gql(Some(&r.member), SUBMIT_BID, json!({ "i": input }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "title");
    let mut input = bid_input(&r.round, &r.group, &r.area, "Somewhere", 1000);
    input["details"]["location"] = json!({ "latitude": 40.7, "longitude": -74.0 });
    let res = app
        .gql(Some(&r.member), SUBMIT_BID, json!({ "i": input }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["field"], "location");
    let mut input = bid_input(&r.round, &r.group, &r.area, "Half a point", 1000);
    input["details"]["location"] = json!({ "latitude": 53.8 });
    assert_eq!(
        app.refused(Some(&r.member), SUBMIT_BID, json!({ "i": input }))
            .await,
        "INVALID_INPUT"
    );
    let q = "query($id: ID!) { round(id: $id) { bids { nodes { id } } } }";
    assert_eq!(
        app.ok(None, q, json!({ "id": r.round })).await["round"]["bids"]["nodes"],
        json!([])
    );

    let dup = json!({ "i": { "name": "Friends of the Moor", "description": "Again", "contactEmail": "a@b.org", "areaId": r.area } });
    assert_eq!(
        app.refused(Some(&r.member), fixtures::REGISTER_GROUP, dup)
            .await,
        "NAME_TAKEN"
    );
}
