//! Who lives where, to set turnout against: officers import an area's
//! population by single year of age (the ONS mid-year estimates' CSV
//! layout) and the council's postcode → neighbourhood (LSOA) look-up with
//! each neighbourhood's deprivation decile (the English IMD or the Welsh
//! WIMD). A file is read whole and either replaces the version in use, in
//! one transaction, or is refused with the lines that are wrong: half a
//! population is worse than the old one.
//!
//! The CSV layouts are the publishers' own, read by their column names, so
//! a file downloaded from the ONS, the MHCLG or StatsWales is imported as
//! it is: hand-written, because no maintained crate reads these layouts.
use super::{audit, Actor};
use crate::db::begin_write;
use crate::domain::id::AreaId;
use crate::domain::population::TOP_AGE;
use crate::domain::{AgeBand, Decile, Postcode, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::state::AppState;
use crate::store::{area_population, lsoa_deprivation, population_imports, postcode_lsoa};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::{BTreeMap, HashMap};

pub use super::Content;

/// The largest population file: far more than one area's neighbourhoods.
pub const MAX_POPULATION_BYTES: usize = 4 * 1024 * 1024;
/// The most geographies (rows) one area's population may have.
pub const MAX_GEOGRAPHIES: usize = 2_000;
/// The largest postcode look-up or deprivation file: a council's postcodes
/// (a whole nation's look-up is imported as the council's extract).
pub const MAX_LOOKUP_BYTES: usize = 8 * 1024 * 1024;
/// WIMD 2019 ranks this many Welsh neighbourhoods; a file of ranks without
/// deciles is cut into tenths of it.
pub const WIMD_NEIGHBOURHOODS: u32 = 1_909;
/// At most this many wrong lines are named in one refusal.
const LINES_NAMED: usize = 10;

const POPULATION: &str = "population";
const DEPRIVATION: &str = "deprivation";

/// The version of an area's population in use.
#[derive(Clone, Debug)]
pub struct AreaPopulation {
    pub source: String,
    pub imported_at: DateTime<Utc>,
    pub geographies: u32,
    pub people: u64,
    pub by_band: Vec<(AgeBand, u64)>,
}

/// The version of the deprivation look-up in use.
#[derive(Clone, Debug)]
pub struct DeprivationLookup {
    pub source: String,
    pub imported_at: DateTime<Utc>,
    pub postcodes: u64,
    pub neighbourhoods: u64,
    /// Postcodes whose neighbourhood the deciles file did not cover.
    pub postcodes_without_decile: u64,
}

/// One geography's people by single year of age (`TOP_AGE` is "and over").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Geography {
    pub code: String,
    pub name: String,
    pub people_by_age: Vec<u64>,
}

impl Geography {
    /// People aged `from` or more in `band`.
    pub fn in_band(&self, band: AgeBand, from: u32) -> u64 {
        band.ages()
            .filter(|a| *a >= from)
            .map(|a| self.people_by_age[a as usize])
            .sum()
    }

    /// People aged `from` or more.
    pub fn aged_at_least(&self, from: u32) -> u64 {
        self.people_by_age.iter().skip(from as usize).sum()
    }
}

fn bad_file(message: impl Into<String>) -> ServiceError {
    ServiceError::refused(ErrorCode::InvalidPopulationFile, message)
}

/// The refusal, about the input field of the file it is about.
fn about(field: &'static str) -> impl Fn(ServiceError) -> ServiceError {
    move |e| match e {
        ServiceError::Refused { code, message, .. } => ServiceError::Refused {
            code,
            message,
            field: Some(field),
        },
        other => other,
    }
}

fn source_label(source: &str) -> ServiceResult<String> {
    let source = source.trim();
    if source.is_empty() {
        return Err(ServiceError::invalid(
            "source",
            "say where the figures come from, like \"ONS mid-2022 LSOA estimates\"",
        ));
    }
    if source.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "source",
            "the source must be at most 200 characters",
        ));
    }
    Ok(source.to_owned())
}

