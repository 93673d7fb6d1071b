//! Bid drafts: saved by a group before they are finished, seen only by its
//! members, and sent when complete.
use crate::fixtures::{self, bid_details};
use crate::helpers::TestApp;
use serde_json::{json, Value};

const SAVE: &str = "mutation($i: SaveBidDraftInput!) { saveBidDraft(input: $i) { id title summary costPence category status } }";
const UPDATE_DRAFT: &str = "mutation($id: ID!, $d: BidDraftInput!) { updateBidDraft(id: $id, details: $d) { id title summary description costPence category status location { address } } }";
const SUBMIT_DRAFT: &str =
    "mutation($id: ID!) { submitBidDraft(id: $id) { id title costPence status } }";
const DELETE_DRAFT: &str = "mutation($id: ID!) { deleteBidDraft(id: $id) }";
const BID: &str = "query($id: ID!) { bid(id: $id) { title status } }";
const GROUP_BIDS: &str = "query($id: ID!) { group(id: $id) { bids { nodes { title status } } } }";
const ROUND_BIDS: &str = "query($id: ID!) { round(id: $id) { bids { nodes { title status } } } }";
const ROUND_BIDS_BY_STATUS: &str =
    "query($id: ID!, $s: BidStatus) { round(id: $id) { bids(status: $s) { nodes { title } } } }";

fn draft_input(r: &fixtures::OpenRound, details: Value) -> Value {
    json!({ "i": { "roundId": r.round, "groupId": r.group, "areaId": r.area, "details": details } })
}

async fn save(app: &TestApp, r: &fixtures::OpenRound, details: Value) -> String {
    let data = app.ok(Some(&r.member), SAVE, draft_input(r, details)).await;
    assert_eq!(data["saveBidDraft"]["status"], "DRAFT");
    data["saveBidDraft"]["id"]
        .as_str()
        .expect("draft id")
        .to_owned()
}

