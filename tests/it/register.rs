//! The council's register: import with good and bad rows, and residents
//! matching against it.
use crate::fixtures::{declare_query, eligibility, person, verification_round};
use crate::helpers::{error_code, TestApp};
use api::store::{register_entries, register_imports};
use sea_orm::EntityTrait;
use serde_json::{json, Value};

const IMPORT: &str = "mutation($i: ImportRegisterInput!) { importRegister(input: $i) { importId rowsAccepted rowsRefused refused { line reason } } }";
const MATCH: &str =
    "mutation($r: ID!) { matchRegister(roundId: $r) { verified methods area { name } } }";

fn columns() -> Value {
    json!({ "givenNames": "Forenames", "familyName": "Surname", "dateOfBirth": "Date of birth", "postcode": "Postcode" })
}

fn import_input(round: &str, content: &str) -> Value {
    json!({ "i": { "roundId": round, "content": content, "columns": columns() } })
}

const REGISTER: &str = "\u{FEFF}Forenames,Surname,Date of birth,Address,Postcode
Ann,Smith,21/03/1984,\"1 Moor Road, Leeds\",LS6 1AB
Zoë,O'Brien,1990-12-01,2 Moor Road,ls6 2de
Bob,Jones,not a date,3 Moor Road,LS6 1AB
Cat,Brown,1970-01-01,4 Moor Road,LS7 3AB
Dan,,1970-01-01,5 Moor Road,LS6 1AB
ann,SMITH,1984-03-21,1 Moor Road,ls61ab
Eve,Adams,1975-05-05,6 Moor Road,NOTAPOSTCODE
Fay,Ward,1965-06-06
Gus,Hill,1955-05-05,\"7 Moor Road\",LS6 2EF
";

#[tokio::test]
async fn an_import_keeps_good_rows_and_reports_bad_ones_by_line() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    let data = app
        .ok(Some(&r.officer), IMPORT, import_input(&r.round, REGISTER))
        .await;
    let report = &data["importRegister"];
    assert_eq!(report["rowsAccepted"], 3, "{report:#}");
    assert_eq!(report["rowsRefused"], 6, "{report:#}");
    let refused: Vec<(u64, String)> = report["refused"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().unwrap(),
                r["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let lines: Vec<u64> = refused.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, vec![4, 5, 6, 7, 8, 9], "{refused:#?}");
    let reason = |line: u64| refused.iter().find(|(l, _)| *l == line).unwrap().1.clone();
    assert!(reason(4).starts_with("date of birth"), "{}", reason(4));
    assert!(
        reason(5).contains("outside this round's areas"),
        "{}",
        reason(5)
    );
    assert!(reason(6).contains("\"Surname\""), "{}", reason(6));
    assert!(
        reason(7).contains("same person") && reason(7).contains("line 2"),
        "{}",
        reason(7)
    );
    assert!(reason(8).contains("postcode"), "{}", reason(8));
    assert!(
        reason(9).contains("\"Date of birth\"") || reason(9).contains("\"Postcode\""),
        "{}",
        reason(9)
    );

    // Only hashes are stored: 3 of them, 64 hex digits each.
    let rows = register_entries::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    let stored = format!("{rows:?}").to_lowercase();
    for plain in ["ann", "smith", "1984", "ls6", "moor"] {
        assert!(!stored.contains(plain), "`{plain}` stored");
    }
    assert!(rows.iter().all(|r| r.identity_hmac.len() == 64));
    let imports = register_imports::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap();
    assert_eq!((imports[0].rows_accepted, imports[0].rows_refused), (3, 6));

    // Importing the same file again adds nobody: every row is reported.
    let data = app
        .ok(Some(&r.officer), IMPORT, import_input(&r.round, REGISTER))
        .await;
    assert_eq!(data["importRegister"]["rowsAccepted"], 0);
    assert_eq!(data["importRegister"]["rowsRefused"], 9);
    let again = data["importRegister"]["refused"].as_array().unwrap();
    assert!(again
        .iter()
        .any(|r| r["line"] == 2 && r["reason"].as_str().unwrap().contains("earlier import")));
    assert_eq!(
        register_entries::Entity::find()
            .all(&app.state.db)
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn residents_on_the_register_are_verified_and_others_are_not() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "methods": ["REGISTER", "IN_PERSON"] })),
    )
    .await;
    app.ok(Some(&r.officer), IMPORT, import_input(&r.round, REGISTER))
        .await;

    // Zoë, written as the register's "Zoë O'Brien", in another order and case.
    let zoe = app.sign_in("zoe@example.org").await;
    let res = app
        .gql(
            Some(&zoe),
            &declare_query(),
            json!({ "r": r.round, "p": person("zoë obrien", "01/12/1990", "LS6 2DE") }),
        )
        .await;
    let v = &res["data"]["declareEligibility"];
    assert_eq!(v["verified"], false, "{res:#}");
    assert_eq!(
        v["methods"],
        json!([]),
        "a self-declared postcode is not accepted here"
    );
    let data = app.ok(Some(&zoe), MATCH, json!({ "r": r.round })).await;
    assert_eq!(data["matchRegister"]["verified"], true);
    assert_eq!(data["matchRegister"]["methods"], json!(["REGISTER"]));

    // Someone not on it.
    let yan = app.sign_in("yan@example.org").await;
    assert_eq!(
        app.refused(Some(&yan), MATCH, json!({ "r": r.round }))
            .await,
        "NOT_DECLARED"
    );
    app.ok(
        Some(&yan),
        &declare_query(),
        json!({ "r": r.round, "p": person("Yan Wu", "1993-03-03", "LS6 1AB") }),
    )
    .await;
    assert_eq!(
        app.refused(Some(&yan), MATCH, json!({ "r": r.round }))
            .await,
        "REGISTER_NO_MATCH"
    );
    // Probing the register is limited: three checks a day per account.
    let mut codes = Vec::new();
    for _ in 0..10 {
        codes.push(
            app.refused(Some(&yan), MATCH, json!({ "r": r.round }))
                .await,
        );
    }
    assert_eq!(
        codes.iter().filter(|c| *c == "REGISTER_NO_MATCH").count(),
        2
    );
    assert_eq!(codes.last().map(String::as_str), Some("RATE_LIMITED"));

    // The register-matched person cannot be claimed by another account.
    let other = app.sign_in("zoe.two@example.org").await;
    let res = app
        .gql(
            Some(&other),
            &declare_query(),
            json!({ "r": r.round, "p": person("Zoë O'Brien", "1990-12-01", "LS6 2DE") }),
        )
        .await;
    let v = &res["data"]["declareEligibility"];
    assert_eq!(
        (v["held"].clone(), v["verified"].clone()),
        (json!(true), json!(false)),
        "{res:#}"
    );
}

