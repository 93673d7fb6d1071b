//! Importing the council's register (electoral register, council tax
//! records…) for a round. Only a keyed hash of each person's normalised
//! name, date of birth and postcode is kept, never the register itself.
//! A bad row never aborts an import: every good row is stored in one
//! transaction and every bad one is reported with its line and reason.
use super::{audit, rounds, verification::residence_hash, Actor, PageRequest};
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::domain::id::{ImportId, RoundId};
use crate::domain::{
    person::residence_material, CoveragePrefix, DateOfBirth, Method, PersonName, Postcode, Role,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{register_entries, register_imports};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set,
};
use std::collections::{HashMap, HashSet};

/// The largest register file accepted, after base64 decoding: about 60,000
/// rows of a typical electoral register extract. Larger registers are
/// imported in parts.
pub const MAX_REGISTER_BYTES: usize = 4 * 1024 * 1024;
/// At most this many refused rows are listed in a report (all are counted).
pub const MAX_REPORTED_REFUSALS: usize = 500;

pub use super::Content;

/// Which column holds what. Names are matched to the header row without
/// regard to case or surrounding spaces. Either `full_name`, or
/// `given_names` and `family_name`.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    pub full_name: Option<String>,
    pub given_names: Option<String>,
    pub family_name: Option<String>,
    pub date_of_birth: String,
    pub postcode: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusedRow {
    /// The line in the file where the row starts (the header is line 1).
    pub line: u64,
    pub reason: String,
}

#[derive(Clone, Debug)]
pub struct ImportReport {
    pub import_id: ImportId,
    pub rows_accepted: u32,
    pub rows_refused: u32,
    /// The first `MAX_REPORTED_REFUSALS` refused rows.
    pub refused: Vec<RefusedRow>,
}

fn bad_file(message: impl Into<String>) -> ServiceError {
    ServiceError::refused(ErrorCode::InvalidRegisterFile, message)
}

/// Text that went through the wrong decoding on its way here: the Unicode
/// replacement character, or the tell-tale `Ã©`/`Â£` of UTF-8 read as
/// Latin-1.
fn looks_mis_encoded(s: &str) -> bool {
    if s.contains('\u{FFFD}') {
        return true;
    }
    let chars: Vec<char> = s.chars().collect();
    chars
        .windows(2)
        .any(|w| matches!(w[0], 'Ã' | 'Â') && ('\u{80}'..='\u{BF}').contains(&w[1]))
}

fn decode(content: Content) -> ServiceResult<Vec<u8>> {
    let bytes = match content {
        Content::Text(s) => s.into_bytes(),
        Content::Base64(s) => {
            use base64::Engine;
            let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|_| bad_file("the file content is not valid base64"))?
        }
    };
    if bytes.len() > MAX_REGISTER_BYTES {
        return Err(bad_file(format!(
            "the file is larger than {} MiB: import it in parts",
            MAX_REGISTER_BYTES / (1024 * 1024)
        )));
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        return Err(bad_file(format!(
            "the file is not UTF-8 text (the first character that cannot be read is on line {line}); it may have been saved as Windows-1252 or Latin-1: in a spreadsheet, save it as \"CSV UTF-8\" and import it again"
        )));
    }
    Ok(bytes)
}

struct Layout {
    name: Vec<(usize, String)>,
    dob: (usize, String),
    postcode: (usize, String),
}

fn layout(headers: &csv::StringRecord, columns: &Columns) -> ServiceResult<Layout> {
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{FEFF}').to_lowercase(), i))
        .collect();
    let mut missing = Vec::new();
    let mut find = |name: &str| -> (usize, String) {
        let key = name.trim().to_lowercase();
        match index.get(&key) {
            Some(i) => (*i, name.trim().to_owned()),
            None => {
                missing.push(format!("\"{}\"", name.trim()));
                (usize::MAX, String::new())
            }
        }
    };
    let name =
        match (
            &columns.full_name,
            &columns.given_names,
            &columns.family_name,
        ) {
            (Some(full), None, None) => vec![find(full)],
            (None, Some(given), Some(family)) => vec![find(given), find(family)],
            _ => return Err(ServiceError::invalid(
                "columns",
                "map either the full name column, or both the given names and family name columns",
            )),
        };
    let dob = find(&columns.date_of_birth);
    let postcode = find(&columns.postcode);
    if !missing.is_empty() {
        let have: Vec<&str> = headers.iter().map(str::trim).collect();
        return Err(bad_file(format!(
            "the file has no column {} (its first line names the columns: {})",
            missing.join(", "),
            have.join(", ")
        )));
    }
    Ok(Layout {
        name,
        dob,
        postcode,
    })
}