fn field(res: &Value) -> &str {
    res["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_default()
}

fn message(res: &Value) -> &str {
    res["errors"][0]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_group_saves_a_partial_draft_finishes_it_later_and_submits_it() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;

    // A title is all a draft needs.
    let draft = save(&app, &r, json!({ "title": "Wildflower verges" })).await;
    let data = app.ok(Some(&r.member), BID, json!({ "id": draft })).await;
    assert_eq!(
        data["bid"],
        json!({ "title": "Wildflower verges", "status": "DRAFT" })
    );
    // Without one, nothing is stored and the field is named.
    let res = app
        .gql(
            Some(&r.member),
            SAVE,
            draft_input(&r, json!({ "title": " ", "summary": "Something" })),
        )
        .await;
    assert_eq!(field(&res), "title");
    // What is given must still make sense.
    let res = app
        .gql(
            Some(&r.member),
            SAVE,
            draft_input(&r, json!({ "title": "Fireworks", "category": "fireworks" })),
        )
        .await;
    assert_eq!(field(&res), "category");

    // Sending it unfinished is refused, naming everything missing.
    let res = app
        .gql(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "INVALID_INPUT");
    assert_eq!(field(&res), "summary");
    assert_eq!(
        message(&res),
        "this draft is not finished: add a summary, a full description, the cost and a category before you submit it"
    );

    // The group comes back and adds some of it, then the rest.
    let data = app
        .ok(
            Some(&r.member),
            UPDATE_DRAFT,
            json!({ "id": draft, "d": { "title": "Wildflower verges", "summary": "Wildflower verges along the park's paths.", "costPence": 480_000 } }),
        )
        .await;
    assert_eq!(data["updateBidDraft"]["status"], "DRAFT");
    assert_eq!(data["updateBidDraft"]["costPence"], 480_000);
    let res = app
        .gql(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
        .await;
    assert_eq!(field(&res), "description");
    assert_eq!(
        message(&res),
        "this draft is not finished: add a full description and a category before you submit it"
    );
    let data = app
        .ok(
            Some(&r.member),
            UPDATE_DRAFT,
            json!({ "id": draft, "d": bid_details("Wildflower verges", 480_000) }),
        )
        .await;
    assert_eq!(
        data["updateBidDraft"]["location"]["address"],
        "Woodhouse Moor, Leeds"
    );
    // The existing bid edit does not apply to a draft.
    let update =
        "mutation($id: ID!, $d: BidDetailsInput!) { updateBid(id: $id, details: $d) { id } }";
    assert_eq!(
        app.refused(
            Some(&r.member),
            update,
            json!({ "id": draft, "d": bid_details("Other", 1000) })
        )
        .await,
        "INVALID_TRANSITION"
    );

    let data = app
        .ok(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
        .await;
    assert_eq!(data["submitBidDraft"]["status"], "SUBMITTED");
    assert_eq!(data["submitBidDraft"]["costPence"], 480_000);
    // Now everyone sees it, and it is no longer a draft.
    assert_eq!(
        app.ok(None, ROUND_BIDS, json!({ "id": r.round })).await["round"]["bids"]["nodes"],
        json!([{ "title": "Wildflower verges", "status": "SUBMITTED" }])
    );
    assert_eq!(
        app.refused(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
            .await,
        "INVALID_TRANSITION"
    );
    assert_eq!(
        app.refused(Some(&r.member), DELETE_DRAFT, json!({ "id": draft }))
            .await,
        "INVALID_TRANSITION"
    );

    // Every write is in the audit trail.
    use api::store::audit_events;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let actions: Vec<String> = audit_events::Entity::find()
        .filter(audit_events::Column::SubjectType.eq("bid"))
        .filter(audit_events::Column::SubjectId.eq(draft.clone()))
        .order_by_asc(audit_events::Column::Id)
        .all(&app.state.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "bid_draft_saved",
            "bid_draft_updated",
            "bid_draft_updated",
            "bid_submitted"
        ]
    );
}

#[tokio::test]
async fn a_submitted_draft_has_the_checks_of_any_bid() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    // £10,000 in the pot: a draft may hold more, but cannot be sent.
    let draft = save(&app, &r, bid_details("Skate park", 2_000_000)).await;
    assert_eq!(
        app.refused(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
            .await,
        "BID_COST_EXCEEDS_POT"
    );
    // An update replaces what the draft holds.
    let mut short = bid_details("Skate park", 900_000);
    short["summary"] = json!("Short");
    let res = app
        .gql(
            Some(&r.member),
            UPDATE_DRAFT,
            json!({ "id": draft, "d": short }),
        )
        .await;
    assert!(
        res.get("errors").is_none(),
        "a short summary is kept in a draft: {res}"
    );
    let res = app
        .gql(Some(&r.member), SUBMIT_DRAFT, json!({ "id": draft }))
        .await;
    assert_eq!(field(&res), "summary");
    assert_eq!(message(&res), "a summary must be at least 10 characters");
}

#[tokio::test]
async fn only_the_group_sees_and_changes_its_drafts() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Benches", 100_000,
    )
    .await;
    let draft = save(&app, &r, json!({ "title": "Secret plans" })).await;
    let stranger = app.sign_in("stranger@example.org").await;

    // The group's members see the draft on the group's list.
    assert_eq!(
        app.ok(Some(&r.member), GROUP_BIDS, json!({ "id": r.group }))
            .await["group"]["bids"]["nodes"],
        json!([
            { "title": "Benches", "status": "SUBMITTED" },
            { "title": "Secret plans", "status": "DRAFT" }
        ])
    );
    // Nobody else does: not the public, another resident or an officer.
    for who in [None, Some(stranger.as_str()), Some(r.officer.as_str())] {
        assert_eq!(
            app.ok(who, GROUP_BIDS, json!({ "id": r.group })).await["group"]["bids"]["nodes"],
            json!([{ "title": "Benches", "status": "SUBMITTED" }])
        );
        assert_eq!(
            app.refused(who, BID, json!({ "id": draft })).await,
            "NOT_FOUND"
        );
        assert_eq!(
            app.ok(who, ROUND_BIDS, json!({ "id": r.round })).await["round"]["bids"]["nodes"],
            json!([{ "title": "Benches", "status": "SUBMITTED" }])
        );
    }
    // Not even by asking for drafts.
    assert_eq!(
        app.ok(
            Some(&r.officer),
            ROUND_BIDS_BY_STATUS,
            json!({ "id": r.round, "s": "DRAFT" })
        )
        .await["round"]["bids"]["nodes"],
        json!([])
    );
    // The group's own members do not see drafts on the round's list either.
    assert_eq!(
        app.ok(Some(&r.member), ROUND_BIDS, json!({ "id": r.round }))
            .await["round"]["bids"]["nodes"],
        json!([{ "title": "Benches", "status": "SUBMITTED" }])
    );

    // Nobody else can change, send, delete, withdraw or review it.
    let change = json!({ "id": draft, "d": { "title": "Hijacked" } });
    assert_eq!(
        app.refused(Some(&stranger), UPDATE_DRAFT, change.clone())
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.refused(Some(&stranger), SUBMIT_DRAFT, json!({ "id": draft }))
            .await,
        "NOT_FOUND"
    );
    assert_eq!(
        app.refused(Some(&stranger), DELETE_DRAFT, json!({ "id": draft }))
            .await,
        "NOT_FOUND"
    );
    let review = "mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { status } }";
    assert_eq!(
        app.refused(Some(&r.officer), review, json!({ "id": draft }))
            .await,
        "NOT_FOUND"
    );
    let withdraw = "mutation($id: ID!) { withdrawBid(id: $id) { status } }";
    assert_eq!(
        app.refused(Some(&r.member), withdraw, json!({ "id": draft }))
            .await,
        "INVALID_TRANSITION"
    );
    assert_eq!(
        app.refused(None, UPDATE_DRAFT, change).await,
        "UNAUTHENTICATED"
    );
    // A stranger cannot save a draft for the group.
    let res = app
        .gql(
            Some(&stranger),
            SAVE,
            draft_input(&r, json!({ "title": "Not mine" })),
        )
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "NOT_AUTHORISED");

    // A member invited later sees and finishes it.
    let treasurer = app.sign_in("treasurer@friends.test").await;
    fixtures::join_group(
        &app,
        &r.member,
        &r.group,
        "treasurer@friends.test",
        &treasurer,
    )
    .await;
    assert_eq!(
        app.ok(Some(&treasurer), BID, json!({ "id": draft })).await["bid"]["status"],
        "DRAFT"
    );

    // The group deletes it; it is gone.
    let data = app
        .ok(Some(&treasurer), DELETE_DRAFT, json!({ "id": draft }))
        .await;
    assert_eq!(data["deleteBidDraft"], draft.as_str());
    assert_eq!(
        app.refused(Some(&r.member), BID, json!({ "id": draft }))
            .await,
        "NOT_FOUND"
    );
}