#[tokio::test]
async fn a_file_in_the_wrong_encoding_is_refused_whole() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    // "Zoë" saved as Windows-1252 / Latin-1: the byte 0xEB is not UTF-8.
    let latin1: &[u8] = b"Forenames,Surname,Date of birth,Postcode\nAnn,Smith,1984-03-21,LS6 1AB\nZo\xeb,Brown,1990-12-01,LS6 2DE\n";
    use base64::Engine;
    let content = base64::engine::general_purpose::STANDARD.encode(latin1);
    let res = app
        .gql(
            Some(&r.officer),
            IMPORT,
            json!({ "i": { "roundId": r.round, "content": content, "encoding": "BASE64", "columns": columns() } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_REGISTER_FILE");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("not UTF-8") && message.contains("line 3"),
        "{message}"
    );
    assert!(register_imports::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .is_empty());

    // The same file in UTF-8, as base64, imports.
    let utf8 = "Forenames,Surname,Date of birth,Postcode\nAnn,Smith,1984-03-21,LS6 1AB\nZoë,Brown,1990-12-01,LS6 2DE\n";
    let content = base64::engine::general_purpose::STANDARD.encode(utf8);
    let data = app
        .ok(
            Some(&r.officer),
            IMPORT,
            json!({ "i": { "roundId": r.round, "content": content, "encoding": "BASE64", "columns": columns() } }),
        )
        .await;
    assert_eq!(data["importRegister"]["rowsAccepted"], 2);

    // Text that was decoded wrongly on its way (UTF-8 read as Latin-1, or
    // replacement characters): those rows are refused, the others kept.
    let mojibake = "Forenames,Surname,Date of birth,Postcode\nZoÃ«,Green,1990-12-01,LS6 2DE\nRen\u{FFFD},Dubois,1980-01-01,LS6 2DE\nHal,Green,1991-01-01,LS6 2DE\n";
    let data = app
        .ok(Some(&r.officer), IMPORT, import_input(&r.round, mojibake))
        .await;
    let report = &data["importRegister"];
    assert_eq!(report["rowsAccepted"], 1, "{report:#}");
    assert_eq!(report["refused"][0]["line"], 2);
    assert!(report["refused"][0]["reason"]
        .as_str()
        .unwrap()
        .contains("UTF-8"));
    assert_eq!(report["refused"][1]["line"], 3);
}

#[tokio::test]
async fn missing_columns_and_bad_mappings_are_refused_before_any_row() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    let no_dob = "Forenames,Surname,Postcode\nAnn,Smith,LS6 1AB\n";
    let res = app
        .gql(Some(&r.officer), IMPORT, import_input(&r.round, no_dob))
        .await;
    assert_eq!(error_code(&res), "INVALID_REGISTER_FILE");
    let message = res["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("\"Date of birth\"") && message.contains("Forenames, Surname, Postcode"),
        "{message}"
    );

    let res = app
        .gql(Some(&r.officer), IMPORT, import_input(&r.round, ""))
        .await;
    assert_eq!(error_code(&res), "INVALID_REGISTER_FILE");

    let res = app
        .gql(
            Some(&r.officer),
            IMPORT,
            json!({ "i": { "roundId": r.round, "content": REGISTER, "columns": { "fullName": "Name", "givenNames": "Forenames", "dateOfBirth": "Date of birth", "postcode": "Postcode" } } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_INPUT");
    assert_eq!(res["errors"][0]["extensions"]["field"], "columns");

    let res = app
        .gql(
            Some(&r.officer),
            IMPORT,
            json!({ "i": { "roundId": r.round, "content": "%%%", "encoding": "BASE64", "columns": columns() } }),
        )
        .await;
    assert_eq!(error_code(&res), "INVALID_REGISTER_FILE");
    assert!(register_imports::Entity::find()
        .all(&app.state.db)
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn only_officers_import_and_only_where_the_round_accepts_the_register() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "methods": ["POSTCODE"], "postcodeAloneEnough": true })),
    )
    .await;
    let res = app
        .gql(Some(&r.officer), IMPORT, import_input(&r.round, REGISTER))
        .await;
    assert_eq!(error_code(&res), "METHOD_NOT_ACCEPTED");
    let resident = app.sign_in("res@example.org").await;
    let res = app
        .gql(Some(&resident), IMPORT, import_input(&r.round, REGISTER))
        .await;
    assert_eq!(error_code(&res), "NOT_AUTHORISED");
    let res = app
        .gql(None, IMPORT, import_input(&r.round, REGISTER))
        .await;
    assert_eq!(error_code(&res), "UNAUTHENTICATED");
    let zed = app.sign_in("zed@example.org").await;
    app.ok(
        Some(&zed),
        &declare_query(),
        json!({ "r": r.round, "p": person("Zed Ali", "1980-01-01", "LS6 1AB") }),
    )
    .await;
    assert_eq!(
        app.refused(Some(&zed), MATCH, json!({ "r": r.round }))
            .await,
        "METHOD_NOT_ACCEPTED"
    );
}