/// Imports a register for a round. Officers only.
#[tracing::instrument(name = "import register", skip(state, actor, content, columns), fields(round.id = round_id.get()))]
pub async fn import(
    state: &AppState,
    actor: &Actor,
    round_id: RoundId,
    content: Content,
    columns: Columns,
) -> ServiceResult<ImportReport> {
    actor.require(Role::Officer, "import the register")?;
    let db = &state.db;
    let round = rounds::load(db, round_id).await?;
    require_unfrozen(&round)?;
    if !round.eligibility.accepts(Method::Register) {
        return Err(ServiceError::refused(
            ErrorCode::MethodNotAccepted,
            "this round does not accept the council's register as proof: change its eligibility rules first",
        ));
    }
    let bytes = decode(content)?;
    let coverage = round_coverage(db, &round).await?;
    let mut refusals = Refusals::default();
    let read = read_rows(&bytes, &columns, &coverage, &state.secret, &mut refusals)?;

    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    // Checked again with the round locked: the register is part of who may
    // vote, which freezes when voting opens.
    require_unfrozen(&rounds::lock_shared(&txn, round_id).await?)?;
    let fresh = not_imported_before(&txn, round_id, read, &mut refusals).await?;
    let rows_accepted = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
    let import = store(&txn, actor, round_id, fresh, refusals.count, now).await?;
    txn.commit().await.context("committing an import")?;
    tracing::info!(
        round.id = round_id.get(),
        import.id = import.id,
        rows.accepted = rows_accepted,
        rows.refused = refusals.count,
        "register imported"
    );
    let mut refused = refusals.rows;
    refused.sort_by_key(|r| r.line);
    Ok(ImportReport {
        import_id: import.id.into(),
        rows_accepted,
        rows_refused: refusals.count,
        refused,
    })
}

/// The rows refused so far: every one counted, the first
/// `MAX_REPORTED_REFUSALS` reported with their line and reason.
#[derive(Default)]
struct Refusals {
    rows: Vec<RefusedRow>,
    count: u32,
}

impl Refusals {
    fn refuse(&mut self, line: u64, reason: String) {
        self.count += 1;
        if self.rows.len() < MAX_REPORTED_REFUSALS {
            self.rows.push(RefusedRow { line, reason });
        }
    }
}

/// The rows of a file that were accepted: each person's keyed hash, once,
/// with the line it was first seen on.
struct ReadRows {
    hashes: Vec<String>,
    first_line: HashMap<String, u64>,
}

/// The round's coverage, to refuse rows outside its areas.
async fn round_coverage(
    db: &impl ConnectionTrait,
    round: &rounds::Round,
) -> ServiceResult<Vec<CoveragePrefix>> {
    let mut coverage = Vec::new();
    for pot in &round.pots {
        let prefixes = super::areas::coverage(db, pot.area_id, PageRequest::EVERYTHING).await?;
        coverage.extend(
            prefixes
                .items
                .iter()
                .filter_map(|c| CoveragePrefix::parse(c).ok()),
        );
    }
    Ok(coverage)
}

/// Reads the file's header and rows: a row is accepted (as its person's
/// keyed hash) or refused with its line and the reason.
fn read_rows(
    bytes: &[u8],
    columns: &Columns,
    coverage: &[CoveragePrefix],
    secret: &Secret,
    refusals: &mut Refusals,
) -> ServiceResult<ReadRows> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|_| bad_file("the first line of the file is not a CSV header"))?
        .clone();
    if headers.iter().all(|h| h.trim().is_empty()) {
        return Err(bad_file(
            "the file is empty: its first line must name the columns",
        ));
    }
    let layout = layout(&headers, columns)?;
    let today = Utc::now().date_naive();
    let mut read = ReadRows {
        hashes: Vec::new(),
        first_line: HashMap::new(),
    };
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
                refusals.refuse(line, "the row is not valid CSV".into());
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
        match person_of(&record, &layout, coverage, today).map(|(name, dob, postcode)| {
            residence_hash(secret, &residence_material(&name, &dob, &postcode))
        }) {
            Err(reason) => refusals.refuse(line, reason),
            Ok(hash) => match read.first_line.get(&hash) {
                Some(first) => refusals.refuse(
                    line,
                    format!("the same person (name, date of birth and postcode) as line {first}"),
                ),
                None => {
                    read.first_line.insert(hash.clone(), line);
                    read.hashes.push(hash);
                }
            },
        }
    }
    Ok(read)
}

/// One row's person, or why the row is refused.
fn person_of(
    record: &csv::StringRecord,
    layout: &Layout,
    coverage: &[CoveragePrefix],
    today: chrono::NaiveDate,
) -> Result<(PersonName, DateOfBirth, Postcode), String> {
    let field = |(idx, col): &(usize, String)| -> Result<String, String> {
        match record.get(*idx).map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => Ok(v.to_owned()),
            None => Err(format!("no value in the column \"{col}\"")),
        }
    };
    let name_parts = layout
        .name
        .iter()
        .map(field)
        .collect::<Result<Vec<_>, _>>()?;
    let dob_text = field(&layout.dob)?;
    let postcode_text = field(&layout.postcode)?;
    if name_parts
        .iter()
        .chain([&dob_text, &postcode_text])
        .any(|v| looks_mis_encoded(v))
    {
        return Err("unreadable characters: the file was probably not saved as UTF-8".into());
    }
    let name = PersonName::parse(&name_parts.join(" "))
        .map_err(|_| "the name is empty or unreadable".to_string())?;
    let dob = DateOfBirth::parse(&dob_text, today).map_err(|m| format!("date of birth: {m}"))?;
    let postcode =
        Postcode::parse(&postcode_text).map_err(|_| "not a valid UK postcode".to_string())?;
    if !coverage.iter().any(|c| c.contains(&postcode)) {
        return Err("the postcode is outside this round's areas".into());
    }
    Ok((name, dob, postcode))
}

