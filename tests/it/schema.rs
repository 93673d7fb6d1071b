//! `api/schema.graphql` is the contract with clients: it must match the code.
#[test]
fn the_committed_schema_matches_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/schema.graphql");
    let code = api::graphql::schema::sdl();
    if std::env::var("UPDATE_SCHEMA").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &code).expect("writing schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == code,
        "api/schema.graphql differs from the schema in the code; if the change is intended, run \
         `UPDATE_SCHEMA=1 cargo test -p tests --test it schema` and commit the file"
    );
}