fn decode(content: Content, limit: usize, what: &str) -> ServiceResult<String> {
    let bytes = match content {
        Content::Text(s) => s.into_bytes(),
        Content::Base64(s) => {
            use base64::Engine;
            let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(compact.as_bytes())
                .map_err(|_| bad_file(format!("the {what} is not valid base64")))?
        }
    };
    if bytes.len() > limit {
        return Err(bad_file(format!(
            "the {what} is larger than {} MiB: import only your council's rows",
            limit / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        bad_file(format!(
            "the {what} is not UTF-8 text (line {line} cannot be read): in a spreadsheet, save it as \"CSV UTF-8\" and import it again"
        ))
    })?;
    Ok(text.trim_start_matches('\u{FEFF}').to_owned())
}

/// The wrong lines of a file, named in one refusal.
#[derive(Default)]
struct Mistakes {
    named: Vec<String>,
    count: usize,
}

impl Mistakes {
    fn add(&mut self, line: u64, what: String) {
        self.count += 1;
        if self.named.len() < LINES_NAMED {
            self.named.push(format!("line {line}: {what}"));
        }
    }

    fn refuse_if_any(self, what: &str) -> ServiceResult<()> {
        if self.count == 0 {
            return Ok(());
        }
        let more = self.count - self.named.len();
        let tail = if more > 0 {
            format!(" (and {more} more)")
        } else {
            String::new()
        };
        Err(bad_file(format!(
            "nothing was imported: the {what} has {} wrong {}: {}{tail}",
            self.count,
            if self.count == 1 { "line" } else { "lines" },
            self.named.join("; ")
        )))
    }
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes())
}

fn line_of(record: &csv::StringRecord, index: usize) -> u64 {
    record
        .position()
        .map(|p| p.line())
        .unwrap_or(index as u64 + 1)
}

fn normal(header: &str) -> String {
    header.trim().to_lowercase()
}

/// An ONS geography code: a letter for the nation and eight digits
/// (`E01011295`, `W01000001`, `E05001420`).
fn is_ons_code(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 9 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_digit)
}

/// A count of people as the estimates write it (`1,234` or `1234`).
fn people(value: &str) -> Option<u64> {
    let compact: String = value.chars().filter(|c| *c != ',').collect();
    compact.parse::<u64>().ok()
}

/// Where the ages are in a population file's header: either one column an
/// age, or one for females and one for males (`F0`, `M0`), added together.
struct AgeColumns {
    columns: Vec<Vec<usize>>,
    total: Option<usize>,
    code: usize,
    name: Option<usize>,
}

fn age_columns(header: &csv::StringRecord) -> Option<Result<AgeColumns, String>> {
    let names: Vec<String> = header.iter().map(normal).collect();
    let find = |label: &str| names.iter().position(|n| n == label);
    let plain = |age: u32| -> Option<usize> {
        if age == TOP_AGE {
            find("90+")
                .or_else(|| find("90 and over"))
                .or_else(|| find("90"))
        } else {
            find(&age.to_string())
        }
    };
    let sexed = |age: u32| -> Option<Vec<usize>> {
        let pick = |sex: &str| {
            let label = format!("{sex}{age}");
            find(&label).or_else(|| {
                (age == TOP_AGE)
                    .then(|| find(&format!("{label}+")))
                    .flatten()
            })
        };
        Some(vec![pick("f")?, pick("m")?])
    };
    // Not a header row at all unless it names age 0.
    if plain(0).is_none() && sexed(0).is_none() {
        return None;
    }
    let mut columns = Vec::new();
    let mut missing = Vec::new();
    let use_plain = plain(0).is_some();
    for age in 0..=TOP_AGE {
        let found = if use_plain {
            plain(age).map(|c| vec![c])
        } else {
            sexed(age)
        };
        match found {
            Some(c) => columns.push(c),
            None => missing.push(if age == TOP_AGE {
                "90+".to_owned()
            } else {
                age.to_string()
            }),
        }
    }
    if !missing.is_empty() {
        return Some(Err(format!(
            "the header names age 0 but not every age to 90+: missing {}",
            missing.join(", ")
        )));
    }
    let total = find("all ages").or_else(|| find("total"));
    let coded = |n: &str| n.contains("code") || (n.ends_with("cd") && n.len() <= 10);
    // The smallest geography named: an LSOA, then a ward, then any code.
    let code = column(
        &names,
        &[
            &|n| coded(n) && n.contains("lsoa"),
            &|n| coded(n) && n.contains("ward"),
            &|n| coded(n),
        ],
    );
    let Some(code) = code else {
        return Some(Err(
            "the header has no column for the geography's code (like \"LSOA 2021 Code\")".into(),
        ));
    };
    let name = names
        .iter()
        .enumerate()
        .skip(code + 1)
        .find(|(_, n)| n.contains("name") || (n.ends_with("nm") && n.len() <= 10))
        .map(|(i, _)| i);
    Some(Ok(AgeColumns {
        columns,
        total,
        code,
        name,
    }))
}