#[tokio::test]
async fn drafts_do_not_hold_up_voting_and_are_never_on_the_ballot() {
    let app = TestApp::spawn().await;
    let r = fixtures::open_round(&app).await;
    let bid = fixtures::bid(
        &app, &r.member, &r.round, &r.group, &r.area, "Benches", 100_000,
    )
    .await;
    let unfinished = save(&app, &r, json!({ "title": "Never finished" })).await;
    let finished = save(&app, &r, bid_details("Finished too late", 100_000)).await;

    fixtures::advance(&app, &r.officer, &r.round, "BID_REVIEW").await;
    // Once bids close a draft can be neither changed nor sent, and says so.
    let res = app
        .gql(Some(&r.member), SUBMIT_DRAFT, json!({ "id": finished }))
        .await;
    assert_eq!(res["errors"][0]["extensions"]["code"], "PHASE_CLOSED");
    assert_eq!(
        message(&res),
        "this round is bid review: drafts can be submitted only while bids are open. You can still delete the draft"
    );
    assert_eq!(
        app.refused(
            Some(&r.member),
            UPDATE_DRAFT,
            json!({ "id": unfinished, "d": { "title": "Late" } })
        )
        .await,
        "PHASE_CLOSED"
    );
    assert_eq!(
        app.refused(
            Some(&r.member),
            SAVE,
            draft_input(&r, json!({ "title": "Later still" }))
        )
        .await,
        "PHASE_CLOSED"
    );

    app.ok(
        Some(&r.officer),
        "mutation($id: ID!) { reviewBid(id: $id, decision: ELIGIBLE) { status } }",
        json!({ "id": bid }),
    )
    .await;
    // The drafts left do not count as bids still to be decided.
    fixtures::advance(&app, &r.officer, &r.round, "VOTING").await;
    assert_eq!(
        app.ok(None, ROUND_BIDS, json!({ "id": r.round })).await["round"]["bids"]["nodes"],
        json!([{ "title": "Benches", "status": "ELIGIBLE" }]),
        "the ballot"
    );
    // They stay the group's, which may still delete them.
    assert_eq!(
        app.ok(Some(&r.member), BID, json!({ "id": unfinished }))
            .await["bid"]["status"],
        "DRAFT"
    );
    app.ok(Some(&r.member), DELETE_DRAFT, json!({ "id": unfinished }))
        .await;
}