#[tokio::test]
async fn officers_may_upload_a_large_register_and_nobody_else_a_large_body() {
    let app = TestApp::spawn().await;
    let r = verification_round(&app, eligibility(json!({}))).await;
    // About 6,000 people: far over the 64 KiB that other requests get.
    let mut csv = String::from("Forenames,Surname,Date of birth,Postcode\n");
    for i in 0..6000 {
        csv.push_str(&format!(
            "Person{i},Family{},19{:02}-0{}-1{},LS6 1AB\n",
            i % 97,
            50 + i % 40,
            1 + i % 9,
            i % 10
        ));
    }
    assert!(csv.len() > 200 * 1024);
    let body = import_input(&r.round, &csv);
    let data = app.ok(Some(&r.officer), IMPORT, body.clone()).await;
    assert_eq!(data["importRegister"]["rowsAccepted"], 6000);
    assert_eq!(data["importRegister"]["rowsRefused"], 0);

    let resident = app.sign_in("res@example.org").await;
    for token in [Some(resident.as_str()), None] {
        let mut req = app
            .client
            .post(format!("{}/graphql", app.base))
            .json(&json!({ "query": IMPORT, "variables": body }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status().as_u16(), 413);
    }
}

/// A round that accepts the register but was given none does not offer the
/// check (it could only ever fail); once a register with people on it is
/// imported it does, and anonymous readers of the round see the change.
#[tokio::test]
async fn the_register_is_offered_only_once_there_is_one_to_check() {
    let app = TestApp::spawn().await;
    let r = verification_round(
        &app,
        eligibility(json!({ "methods": ["REGISTER", "IN_PERSON"] })),
    )
    .await;
    let available = "query($id: ID!) { round(id: $id) { registerAvailable } }";
    let vars = json!({ "id": r.round });
    assert_eq!(
        app.ok(None, available, vars.clone()).await["round"]["registerAvailable"],
        false
    );
    let ann = app.sign_in("ann@example.org").await;
    app.ok(
        Some(&ann),
        &declare_query(),
        json!({ "r": r.round, "p": person("Ann Smith", "21/03/1984", "LS6 1AB") }),
    )
    .await;
    let res = app.gql(Some(&ann), MATCH, json!({ "r": r.round })).await;
    assert_eq!(error_code(&res), "METHOD_NOT_ACCEPTED", "{res:#}");
    assert!(res["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("has not given this round a register"));
    app.ok(Some(&r.officer), IMPORT, import_input(&r.round, REGISTER))
        .await;
    assert_eq!(
        app.ok(None, available, vars).await["round"]["registerAvailable"],
        true
    );
    let data = app.ok(Some(&ann), MATCH, json!({ "r": r.round })).await;
    assert_eq!(data["matchRegister"]["verified"], true);
}