/// Reads a population file: the first row that names the ages is its
/// header (the lines above it, a title and notes, are passed over), and
/// every row below with a code is a geography.
pub fn read_population(text: &str) -> ServiceResult<Vec<Geography>> {
    let mut layout = None;
    let mut geographies: Vec<Geography> = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    let mut mistakes = Mistakes::default();
    for (i, record) in reader(text).records().enumerate() {
        let Ok(record) = record else {
            mistakes.add(i as u64 + 1, "the row is not valid CSV".into());
            continue;
        };
        let line = line_of(&record, i);
        let Some(columns) = &layout else {
            match age_columns(&record) {
                Some(Ok(found)) => layout = Some(found),
                Some(Err(message)) => return Err(bad_file(format!("line {line}: {message}"))),
                None if line >= 20 => break,
                None => {}
            }
            continue;
        };
        // A blank line, or a footnote under the table.
        if record.iter().filter(|v| !v.is_empty()).count() <= 1 {
            continue;
        }
        let code = record.get(columns.code).unwrap_or("").to_owned();
        if code.is_empty() {
            mistakes.add(line, "no geography code".into());
            continue;
        }
        if !is_ons_code(&code) {
            mistakes.add(
                line,
                format!("\"{code}\" is not an ONS geography code (a letter and eight digits)"),
            );
            continue;
        }
        if let Some(first) = first_line.get(&code) {
            mistakes.add(line, format!("{code} is on line {first} already"));
            continue;
        }
        let mut ages = Vec::with_capacity(columns.columns.len());
        let mut wrong = None;
        for (age, cells) in columns.columns.iter().enumerate() {
            let mut sum = 0;
            for c in cells {
                let value = record.get(*c).unwrap_or("");
                match people(value) {
                    Some(n) => sum += n,
                    None => {
                        wrong = Some(format!(
                            "age {} is \"{value}\", not a number of people",
                            if age as u32 == TOP_AGE {
                                "90+".to_owned()
                            } else {
                                age.to_string()
                            }
                        ));
                        break;
                    }
                }
            }
            if wrong.is_some() {
                break;
            }
            ages.push(sum);
        }
        if let Some(wrong) = wrong {
            mistakes.add(line, wrong);
            continue;
        }
        if let Some(total) = columns.total {
            let sum: u64 = ages.iter().sum();
            match record.get(total).and_then(people) {
                Some(t) if t == sum => {}
                Some(t) => {
                    mistakes.add(
                        line,
                        format!("the ages add up to {sum} but the total says {t}"),
                    );
                    continue;
                }
                None => {
                    mistakes.add(line, "the total is not a number of people".into());
                    continue;
                }
            }
        }
        let name = columns
            .name
            .and_then(|n| record.get(n))
            .filter(|n| !n.is_empty())
            .unwrap_or(&code)
            .chars()
            .take(200)
            .collect();
        first_line.insert(code.clone(), line);
        geographies.push(Geography {
            code,
            name,
            people_by_age: ages,
        });
    }
    if layout.is_none() {
        return Err(bad_file(
            "the file has no header row naming the ages (0, 1, … 90+, or F0 … F90 and M0 … M90), as the ONS mid-year estimates do",
        ));
    }
    mistakes.refuse_if_any("file")?;
    if geographies.is_empty() {
        return Err(bad_file(
            "the file has a header but no geographies under it",
        ));
    }
    if geographies.len() > MAX_GEOGRAPHIES {
        return Err(bad_file(format!(
            "the file has {} geographies: an area's population has at most {MAX_GEOGRAPHIES}; import only the area's rows",
            geographies.len()
        )));
    }
    Ok(geographies)
}

/// A file read as a table: its header, each row below it that is not
/// blank with its line, and the rows that are not CSV as mistakes already.
type Table = (csv::StringRecord, Vec<(u64, csv::StringRecord)>, Mistakes);

/// Reads a file whose first line names its columns.
fn table(text: &str, what: &str) -> ServiceResult<Table> {
    let mut records = reader(text).into_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => return Err(bad_file(format!("the {what} is empty"))),
    };
    let mut rows = Vec::new();
    let mut mistakes = Mistakes::default();
    for (i, record) in records.enumerate() {
        match record {
            Err(_) => mistakes.add(i as u64 + 2, "the row is not valid CSV".into()),
            Ok(r) if r.iter().all(str::is_empty) => {}
            Ok(r) => rows.push((line_of(&r, i + 1), r)),
        }
    }
    Ok((header, rows, mistakes))
}

/// Finds a column by the first of several tests of its lower-case name.
fn column(names: &[String], tests: &[&dyn Fn(&str) -> bool]) -> Option<usize> {
    tests.iter().find_map(|t| names.iter().position(|n| t(n)))
}