/// The accepted rows not already on the round's register from an earlier
/// file; those are refused too, so that the report says what this import
/// added.
async fn not_imported_before(
    txn: &DatabaseTransaction,
    round_id: RoundId,
    read: ReadRows,
    refusals: &mut Refusals,
) -> ServiceResult<Vec<String>> {
    let mut existing: HashSet<String> = HashSet::new();
    for chunk in read.hashes.chunks(500) {
        let found = register_entries::Entity::find()
            .filter(register_entries::Column::RoundId.eq(round_id))
            .filter(register_entries::Column::IdentityHmac.is_in(chunk.iter().cloned()))
            .all(txn)
            .await
            .context("checking earlier imports")?;
        existing.extend(found.into_iter().map(|r| r.identity_hmac));
    }
    let mut fresh = Vec::with_capacity(read.hashes.len());
    for hash in read.hashes {
        if existing.contains(&hash) {
            let line = read.first_line.get(&hash).copied().unwrap_or(0);
            refusals.refuse(
                line,
                "already on this round's register from an earlier import".into(),
            );
        } else {
            fresh.push(hash);
        }
    }
    Ok(fresh)
}

/// Stores the import, its people's hashes, the audit entry and the round's
/// log entry.
async fn store(
    txn: &DatabaseTransaction,
    actor: &Actor,
    round_id: RoundId,
    fresh: Vec<String>,
    refused: u32,
    now: DateTime<Utc>,
) -> ServiceResult<register_imports::Model> {
    let accepted = u32::try_from(fresh.len()).unwrap_or(u32::MAX);
    // The round's public answers (whether a register can be checked)
    // change with it.
    crate::store::rounds::Entity::update_many()
        .col_expr(
            crate::store::rounds::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(crate::store::rounds::Column::Id.eq(round_id))
        .exec(txn)
        .await
        .context("marking the round changed")?;
    let import = register_imports::ActiveModel {
        round_id: Set(round_id.get()),
        imported_by: Set(actor.account_id.get()),
        imported_at: Set(now),
        rows_accepted: Set(accepted as i32),
        rows_refused: Set(refused as i32),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("recording an import")?;
    let rows: Vec<register_entries::ActiveModel> = fresh
        .into_iter()
        .map(|h| register_entries::ActiveModel {
            round_id: Set(round_id.get()),
            import_id: Set(import.id),
            identity_hmac: Set(h),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        register_entries::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await
            .context("storing register hashes")?;
    }
    audit::record(
        txn,
        Some(actor.account_id.get()),
        "register_imported",
        "round",
        round_id,
        serde_json::json!({ "import": import.id, "accepted": accepted, "refused": refused }),
    )
    .await
    .context("auditing an import")?;
    super::round_log::append(
        txn,
        round_id,
        "register_imported",
        serde_json::json!({ "by": actor.account_id, "accepted": accepted, "refused": refused }),
        now,
    )
    .await?;
    Ok(import)
}

/// The register decides who may vote: it can change only until voting
/// opens.
fn require_unfrozen(round: &rounds::Round) -> ServiceResult<()> {
    if round.phase.settings_frozen() {
        return Err(ServiceError::refused(
            ErrorCode::SettingsFrozen,
            format!(
                "the register for this round is frozen: the round is {}, and who may vote cannot change once voting has opened",
                round.phase.label()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mis_encoding_is_recognised() {
        assert!(looks_mis_encoded("ZoÃ« Smith"));
        assert!(looks_mis_encoded("Ren\u{FFFD} Dubois"));
        assert!(!looks_mis_encoded("Zoë Smith"));
        assert!(!looks_mis_encoded("Ãlvaro Ãngel"));
    }

    #[test]
    fn non_utf8_bytes_are_refused_with_their_line() {
        let latin1 =
            b"name,dob,postcode\nAnn Smith,1980-01-01,LS6 1AB\nZo\xeb Smith,1981-02-02,LS6 1AB\n";
        use base64::Engine;
        let encoded = base64::engine::general_purpose::STANDARD.encode(latin1);
        let err = decode(Content::Base64(encoded)).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidRegisterFile);
        assert!(err.to_string().contains("line 3"), "{err}");
        assert!(decode(Content::Base64("not base64!".into())).is_err());
    }
}
