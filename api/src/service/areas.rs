//! Areas: the neighbourhoods (wards, parishes, estates) that rounds fund,
//! each covering a set of postcodes, sectors or districts.
use super::{audit, groups::unique_or, rounds, Actor, Page, PageRequest};
use crate::db::begin_write;
use crate::domain::id::AreaId;
use crate::domain::{
    text::{bounded, name_key},
    CoveragePrefix, Postcode, Role,
};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{area_coverage, areas};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeSet;

#[derive(Clone, Debug)]
pub struct Area {
    pub id: AreaId,
    pub name: String,
    pub kind: String,
    pub description: String,
    /// The name and description in Welsh, where the council gave them.
    pub name_cy: Option<String>,
    pub description_cy: Option<String>,
}

pub struct NewArea {
    pub name: String,
    pub kind: String,
    pub description: String,
    pub name_cy: Option<String>,
    pub description_cy: Option<String>,
    pub coverage: Vec<String>,
}

/// What to change of an area; `None` leaves it. An empty Welsh name or
/// description takes it away.
#[derive(Default)]
pub struct AreaChanges {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub description: Option<String>,
    pub name_cy: Option<String>,
    pub description_cy: Option<String>,
}

fn parse_name_cy(s: Option<&str>) -> ServiceResult<Option<String>> {
    crate::domain::text::welsh(s, "the area's Welsh name", 1, 120)
        .map_err(|m| ServiceError::invalid("nameCy", m))
}

fn parse_description_cy(s: Option<&str>) -> ServiceResult<Option<String>> {
    crate::domain::text::welsh(s, "the Welsh description", 0, 5000)
        .map_err(|m| ServiceError::invalid("descriptionCy", m))
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
    let name_cy = parse_name_cy(new.name_cy.as_deref())?;
    let description_cy = parse_description_cy(new.description_cy.as_deref())?;
    let coverage = parse_coverage(&new.coverage)?;
    let key = parse_name_key(&name)?;

    let txn = begin_write(db).await.context("starting a transaction")?;
    check_name_free(&txn, &name, &key, None).await?;
    let area = areas::ActiveModel {
        name: Set(name.clone()),
        name_key: Set(Some(key)),
        kind: Set(kind),
        description: Set(description),
        name_cy: Set(name_cy),
        description_cy: Set(description_cy),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| unique_or(e, || name_taken(&name), "creating an area"))?;
    insert_coverage(&txn, area.id.into(), &coverage).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
        "area_created",
        "area",
        area.id,
        serde_json::json!({ "coverage": coverage.len() }),
    )
    .await
    .context("auditing an area")?;
    txn.commit().await.context("committing an area")?;
    get(db, area.id.into()).await
}

fn name_taken(name: &str) -> ServiceError {
    ServiceError::refused(
        ErrorCode::NameTaken,
        format!("there is already an area called {name}"),
    )
}

fn parse_name_key(name: &str) -> ServiceResult<String> {
    let key = name_key(name);
    if key.is_empty() {
        return Err(ServiceError::invalid(
            "name",
            "the area's name needs letters or digits",
        ));
    }
    Ok(key)
}

/// Names are unique whatever their case, accents or spacing.
async fn check_name_free(
    db: &impl ConnectionTrait,
    name: &str,
    key: &str,
    except: Option<i64>,
) -> ServiceResult<()> {
    let holder = areas::Entity::find()
        .filter(areas::Column::NameKey.eq(key))
        .one(db)
        .await
        .context("checking area names")?;
    match holder {
        Some(a) if Some(a.id) != except => Err(name_taken(name)),
        _ => Ok(()),
    }
}