fn lsoa_column(names: &[String]) -> Option<usize> {
    // The newest boundaries first (`lsoa21cd` before `lsoa11cd`).
    let mut coded: Vec<(usize, &String)> = names
        .iter()
        .enumerate()
        .filter(|(_, n)| {
            n.starts_with("lsoa") && n.ends_with("cd") && n.len() == 8
                || n.starts_with("lsoa") && n.contains("code")
        })
        .collect();
    coded.sort_by(|a, b| b.1.cmp(a.1));
    coded.first().map(|(i, _)| *i)
}

/// Reads the postcode → LSOA look-up (the ONS postcode look-up's layout:
/// `pcds` or `pcd7`/`pcd8`, and `lsoa21cd` or `lsoa11cd`).
pub fn read_postcodes(text: &str) -> ServiceResult<BTreeMap<String, String>> {
    let (header, rows, mut mistakes) = table(text, "postcode look-up")?;
    let names: Vec<String> = header.iter().map(normal).collect();
    let postcode = column(
        &names,
        &[
            &|n| n == "pcds",
            &|n| n == "pcd8",
            &|n| n == "pcd7",
            &|n| n == "pcd",
            &|n| n == "postcode",
        ],
    );
    let lsoa = lsoa_column(&names);
    let (Some(postcode), Some(lsoa)) = (postcode, lsoa) else {
        return Err(bad_file(format!(
            "the postcode look-up's first line must name a postcode column (pcds, pcd7, pcd8 or postcode) and an LSOA code column (lsoa21cd or lsoa11cd); it names: {}",
            header.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, record) in rows {
        let raw = record.get(postcode).unwrap_or("");
        let code = record.get(lsoa).unwrap_or("");
        let parsed = match Postcode::parse(raw) {
            Ok(p) => p.full(),
            Err(_) => {
                mistakes.add(line, format!("\"{raw}\" is not a postcode"));
                continue;
            }
        };
        if code.is_empty() {
            // Postcodes with no neighbourhood (large users, some new ones).
            continue;
        }
        if !is_ons_code(code) {
            mistakes.add(line, format!("\"{code}\" is not an LSOA code"));
            continue;
        }
        if let Some(first) = first_line.get(&parsed) {
            if map.get(&parsed).map(String::as_str) != Some(code) {
                mistakes.add(
                    line,
                    format!("{parsed} is on line {first} already, in another neighbourhood"),
                );
            }
            continue;
        }
        first_line.insert(parsed.clone(), line);
        map.insert(parsed, code.to_owned());
    }
    mistakes.refuse_if_any("postcode look-up")?;
    if map.is_empty() {
        return Err(bad_file("the postcode look-up has no postcodes"));
    }
    Ok(map)
}

/// Reads the deciles: the English IMD's file of ranks and deciles ("LSOA
/// code (2011)", "Index of Multiple Deprivation (IMD) Decile"), or the
/// Welsh WIMD's, with a decile column or only the overall rank ("WIMD
/// 2019"), cut into tenths of the 1,909 Welsh neighbourhoods.
pub fn read_deciles(text: &str) -> ServiceResult<BTreeMap<String, (Decile, &'static str)>> {
    let (header, rows, mut mistakes) = table(text, "deciles file")?;
    let names: Vec<String> = header.iter().map(normal).collect();
    let lsoa = lsoa_column(&names);
    let overall = |n: &str| {
        n.contains("index of multiple deprivation") || n.contains("imd") || n.contains("overall")
    };
    let decile = column(&names, &[&|n| n.contains("decile") && overall(n)]);
    let rank = column(
        &names,
        &[&|n| n.contains("wimd") && !n.contains("decile") && !n.contains("score")],
    );
    let welsh = names.iter().any(|n| n.contains("wimd"));
    let Some(lsoa) = lsoa else {
        return Err(bad_file(format!(
            "the deciles file's first line must name an LSOA code column (like \"LSOA code (2011)\"); it names: {}",
            header.iter().collect::<Vec<_>>().join(", ")
        )));
    };
    enum By {
        Decile(usize),
        WelshRank(usize),
    }
    let by = match (decile, rank) {
        (Some(d), _) => By::Decile(d),
        (None, Some(r)) => By::WelshRank(r),
        (None, None) => {
            return Err(bad_file(
                "the deciles file has no overall decile column (like \"Index of Multiple Deprivation (IMD) Decile\") and no WIMD rank column",
            ))
        }
    };
    let mut map = BTreeMap::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for (line, record) in rows {
        let code = record.get(lsoa).unwrap_or("");
        if !is_ons_code(code) {
            mistakes.add(line, format!("\"{code}\" is not an LSOA code"));
            continue;
        }
        let value = match by {
            By::Decile(c) => {
                let v = record.get(c).unwrap_or("");
                v.parse::<i64>().ok().and_then(Decile::new).ok_or_else(|| {
                    format!("the decile is \"{v}\", not a whole number from 1 to 10")
                })
            }
            By::WelshRank(c) => {
                let v = record.get(c).unwrap_or("");
                v.parse::<u32>()
                    .ok()
                    .and_then(|r| Decile::of_rank(r, WIMD_NEIGHBOURHOODS))
                    .ok_or_else(|| {
                        format!(
                            "the WIMD rank is \"{v}\", not a whole number from 1 to {WIMD_NEIGHBOURHOODS}"
                        )
                    })
            }
        };
        let decile = match value {
            Ok(d) => d,
            Err(why) => {
                mistakes.add(line, why);
                continue;
            }
        };
        if let Some(first) = first_line.get(code) {
            mistakes.add(line, format!("{code} is on line {first} already"));
            continue;
        }
        first_line.insert(code.to_owned(), line);
        let index = if welsh || code.starts_with('W') {
            "WIMD"
        } else {
            "IMD"
        };
        map.insert(code.to_owned(), (decile, index));
    }
    mistakes.refuse_if_any("deciles file")?;
    if map.is_empty() {
        return Err(bad_file("the deciles file has no neighbourhoods"));
    }
    Ok(map)
}

/// Imports an area's population, replacing the version in use. Officers.
#[tracing::instrument(name = "import population", skip(state, actor, source, content), fields(area.id = area_id.get()))]
pub async fn import_population(
    state: &AppState,
    actor: &Actor,
    area_id: AreaId,
    source: &str,
    content: Content,
) -> ServiceResult<AreaPopulation> {
    actor.require(Role::Officer, "import population figures")?;
    let source = source_label(source)?;
    let text = decode(content, MAX_POPULATION_BYTES, "file").map_err(about("file"))?;
    let geographies = read_population(&text).map_err(about("file"))?;
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    // The area must exist (and goes on existing until the commit).
    super::areas::get(&txn, area_id).await?;
    area_population::Entity::delete_many()
        .filter(area_population::Column::AreaId.eq(area_id.get()))
        .exec(&txn)
        .await
        .context("replacing a population")?;
    for chunk in geographies.chunks(200) {
        area_population::Entity::insert_many(chunk.iter().map(|g| area_population::ActiveModel {
            area_id: Set(area_id.get()),
            geography_code: Set(g.code.clone()),
            geography_name: Set(g.name.clone()),
            people_by_age: Set(serde_json::to_string(&g.people_by_age).unwrap_or_default()),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await
        .context("storing a population")?;
    }
    population_imports::Entity::delete_many()
        .filter(population_imports::Column::Kind.eq(POPULATION))
        .filter(population_imports::Column::AreaId.eq(area_id.get()))
        .exec(&txn)
        .await
        .context("replacing a population")?;
    let people: u64 = geographies.iter().map(|g| g.aged_at_least(0)).sum();
    let import = population_imports::ActiveModel {
        kind: Set(POPULATION.into()),
        area_id: Set(Some(area_id.get())),
        source: Set(source.clone()),
        rows: Set(geographies.len() as i64),
        imported_by: Set(Some(actor.account_id.get())),
        imported_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("recording an import")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "population_imported",
        "area",
        area_id.get(),
        serde_json::json!({
            "import": import.id,
            "source": source,
            "geographies": geographies.len(),
            "people": people,
        }),
    )
    .await
    .context("auditing an import")?;
    txn.commit().await.context("committing an import")?;
    tracing::info!(
        area.id = area_id.get(),
        geographies = geographies.len(),
        "population imported"
    );
    Ok(summary(&import, &geographies))
}

fn summary(import: &population_imports::Model, geographies: &[Geography]) -> AreaPopulation {
    AreaPopulation {
        source: import.source.clone(),
        imported_at: import.imported_at,
        geographies: geographies.len() as u32,
        people: geographies.iter().map(|g| g.aged_at_least(0)).sum(),
        by_band: AgeBand::ALL
            .iter()
            .map(|b| (*b, geographies.iter().map(|g| g.in_band(*b, 0)).sum()))
            .collect(),
    }
}

/// Imports the postcode look-up and the deciles together, replacing the
/// look-up in use. Officers.
#[tracing::instrument(name = "import deprivation", skip_all)]
pub async fn import_deprivation(
    state: &AppState,
    actor: &Actor,
    source: &str,
    postcodes: Content,
    deciles: Content,
) -> ServiceResult<DeprivationLookup> {
    actor.require(Role::Officer, "import the deprivation look-up")?;
    let source = source_label(source)?;
    let postcodes = decode(postcodes, MAX_LOOKUP_BYTES, "postcode look-up")
        .and_then(|text| read_postcodes(&text))
        .map_err(about("postcodes"))?;
    let deciles = decode(deciles, MAX_LOOKUP_BYTES, "deciles file")
        .and_then(|text| read_deciles(&text))
        .map_err(about("deciles"))?;
    let without = postcodes
        .values()
        .filter(|l| !deciles.contains_key(*l))
        .count() as u64;
    if without == postcodes.len() as u64 {
        return Err(about("deciles")(bad_file(
            "none of the look-up's neighbourhoods is in the deciles file: check that both use the same LSOA boundaries (2011 or 2021)",
        )));
    }
    let now = Utc::now();
    let txn = begin_write(&state.db)
        .await
        .context("starting a transaction")?;
    postcode_lsoa::Entity::delete_many()
        .exec(&txn)
        .await
        .context("replacing the look-up")?;
    lsoa_deprivation::Entity::delete_many()
        .exec(&txn)
        .await
        .context("replacing the look-up")?;
    let pairs: Vec<(&String, &String)> = postcodes.iter().collect();
    for chunk in pairs.chunks(400) {
        postcode_lsoa::Entity::insert_many(chunk.iter().map(|(p, l)| postcode_lsoa::ActiveModel {
            postcode: Set((*p).clone()),
            lsoa_code: Set((*l).clone()),
        }))
        .exec_without_returning(&txn)
        .await
        .context("storing the look-up")?;
    }
    let rows: Vec<(&String, &(Decile, &str))> = deciles.iter().collect();
    for chunk in rows.chunks(400) {
        lsoa_deprivation::Entity::insert_many(chunk.iter().map(|(code, (d, index))| {
            lsoa_deprivation::ActiveModel {
                lsoa_code: Set((*code).clone()),
                decile: Set(i16::from(d.get())),
                index_name: Set((*index).to_owned()),
            }
        }))
        .exec_without_returning(&txn)
        .await
        .context("storing the deciles")?;
    }
    population_imports::Entity::delete_many()
        .filter(population_imports::Column::Kind.eq(DEPRIVATION))
        .exec(&txn)
        .await
        .context("replacing the look-up")?;
    let import = population_imports::ActiveModel {
        kind: Set(DEPRIVATION.into()),
        area_id: Set(None),
        source: Set(source.clone()),
        rows: Set(postcodes.len() as i64),
        imported_by: Set(Some(actor.account_id.get())),
        imported_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("recording an import")?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "deprivation_imported",
        "population_import",
        import.id,
        serde_json::json!({
            "source": source,
            "postcodes": postcodes.len(),
            "neighbourhoods": deciles.len(),
            "postcodesWithoutDecile": without,
        }),
    )
    .await
    .context("auditing an import")?;
    txn.commit().await.context("committing an import")?;
    tracing::info!(
        postcodes = postcodes.len(),
        neighbourhoods = deciles.len(),
        "deprivation look-up imported"
    );
    Ok(DeprivationLookup {
        source,
        imported_at: now,
        postcodes: postcodes.len() as u64,
        neighbourhoods: deciles.len() as u64,
        postcodes_without_decile: without,
    })
}

/// The geographies of each area that has a population.
pub async fn geographies(
    db: &impl ConnectionTrait,
    areas: &[AreaId],
) -> ServiceResult<HashMap<AreaId, Vec<Geography>>> {
    let rows = area_population::Entity::find()
        .filter(area_population::Column::AreaId.is_in(areas.iter().map(|a| a.get())))
        .order_by_asc(area_population::Column::Id)
        .all(db)
        .await
        .context("loading populations")?;
    let mut out: HashMap<AreaId, Vec<Geography>> = HashMap::new();
    for r in rows {
        let ages: Vec<u64> = serde_json::from_str(&r.people_by_age)
            .map_err(|e| ServiceError::Unexpected(anyhow::Error::new(e).context("reading ages")))?;
        if ages.len() != TOP_AGE as usize + 1 {
            return Err(ServiceError::Unexpected(anyhow::anyhow!(
                "a stored population of area {} has {} ages",
                r.area_id,
                ages.len()
            )));
        }
        out.entry(r.area_id.into()).or_default().push(Geography {
            code: r.geography_code,
            name: r.geography_name,
            people_by_age: ages,
        });
    }
    Ok(out)
}

/// The population in use for an area, if one was imported.
pub async fn for_area(
    db: &impl ConnectionTrait,
    area_id: AreaId,
) -> ServiceResult<Option<AreaPopulation>> {
    let Some(import) = population_imports::Entity::find()
        .filter(population_imports::Column::Kind.eq(POPULATION))
        .filter(population_imports::Column::AreaId.eq(area_id.get()))
        .one(db)
        .await
        .context("loading a population")?
    else {
        return Ok(None);
    };
    let geographies = geographies(db, &[area_id]).await?;
    Ok(Some(summary(
        &import,
        geographies.get(&area_id).map(Vec::as_slice).unwrap_or(&[]),
    )))
}

/// Whether a deprivation look-up is in use (one read of its import row).
pub async fn has_lookup(db: &impl ConnectionTrait) -> ServiceResult<bool> {
    Ok(population_imports::Entity::find()
        .filter(population_imports::Column::Kind.eq(DEPRIVATION))
        .one(db)
        .await
        .context("loading the look-up")?
        .is_some())
}

/// The deprivation look-up in use, if one was imported. Officers and
/// councillors.
pub async fn lookup(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> ServiceResult<Option<DeprivationLookup>> {
    use sea_orm::PaginatorTrait;
    if !(actor.has(Role::Officer) || actor.has(Role::Councillor)) {
        return Err(ServiceError::not_authorised(
            "only officers and councillors see the deprivation look-up",
        ));
    }
    let Some(import) = population_imports::Entity::find()
        .filter(population_imports::Column::Kind.eq(DEPRIVATION))
        .one(db)
        .await
        .context("loading the look-up")?
    else {
        return Ok(None);
    };
    let neighbourhoods = lsoa_deprivation::Entity::find()
        .count(db)
        .await
        .context("counting neighbourhoods")?;
    let postcodes = postcode_lsoa::Entity::find()
        .count(db)
        .await
        .context("counting postcodes")?;
    let known: Vec<String> = lsoa_deprivation::Entity::find()
        .all(db)
        .await
        .context("loading deciles")?
        .into_iter()
        .map(|d| d.lsoa_code)
        .collect();
    let without = postcode_lsoa::Entity::find()
        .filter(postcode_lsoa::Column::LsoaCode.is_not_in(known))
        .count(db)
        .await
        .context("counting postcodes")?;
    Ok(Some(DeprivationLookup {
        source: import.source,
        imported_at: import.imported_at,
        postcodes,
        neighbourhoods,
        postcodes_without_decile: without,
    }))
}

/// The deprivation decile of a postcode's neighbourhood, when the look-up
/// has it.
pub async fn decile_of(
    db: &impl ConnectionTrait,
    postcode: &Postcode,
) -> ServiceResult<Option<Decile>> {
    let Some(place) = postcode_lsoa::Entity::find_by_id(postcode.full())
        .one(db)
        .await
        .context("looking up a postcode")?
    else {
        return Ok(None);
    };
    Ok(lsoa_deprivation::Entity::find_by_id(place.lsoa_code)
        .one(db)
        .await
        .context("looking up a neighbourhood")?
        .and_then(|d| Decile::new(i64::from(d.decile))))
}

/// Deciles of the given neighbourhoods.
pub async fn deciles_of(
    db: &impl ConnectionTrait,
    codes: Vec<String>,
) -> ServiceResult<HashMap<String, Decile>> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        for d in lsoa_deprivation::Entity::find()
            .filter(lsoa_deprivation::Column::LsoaCode.is_in(chunk.to_vec()))
            .all(db)
            .await
            .context("loading deciles")?
        {
            if let Some(decile) = Decile::new(i64::from(d.decile)) {
                out.insert(d.lsoa_code, decile);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ages_header() -> String {
        (0..90).map(|a| a.to_string()).collect::<Vec<_>>().join(",") + ",90+"
    }

    fn ages_row(each: u64) -> String {
        vec![each.to_string(); 91].join(",")
    }

    #[test]
    fn a_single_year_of_age_file_with_a_title_is_read() {
        let file = format!(
            "Mid-2022 population estimates for Lower layer Super Output Areas\nAll persons\n\nLSOA Code,LSOA Name,LA Code,LA name,All Ages,{}\nE01011295,Leeds 056A,E08000035,Leeds,{},{}\nE01011296,Leeds 056B,E08000035,Leeds,\"1,820\",{}\n\nSource: Office for National Statistics\n",
            ages_header(),
            91 * 3,
            ages_row(3),
            ages_row(20),
        );
        let geographies = read_population(&file).unwrap();
        assert_eq!(geographies.len(), 2);
        assert_eq!(geographies[0].code, "E01011295");
        assert_eq!(geographies[0].name, "Leeds 056A");
        assert_eq!(geographies[1].aged_at_least(0), 1820);
        assert_eq!(geographies[1].in_band(AgeBand::From75, 0), 16 * 20);
        assert_eq!(geographies[1].in_band(AgeBand::Under18, 16), 2 * 20);
    }

    #[test]
    fn a_file_by_sex_adds_females_and_males() {
        let f: Vec<String> = (0..=90).map(|a| format!("F{a}")).collect();
        let m: Vec<String> = (0..=90).map(|a| format!("M{a}")).collect();
        let file = format!(
            "LAD 2021 Code,LAD 2021 Name,LSOA 2021 Code,LSOA 2021 Name,Total,{},{}\nE08000035,Leeds,E01033015,Leeds 111A,{},{},{}\n",
            f.join(","),
            m.join(","),
            91 * 3,
            ages_row(1),
            ages_row(2),
        );
        let geographies = read_population(&file).unwrap();
        assert_eq!(geographies[0].code, "E01033015");
        assert_eq!(geographies[0].name, "Leeds 111A");
        assert_eq!(geographies[0].people_by_age, vec![3; 91]);
    }

    #[test]
    fn wrong_lines_are_named_and_nothing_is_read() {
        let file = format!(
            "LSOA Code,LSOA Name,All Ages,{}\nE01011295,A,{},{}\nE01011295,B,{},{}\nX1,C,{},{}\nE01011297,D,5,{}\n",
            ages_header(),
            91,
            ages_row(1),
            91,
            ages_row(1),
            91,
            ages_row(1),
            ages_row(1),
        );
        let err = read_population(&file).unwrap_err().to_string();
        assert!(
            err.contains("line 3: E01011295 is on line 2 already"),
            "{err}"
        );
        assert!(
            err.contains("line 4: \"X1\" is not an ONS geography code"),
            "{err}"
        );
        assert!(
            err.contains("line 5: the ages add up to 91 but the total says 5"),
            "{err}"
        );
        let missing = "LSOA Code,All Ages,0,1,2\nE01011295,3,1,1,1\n";
        let err = read_population(missing).unwrap_err().to_string();
        assert!(err.contains("missing 3, 4"), "{err}");
        assert!(read_population("a,b\n1,2\n").is_err());
    }

    #[test]
    fn postcodes_and_deciles_are_read_from_the_publishers_layouts() {
        let lookup = "pcd7,pcd8,pcds,dointr,doterm,usertype,oa11cd,lsoa11cd,msoa11cd,ladcd,lsoa11nm\nLS6 1AB,LS6  1AB,LS6 1AB,199001,,0,E00057000,E01011295,E02002350,E08000035,Leeds 056A\nLS61AD,LS6  1AD,LS6 1AD,199001,,0,E00057001,E01011296,E02002350,E08000035,Leeds 056B\n";
        let map = read_postcodes(lookup).unwrap();
        assert_eq!(map.get("LS6 1AB").map(String::as_str), Some("E01011295"));
        assert_eq!(map.get("LS6 1AD").map(String::as_str), Some("E01011296"));
        let imd = "LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile\nE01011295,Leeds 056A,E08000035,Leeds,1234,1\nE01011296,Leeds 056B,E08000035,Leeds,30000,10\n";
        let deciles = read_deciles(imd).unwrap();
        assert_eq!(deciles["E01011295"].0.get(), 1);
        assert_eq!(deciles["E01011296"], (Decile::new(10).unwrap(), "IMD"));
        let wimd = "LSOA code,LSOA name (Eng),Local Authority name (Eng),WIMD 2019,Income,Employment\nW01000001,Cardiff 001A,Cardiff,191,200,300\nW01000002,Cardiff 001B,Cardiff,1909,2,3\n";
        let deciles = read_deciles(wimd).unwrap();
        assert_eq!(deciles["W01000001"], (Decile::new(2).unwrap(), "WIMD"));
        assert_eq!(deciles["W01000002"].0.get(), 10);
        let bad = "LSOA code (2011),Index of Multiple Deprivation (IMD) Decile\nE01011295,11\nE0101129,3\n";
        let err = read_deciles(bad).unwrap_err().to_string();
        assert!(err.contains("line 2: the decile is \"11\""), "{err}");
        assert!(
            err.contains("line 3: \"E0101129\" is not an LSOA code"),
            "{err}"
        );
        let err = read_postcodes("pcds,lsoa21cd\nnot a postcode,E01011295\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 2: \"not a postcode\" is not a postcode"),
            "{err}"
        );
    }
}
