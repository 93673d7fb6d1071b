//! Areas: the neighbourhoods (wards, parishes, estates) that rounds fund,
//! each covering a set of postcodes, sectors or districts.
use super::{audit, Actor};
use crate::db::begin_write;
use crate::domain::{text::bounded, CoveragePrefix, Postcode, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{area_coverage, areas};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
pub struct Area {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub description: String,
    pub coverage: Vec<String>,
}

pub struct NewArea {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub coverage: Vec<String>,
}

const KINDS: &[&str] = &["ward", "parish", "estate", "neighbourhood", "district"];

/// Parses every coverage entry, naming each one that is wrong.
fn parse_coverage(entries: &[String]) -> ServiceResult<BTreeSet<CoveragePrefix>> {
    if entries.is_empty() {
        return Err(ServiceError::invalid(
            "coverage",
            "an area must cover at least one postcode, sector or district",
        ));
    }
    if entries.len() > 10_000 {
        return Err(ServiceError::invalid(
            "coverage",
            "an area can list at most 10,000 postcodes, sectors or districts",
        ));
    }
    let mut out = BTreeSet::new();
    let mut bad = Vec::new();
    for e in entries {
        match CoveragePrefix::parse(e) {
            Ok(p) => {
                out.insert(p);
            }
            Err(m) => bad.push(m),
        }
    }
    if !bad.is_empty() {
        let more = if bad.len() > 3 {
            format!(" and {} more", bad.len() - 3)
        } else {
            String::new()
        };
        let message = format!(
            "{}{more}",
            bad.into_iter().take(3).collect::<Vec<_>>().join("; ")
        );
        return Err(ServiceError::refused(ErrorCode::InvalidPostcode, message));
    }
    Ok(out)
}

#[tracing::instrument(name = "create area", skip_all)]
pub async fn create(db: &DatabaseConnection, actor: &Actor, new: NewArea) -> ServiceResult<Area> {
    actor.require(Role::Officer, "set up areas")?;
    let name = bounded(&new.name, "the area's name", 1, 120)
        .map_err(|m| ServiceError::invalid("name", m))?;
    let kind = new.kind.trim().to_lowercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(ServiceError::invalid(
            "kind",
            format!("the kind of area must be one of {}", KINDS.join(", ")),
        ));
    }
    let description = bounded(&new.description, "the description", 0, 5000)
        .map_err(|m| ServiceError::invalid("description", m))?;
    let coverage = parse_coverage(&new.coverage)?;

    let txn = begin_write(db).await.context("starting a transaction")?;
    let taken = areas::Entity::find()
        .filter(areas::Column::Name.eq(&name))
        .one(&txn)
        .await
        .context("checking area names")?
        .is_some();
    if taken {
        return Err(ServiceError::refused(
            ErrorCode::NameTaken,
            format!("there is already an area called {name}"),
        ));
    }
    let area = areas::ActiveModel {
        name: Set(name),
        kind: Set(kind),
        description: Set(description),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .context("creating an area")?;
    insert_coverage(&txn, area.id, &coverage).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "area_created",
        "area",
        area.id,
        serde_json::json!({ "coverage": coverage.len() }),
    )
    .await
    .context("auditing an area")?;
    txn.commit().await.context("committing an area")?;
    get(db, area.id).await
}

/// Replaces an area's coverage.
pub async fn set_coverage(
    db: &DatabaseConnection,
    actor: &Actor,
    area_id: i64,
    entries: Vec<String>,
) -> ServiceResult<Area> {
    actor.require(Role::Officer, "change areas")?;
    let coverage = parse_coverage(&entries)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    areas::Entity::find_by_id(area_id)
        .one(&txn)
        .await
        .context("loading an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    area_coverage::Entity::delete_many()
        .filter(area_coverage::Column::AreaId.eq(area_id))
        .exec(&txn)
        .await
        .context("clearing coverage")?;
    insert_coverage(&txn, area_id, &coverage).await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "area_coverage_set",
        "area",
        area_id,
        serde_json::json!({ "coverage": coverage.len() }),
    )
    .await
    .context("auditing coverage")?;
    txn.commit().await.context("committing coverage")?;
    get(db, area_id).await
}

async fn insert_coverage(
    db: &impl ConnectionTrait,
    area_id: i64,
    coverage: &BTreeSet<CoveragePrefix>,
) -> ServiceResult<()> {
    let rows: Vec<area_coverage::ActiveModel> = coverage
        .iter()
        .map(|p| area_coverage::ActiveModel {
            area_id: Set(area_id),
            prefix: Set(p.as_str().to_owned()),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        area_coverage::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .context("storing coverage")?;
    }
    Ok(())
}

pub async fn get(db: &impl ConnectionTrait, id: i64) -> ServiceResult<Area> {
    let a = areas::Entity::find_by_id(id)
        .one(db)
        .await
        .context("loading an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    let coverage = area_coverage::Entity::find()
        .filter(area_coverage::Column::AreaId.eq(id))
        .order_by_asc(area_coverage::Column::Prefix)
        .all(db)
        .await
        .context("loading coverage")?;
    Ok(Area {
        id: a.id,
        name: a.name,
        kind: a.kind,
        description: a.description,
        coverage: coverage.into_iter().map(|c| c.prefix).collect(),
    })
}

pub async fn list(db: &DatabaseConnection) -> ServiceResult<Vec<Area>> {
    let rows = areas::Entity::find()
        .order_by_asc(areas::Column::Name)
        .all(db)
        .await
        .context("listing areas")?;
    with_coverage(db, rows).await
}

/// The areas with these identifiers (those that exist), in two queries.
pub async fn get_many(db: &impl ConnectionTrait, ids: &[i64]) -> ServiceResult<Vec<Area>> {
    let rows = areas::Entity::find()
        .filter(areas::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("loading areas")?;
    with_coverage(db, rows).await
}

async fn with_coverage(
    db: &impl ConnectionTrait,
    rows: Vec<areas::Model>,
) -> ServiceResult<Vec<Area>> {
    let coverage = area_coverage::Entity::find()
        .filter(area_coverage::Column::AreaId.is_in(rows.iter().map(|r| r.id)))
        .order_by_asc(area_coverage::Column::Prefix)
        .all(db)
        .await
        .context("loading coverage")?;
    let mut by_area: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for c in coverage {
        by_area.entry(c.area_id).or_default().push(c.prefix);
    }
    Ok(rows
        .into_iter()
        .map(|a| Area {
            coverage: by_area.remove(&a.id).unwrap_or_default(),
            id: a.id,
            name: a.name,
            kind: a.kind,
            description: a.description,
        })
        .collect())
}

/// The areas whose coverage contains `postcode`.
pub async fn containing(db: &impl ConnectionTrait, postcode: &Postcode) -> ServiceResult<Vec<i64>> {
    let prefixes = postcode.containing_prefixes();
    let rows = area_coverage::Entity::find()
        .filter(area_coverage::Column::Prefix.is_in(prefixes.iter().map(String::as_str)))
        .all(db)
        .await
        .context("matching a postcode")?;
    let ids: BTreeSet<i64> = rows.into_iter().map(|r| r.area_id).collect();
    Ok(ids.into_iter().collect())
}