/// Changes an area's name, kind or description, in English or Welsh.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    area_id: AreaId,
    changes: AreaChanges,
) -> ServiceResult<Area> {
    let AreaChanges {
        name,
        kind,
        description,
        name_cy,
        description_cy,
    } = changes;
    actor.require(Role::Officer, "change areas")?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    areas::Entity::find_by_id(area_id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    let mut am = areas::ActiveModel {
        id: sea_orm::Set(area_id.get()),
        ..Default::default()
    };
    let mut changed = Vec::new();
    if let Some(n) = name {
        let n =
            bounded(&n, "the area's name", 1, 120).map_err(|m| ServiceError::invalid("name", m))?;
        let key = parse_name_key(&n)?;
        check_name_free(&txn, &n, &key, Some(area_id.get())).await?;
        am.name = Set(n);
        am.name_key = Set(Some(key));
        changed.push("name");
    }
    if let Some(k) = kind {
        let k = k.trim().to_lowercase();
        if !KINDS.contains(&k.as_str()) {
            return Err(ServiceError::invalid(
                "kind",
                format!("the kind of area must be one of {}", KINDS.join(", ")),
            ));
        }
        am.kind = Set(k);
        changed.push("kind");
    }
    if let Some(d) = description {
        am.description = Set(bounded(&d, "the description", 0, 5000)
            .map_err(|m| ServiceError::invalid("description", m))?);
        changed.push("description");
    }
    if let Some(n) = name_cy {
        am.name_cy = Set(parse_name_cy(Some(&n))?);
        changed.push("name_cy");
    }
    if let Some(d) = description_cy {
        am.description_cy = Set(parse_description_cy(Some(&d))?);
        changed.push("description_cy");
    }
    if !changed.is_empty() {
        am.update(&txn).await.map_err(|e| {
            unique_or(
                e,
                || {
                    ServiceError::refused(
                        ErrorCode::NameTaken,
                        "there is already an area with that name",
                    )
                },
                "updating an area",
            )
        })?;
        audit::record(
            &txn,
            Some(actor.account_id.get()),
            "area_updated",
            "area",
            area_id,
            serde_json::json!({ "changed": changed }),
        )
        .await
        .context("auditing an area")?;
    }
    txn.commit().await.context("committing an area")?;
    get(db, area_id).await
}

/// Replaces an area's coverage. Refused while a round with a pot for the
/// area is voting, closed or counted: who may vote is frozen from the
/// moment voting opens.
pub async fn set_coverage(
    db: &DatabaseConnection,
    actor: &Actor,
    area_id: AreaId,
    entries: Vec<String>,
) -> ServiceResult<Area> {
    actor.require(Role::Officer, "change areas")?;
    let coverage = parse_coverage(&entries)?;
    let txn = begin_write(db).await.context("starting a transaction")?;
    areas::Entity::find_by_id(area_id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("loading an area")?
        .ok_or_else(|| ServiceError::not_found("area"))?;
    let frozen = rounds::frozen_with_area(&txn, area_id).await?;
    if let Some(round) = frozen.first() {
        return Err(ServiceError::refused(
            ErrorCode::SettingsFrozen,
            format!(
                "this area's postcodes are frozen: the round \"{}\" is {}, and who may vote cannot change once voting has opened",
                round.title,
                round.phase.label()
            ),
        ));
    }
    area_coverage::Entity::delete_many()
        .filter(area_coverage::Column::AreaId.eq(area_id))
        .exec(&txn)
        .await
        .context("clearing coverage")?;
    insert_coverage(&txn, area_id, &coverage).await?;
    audit::record(
        &txn,
        Some(actor.account_id.get()),
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
    area_id: AreaId,
    coverage: &BTreeSet<CoveragePrefix>,
) -> ServiceResult<()> {
    let rows: Vec<area_coverage::ActiveModel> = coverage
        .iter()
        .map(|p| area_coverage::ActiveModel {
            area_id: Set(area_id.get()),
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

fn to_area(a: areas::Model) -> Area {
    Area {
        id: a.id.into(),
        name: a.name,
        kind: a.kind,
        description: a.description,
        name_cy: a.name_cy,
        description_cy: a.description_cy,
    }
}

pub async fn get(db: &impl ConnectionTrait, id: AreaId) -> ServiceResult<Area> {
    areas::Entity::find_by_id(id.get())
        .one(db)
        .await
        .context("loading an area")?
        .map(to_area)
        .ok_or_else(|| ServiceError::not_found("area"))
}

/// An area's postcodes, sectors and districts in order, a page at a time
/// (an area may list thousands).
pub async fn coverage(
    db: &impl ConnectionTrait,
    area_id: AreaId,
    page: PageRequest,
) -> ServiceResult<Page<String>> {
    let rows = area_coverage::Entity::find()
        .filter(area_coverage::Column::AreaId.eq(area_id))
        .order_by_asc(area_coverage::Column::Prefix)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("loading coverage")?;
    Ok(Page::from_rows(
        rows.into_iter().map(|c| c.prefix).collect(),
        page,
    ))
}

pub async fn list(db: &DatabaseConnection, page: PageRequest) -> ServiceResult<Page<Area>> {
    let rows = areas::Entity::find()
        .order_by_asc(areas::Column::Name)
        .order_by_asc(areas::Column::Id)
        .offset(page.offset)
        .limit(page.limit + 1)
        .all(db)
        .await
        .context("listing areas")?;
    Ok(Page::from_rows(
        rows.into_iter().map(to_area).collect(),
        page,
    ))
}

/// The areas with these identifiers (those that exist), in one query.
pub async fn get_many(db: &impl ConnectionTrait, ids: &[AreaId]) -> ServiceResult<Vec<Area>> {
    Ok(areas::Entity::find()
        .filter(areas::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
        .context("loading areas")?
        .into_iter()
        .map(to_area)
        .collect())
}

/// The areas whose coverage contains `postcode`.
pub async fn containing(
    db: &impl ConnectionTrait,
    postcode: &Postcode,
) -> ServiceResult<Vec<AreaId>> {
    let prefixes = postcode.containing_prefixes();
    let rows = area_coverage::Entity::find()
        .filter(area_coverage::Column::Prefix.is_in(prefixes.iter().map(String::as_str)))
        .all(db)
        .await
        .context("matching a postcode")?;
    let ids: BTreeSet<i64> = rows.into_iter().map(|r| r.area_id).collect();
    Ok(ids.into_iter().map(AreaId::from).collect())
}
