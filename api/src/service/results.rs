//! Results: counting a closed round with its frozen rule, the councillors'
//! review, publication, corrections as new versions, and everything a
//! resident or a journalist needs to check the count (the bundle).
//!
//! Invariant: a round is `counted` only with a stored count, made in the
//! transaction that moves it there. A count that fails leaves the round
//! closed, with the reason for officers and nothing half-written. Before
//! publication only councillors and admins see any figure.
use super::{audit, round_log, rounds, voting, Actor};
use crate::db::begin_write;
use crate::domain::{ballot::BallotKind, vote::BallotContent, CountingRule, Language, Phase, Role};
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{
    areas, ballots, bids, participation, pot_results, result_versions, rounds as round_rows,
};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use tally::bundle::RuleSpec;

/// The one conversion from a round's counting rule to the counting
/// module's: the same names, the tie-break order with its seed.
pub fn rule_spec(rule: &CountingRule) -> RuleSpec {
    RuleSpec {
        name: rule.name.clone(),
        tie_break: match rule.tie_break {
            crate::domain::ballot::TieBreak::CostSupportSeed => {
                format!("cost-support-seed:{}", rule.seed.unwrap_or(0))
            }
            crate::domain::ballot::TieBreak::Lexicographic => "lexicographic".into(),
        },
        min_support: rule.min_support,
        rank_points: rule
            .rank_points
            .as_ref()
            .map(|p| p.iter().map(|x| u64::from(*x)).collect()),
        seats: rule.seats,
    }
}

/// Money as the published files write it: pounds, with pence only where
/// there are any (the counting module reads it back in pence).
const MONEY_SCALE: u32 = 2;

/// One pot's ballots as a pabulib election: the eligible bids (less any
/// excluded by a correction), the pot, and every ballot in the order the
/// close left them (random), each voter numbered 1, 2, 3…
async fn pot_election(
    db: &impl ConnectionTrait,
    round: &rounds::Round,
    pot: &rounds::Pot,
    excluded: &[i64],
    voting: &(String, String),
) -> ServiceResult<tally::Election> {
    use tally::model::{BallotRef, Ballots};
    let area = areas::Entity::find_by_id(pot.area_id)
        .one(db)
        .await
        .context("loading an area")?
        .map(|a| a.name)
        .unwrap_or_default();
    let on_ballot: Vec<bids::Model> = bids::Entity::find()
        .filter(bids::Column::PotId.eq(pot.id))
        .filter(bids::Column::Status.eq("eligible"))
        .order_by_asc(bids::Column::Id)
        .all(db)
        .await
        .context("loading a pot's bids")?
        .into_iter()
        .filter(|b| !excluded.contains(&b.id))
        .collect();
    let index: HashMap<i64, u32> = on_ballot
        .iter()
        .enumerate()
        .map(|(i, b)| (b.id, i as u32))
        .collect();
    let rows = ballots::Entity::find()
        .filter(ballots::Column::RoundId.eq(round.id))
        .filter(ballots::Column::PotId.eq(pot.id))
        .order_by_asc(ballots::Column::Id)
        .all(db)
        .await
        .context("loading a pot's ballots")?;
    let (vote_type, constraints) = voting::tally_shape(
        &round.ballot,
        pot.amount.get().max(0) as u64,
        on_ballot.len() as u64,
    );
    let with_points = vote_type.has_points();
    let mut ballots = Ballots::new(with_points);
    // How many ballots name each project: pabulib's `votes` column.
    let mut named = vec![0u64; on_ballot.len()];
    for (n, row) in rows.iter().enumerate() {
        let content: BallotContent = serde_json::from_str(&row.content)
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("an unreadable ballot: {e}")))?;
        let mut projects = Vec::new();
        let mut points = Vec::new();
        for (i, bid) in content.bids.iter().enumerate() {
            // A bid excluded by a correction leaves the ballot; the rest of
            // it stands.
            if let Some(&p) = index.get(bid) {
                projects.push(p);
                named[p as usize] += 1;
                points.push(
                    content
                        .values
                        .as_ref()
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(0)
                        .max(0) as u64,
                );
            }
        }
        let voter = (n + 1).to_string();
        ballots
            .push(BallotRef {
                voter_id: &voter,
                projects: &projects,
                points: with_points.then_some(&points[..]),
                extra: "",
            })
            .map_err(|e| ServiceError::Unexpected(anyhow::anyhow!("building a pot: {e}")))?;
    }
    let spec = rule_spec(&round.rule);
    // In the order pabulib's checker expects; `write` fills in the budget.
    let mut meta = vec![
        (
            "description".to_string(),
            format!("{} – {area}", round.title),
        ),
        ("country".into(), "United Kingdom".into()),
        ("unit".into(), area.clone()),
        ("instance".into(), round.title.clone()),
        ("num_projects".into(), on_ballot.len().to_string()),
        ("num_votes".into(), rows.len().to_string()),
        ("budget".into(), String::new()),
        ("vote_type".into(), vote_type.as_str().into()),
        ("rule".into(), spec.name.clone()),
        ("date_begin".into(), voting.0.clone()),
        ("date_end".into(), voting.1.clone()),
    ];
    let money = |p: u64| tally::pb::format_money(p, MONEY_SCALE);
    for (key, value) in [
        ("min_length", constraints.min_length.map(|v| v.to_string())),
        ("max_length", constraints.max_length.map(|v| v.to_string())),
        ("min_points", constraints.min_points.map(|v| v.to_string())),
        ("max_points", constraints.max_points.map(|v| v.to_string())),
        (
            "min_sum_points",
            constraints.min_sum_points.map(|v| v.to_string()),
        ),
        (
            "max_sum_points",
            constraints.max_sum_points.map(|v| v.to_string()),
        ),
        ("max_sum_cost", constraints.max_sum_cost.map(money)),
    ] {
        if let Some(v) = value {
            meta.push((key.into(), v));
        }
    }
    meta.push(("language".into(), "en".into()));
    meta.push(("currency".into(), "GBP".into()));
    if round.ballot.kind == BallotKind::MoneyAllocation {
        meta.push((
            "comment".into(),
            "each ballot's points are the pence it gives to each project".into(),
        ));
    }
    Ok(tally::Election {
        meta,
        ballot_columns: Vec::new(),
        budget: pot.amount.get().max(0) as u64,
        money_scale: MONEY_SCALE,
        vote_type,
        projects: on_ballot
            .iter()
            .enumerate()
            .map(|(i, b)| tally::Project {
                id: b.id.to_string(),
                cost: b.cost_pence.max(0) as u64,
                name: Some(b.title.clone()),
                category: Some(b.category.clone()),
                extra: vec![("votes".into(), named[i].to_string())],
            })
            .collect(),
        ballots,
        constraints,
    })
}

/// When voting opened and closed (`DD.MM.YYYY`, as pabulib writes dates),
/// from the round's log.
async fn voting_dates(db: &impl ConnectionTrait, round_id: i64) -> ServiceResult<(String, String)> {
    let entries = round_log::entries(db, round_id).await?;
    let when = |to: &str| {
        entries
            .iter()
            .rev()
            .find(|e| e["kind"] == "phase_changed" && e["details"]["to"] == to)
            .and_then(|e| DateTime::parse_from_rfc3339(e["at"].as_str()?).ok())
            .map(|at| at.format("%d.%m.%Y").to_string())
    };
    let end = when("closed").unwrap_or_else(|| Utc::now().format("%d.%m.%Y").to_string());
    Ok((when("voting").unwrap_or_else(|| end.clone()), end))
}

fn sha256_hex(bytes: &[u8]) -> String {
    tally::canonical::sha256_hex(bytes)
}

/// Counts every pot of a round in one transaction: closed → counted, with
/// a new result version. `excluded` bids are left out (a correction).
async fn count_in(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    excluded: &[i64],
) -> Result<Vec<pot_results::ActiveModel>, String> {
    let spec = rule_spec(&round.rule);
    let voting = voting_dates(txn, round.id)
        .await
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for pot in &round.pots {
        let election = pot_election(txn, round, pot, excluded, &voting)
            .await
            .map_err(|e| e.to_string())?;
        let pb = tally::pb::write(&election);
        let result = tally::bundle::count_pot(&spec, &pb)
            .map_err(|e| format!("the pot for area {}: {e}", pot.area_id))?;
        out.push(pot_results::ActiveModel {
            pot_id: Set(pot.id),
            ballots_sha256: Set(sha256_hex(pb.as_bytes())),
            ballots_pb: Set(pb),
            result_sha256: Set(sha256_hex(result.as_bytes())),
            result_json: Set(result),
            ..Default::default()
        });
    }
    Ok(out)
}

/// Counts a closed round with its frozen rule: the round becomes counted,
/// with a provisional result for councillors to review. A failure (an
/// exact tie the rule cannot break, say) leaves it closed, with the reason
/// on the round for officers, and nothing else written.
#[tracing::instrument(name = "count round", skip(db, actor), fields(round.id = round_id))]
pub async fn count(
    db: &DatabaseConnection,
    actor: Option<&Actor>,
    round_id: i64,
) -> ServiceResult<rounds::Round> {
    if let Some(a) = actor {
        a.require(Role::Officer, "count a round")?;
    }
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = rounds::lock_exclusive(&txn, round_id).await?;
    if round.phase != Phase::Closed {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            match round.phase {
                Phase::Counted | Phase::Published => "this round has been counted already".into(),
                other => format!(
                    "only a round whose voting has closed can be counted; this one is {}",
                    other.label()
                ),
            },
        ));
    }
    let pots = match count_in(&txn, &round, &[]).await {
        Ok(p) => p,
        Err(reason) => {
            txn.rollback().await.context("rolling back a count")?;
            tracing::warn!(round.id = round_id, reason = %reason, "the count failed");
            let txn = begin_write(db).await.context("starting a transaction")?;
            round_rows::Entity::update_many()
                .col_expr(round_rows::Column::CountError, Expr::value(reason.clone()))
                .filter(round_rows::Column::Id.eq(round_id))
                .exec(&txn)
                .await
                .context("recording why a count failed")?;
            audit::record(
                &txn,
                actor.map(|a| a.account_id),
                "round_count_failed",
                "round",
                round_id,
                json!({ "reason": reason }),
            )
            .await
            .context("auditing a failed count")?;
            txn.commit().await.context("committing a failed count")?;
            return Err(ServiceError::refused(
                ErrorCode::CountFailed,
                format!("the round could not be counted, and stays closed: {reason}"),
            ));
        }
    };
    let version = store_version(&txn, &round, actor, None, &[], pots, now).await?;
    rounds::set_phase(&txn, round_id, Phase::Closed, Phase::Counted, now).await?;
    round_rows::Entity::update_many()
        .col_expr(
            round_rows::Column::CountError,
            Expr::value(Option::<String>::None),
        )
        .filter(round_rows::Column::Id.eq(round_id))
        .exec(&txn)
        .await
        .context("clearing a count error")?;
    audit::record(
        &txn,
        actor.map(|a| a.account_id),
        "round_counted",
        "round",
        round_id,
        json!({ "version": version }),
    )
    .await
    .context("auditing a count")?;
    txn.commit().await.context("committing a count")?;
    tracing::info!(round.id = round_id, version, "round counted");
    rounds::load(db, round_id).await
}

/// Writes a result version and its pots, and logs it.
async fn store_version(
    txn: &DatabaseTransaction,
    round: &rounds::Round,
    actor: Option<&Actor>,
    reason: Option<&str>,
    excluded: &[i64],
    pots: Vec<pot_results::ActiveModel>,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let last = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round.id))
        .order_by_desc(result_versions::Column::Version)
        .one(txn)
        .await
        .context("finding the last result")?;
    let version = last.map(|v| v.version + 1).unwrap_or(1);
    let config = tally::canonical::to_canonical_string(&rule_spec(&round.rule).to_json());
    let v = result_versions::ActiveModel {
        round_id: Set(round.id),
        version: Set(version),
        reason: Set(reason.map(str::to_owned)),
        config_json: Set(config.clone()),
        excluded_bids: Set(serde_json::to_string(excluded).unwrap_or_else(|_| "[]".into())),
        created_by: Set(actor.map(|a| a.account_id)),
        created_at: Set(now),
        published_by: Set(None),
        published_at: Set(None),
        ..Default::default()
    }
    .insert(txn)
    .await
    .context("storing a result")?;
    let mut logged = Vec::new();
    for mut p in pots {
        p.version_id = Set(v.id);
        let saved = p.insert(txn).await.context("storing a pot's result")?;
        let r: Value = serde_json::from_str(&saved.result_json).unwrap_or(Value::Null);
        logged.push(json!({
            "pot": saved.pot_id,
            "ballots_sha256": saved.ballots_sha256,
            "result_sha256": saved.result_sha256,
            "selected": r["selected"],
        }));
    }
    round_log::append(
        txn,
        round.id,
        if version == 1 { "counted" } else { "recounted" },
        json!({
            "version": version,
            "config_sha256": sha256_hex(config.as_bytes()),
            "excluded_bids": excluded,
            "reason": reason,
            "pots": logged,
            "by": actor.map(|a| a.account_id),
        }),
        now,
    )
    .await?;
    Ok(version)
}

/// Who may see a result before it is published.
fn reviewer(caller: Option<&Actor>) -> bool {
    caller.is_some_and(|a| a.has(Role::Councillor) || a.has(Role::Admin))
}

/// Publishes the provisional result of a counted round: a councillor's
/// deliberate act, in the transaction that moves the round to published.
pub(crate) async fn publish_in(
    txn: &DatabaseTransaction,
    actor: &Actor,
    round_id: i64,
    now: DateTime<Utc>,
) -> ServiceResult<i32> {
    let latest = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .order_by_desc(result_versions::Column::Version)
        .one(txn)
        .await
        .context("finding the result")?
        .ok_or_else(|| {
            ServiceError::refused(ErrorCode::NotCounted, "there is no count to publish")
        })?;
    result_versions::ActiveModel {
        id: Set(latest.id),
        published_by: Set(Some(actor.account_id)),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .update(txn)
    .await
    .context("publishing a result")?;
    round_log::append(
        txn,
        round_id,
        "published",
        json!({ "version": latest.version, "by": actor.account_id }),
        now,
    )
    .await?;
    Ok(latest.version)
}

/// Corrects a published result: a councillor recounts, leaving out bids
/// that can no longer go ahead, and publishes the recount as a new version
/// with the reason. Every version stays visible.
#[tracing::instrument(name = "correct result", skip(db, actor, reason), fields(round.id = round_id))]
pub async fn correct(
    db: &DatabaseConnection,
    actor: &Actor,
    round_id: i64,
    reason: &str,
    exclude: Vec<i64>,
) -> ServiceResult<i32> {
    actor.require(Role::Councillor, "publish a correction")?;
    let reason = crate::domain::text::bounded(reason, "the reason for the correction", 10, 2000)
        .map_err(|m| ServiceError::invalid("reason", m))?;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let round = rounds::lock_exclusive(&txn, round_id).await?;
    if round.phase != Phase::Published {
        return Err(ServiceError::refused(
            ErrorCode::InvalidTransition,
            "only a published result can be corrected; publish the count first",
        ));
    }
    let previous: Vec<i64> = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .order_by_desc(result_versions::Column::Version)
        .one(&txn)
        .await
        .context("finding the result")?
        .map(|v| serde_json::from_str(&v.excluded_bids).unwrap_or_default())
        .unwrap_or_default();
    let mut excluded = previous;
    for b in exclude {
        let bid = bids::Entity::find_by_id(b)
            .one(&txn)
            .await
            .context("loading a bid")?
            .filter(|x| x.round_id == round_id && x.status == "eligible")
            .ok_or_else(|| {
                ServiceError::invalid(
                    "excludeBidIds",
                    "each bid to leave out must be on this round's ballot",
                )
            })?;
        if !excluded.contains(&bid.id) {
            excluded.push(bid.id);
        }
    }
    excluded.sort_unstable();
    let pots = count_in(&txn, &round, &excluded).await.map_err(|e| {
        ServiceError::refused(ErrorCode::CountFailed, format!("the recount failed: {e}"))
    })?;
    let version = store_version(
        &txn,
        &round,
        Some(actor),
        Some(&reason),
        &excluded,
        pots,
        now,
    )
    .await?;
    let v = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .filter(result_versions::Column::Version.eq(version))
        .one(&txn)
        .await
        .context("finding the correction")?
        .ok_or_else(|| ServiceError::Unexpected(anyhow::anyhow!("a stored version vanished")))?;
    result_versions::ActiveModel {
        id: Set(v.id),
        published_by: Set(Some(actor.account_id)),
        published_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("publishing a correction")?;
    round_log::append(
        &txn,
        round_id,
        "corrected",
        json!({ "version": version, "reason": reason, "by": actor.account_id }),
        now,
    )
    .await?;
    audit::record(
        &txn,
        Some(actor.account_id),
        "result_corrected",
        "round",
        round_id,
        json!({ "version": version, "excluded_bids": excluded }),
    )
    .await
    .context("auditing a correction")?;
    txn.commit().await.context("committing a correction")?;
    Ok(version)
}

/// A pot's result, as people read it.
#[derive(Clone, Debug)]
pub struct PotResult {
    pub pot_id: i64,
    pub area_id: i64,
    pub budget_pence: i64,
    /// Funded bids in the order funded, with what each costs and its
    /// support.
    pub funded: Vec<(i64, i64, String)>,
    /// Bids on the ballot not funded, with their support.
    pub unfunded: Vec<(i64, i64, String)>,
    pub spent_pence: i64,
    pub voters: u64,
    pub turnout_by_channel: Vec<(String, u64)>,
    /// How many ballots named each bid, from the published `.pb`.
    pub votes: HashMap<i64, u64>,
    /// The count step by step, in English.
    pub explanation: Vec<String>,
    /// The same in Welsh.
    pub explanation_cy: Vec<String>,
    pub ballots_sha256: String,
    pub result_sha256: String,
    pub input_sha256: String,
    pub result_json: String,
    pub ballots_pb: String,
}

/// One version of a round's result.
#[derive(Clone, Debug)]
pub struct RoundResult {
    pub round_id: i64,
    pub version: i32,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub config_json: String,
    pub excluded_bids: Vec<i64>,
    pub pots: Vec<PotResult>,
}

/// Parses a money string of the counting module (`"1234.5"`) to pence.
fn pence_of(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut frac: String = frac.chars().take(2).collect();
    while frac.len() < 2 {
        frac.push('0');
    }
    whole.parse::<i64>().unwrap_or(0) * 100 + frac.parse::<i64>().unwrap_or(0)
}

fn pounds(p: i64) -> String {
    crate::domain::Pence::parse(p)
        .unwrap_or(crate::domain::Pence::ZERO)
        .to_string()
}

/// What `tally` writes about a bid or the count's end, in Welsh; `None`
/// for anything it does not know, which is then shown as written.
fn welsh_term(term: &str) -> Option<&'static str> {
    Some(match term {
        "skipped: does not fit" => "wedi’i hepgor: nid yw’n ffitio yn yr arian sydd ar ôl",
        "does not fit: count stops" => "nid yw’n ffitio: mae’r cyfrif yn dod i ben",
        "below threshold" => "o dan y trothwy cefnogaeth",
        "not considered: count stopped" => "heb ei ystyried: roedd y cyfrif wedi dod i ben",
        "single run" => "un rhediad oedd ei angen",
        "raising the share once more would overspend" => {
            "byddai codi’r gyfran unwaith eto yn gwario gormod"
        }
        "first run already overspends" => "mae’r rhediad cyntaf eisoes yn gwario gormod",
        "outcome is exhaustive" => "nid oes arian ar ôl i ariannu cais arall",
        "every supported project is funded" => "mae pob cais â chefnogaeth wedi cael cyllid",
        "elected" => "wedi’u dewis",
        "excluded" => "wedi’u heithrio",
        "eliminated" => "wedi’u dileu",
        "surplus transferred from" => "gwarged wedi’i drosglwyddo oddi wrth",
        "first preferences counted" => "dewisiadau cyntaf wedi’u cyfrif",
        _ => return None,
    })
}

/// The count in plain words, one line per step, in English or Welsh.
fn explain(
    result: &Value,
    titles: &HashMap<String, String>,
    rule: &str,
    language: Language,
) -> Vec<String> {
    let cy = language == Language::Cy;
    let term = |t: &str| -> String {
        if cy {
            welsh_term(t)
                .map(str::to_owned)
                .unwrap_or_else(|| t.to_owned())
        } else {
            t.to_owned()
        }
    };
    let title = |id: &Value| {
        id.as_str()
            .and_then(|i| titles.get(i))
            .cloned()
            .unwrap_or_else(|| format!("{} {id}", if cy { "cais" } else { "bid" }))
    };
    let money = |v: &Value| pounds(pence_of(v.as_str().unwrap_or("0")));
    let mut out = Vec::new();
    let rounds = result["rounds"].as_array().cloned().unwrap_or_default();
    match rule {
        "irv" | "stv-scottish" => {
            for (i, r) in rounds.iter().enumerate() {
                let summary = summarise_stage(r, titles, &term);
                out.push(if cy {
                    format!("Cam {}: {summary}", i + 1)
                } else {
                    format!("Stage {}: {summary}", i + 1)
                });
            }
        }
        _ => {
            for r in &rounds {
                let phase = r["phase"].as_str().unwrap_or("");
                if phase == "equal shares" {
                    let supporters = r["supporters_paying_share"]
                        .as_str()
                        .and_then(|s| s.parse::<u64>().ok())
                        .unwrap_or(0)
                        + r["supporters_paying_all_they_had"]
                            .as_str()
                            .and_then(|s| s.parse::<u64>().ok())
                            .unwrap_or(0);
                    let (n, bid, paid, cost) = (
                        &r["round"],
                        title(&r["project"]),
                        money(&r["payment_per_supporter"]),
                        money(&r["cost"]),
                    );
                    out.push(if cy {
                        format!("Rownd {n}: cafodd {bid} gyllid; talodd ei {supporters} cefnogwr {paid} yr un (y gost yw {cost}).")
                    } else {
                        format!("Round {n}: {bid} was funded; its {supporters} supporters paid {paid} each (the cost is {cost}).")
                    });
                } else {
                    let decision = r["decision"].as_str().unwrap_or("");
                    let left = money(&r["remaining_budget"]);
                    let position = r["position"]
                        .as_u64()
                        .or_else(|| r["round"].as_u64())
                        .unwrap_or(0);
                    let (bid, support, cost) = (
                        title(&r["project"]),
                        r["support"].as_str().unwrap_or("0"),
                        money(&r["cost"]),
                    );
                    let what = match (decision, cy) {
                        ("funded", false) => format!("funded; {left} left."),
                        ("funded", true) => format!("cafodd gyllid; {left} ar ôl."),
                        ("", false) => format!("{phase}; {left} left."),
                        ("", true) => format!("{}; {left} ar ôl.", term(phase)),
                        (other, false) => {
                            format!("not funded ({}); {left} left.", other.replace('_', " "))
                        }
                        (other, true) => format!(
                            "dim cyllid ({}); {left} ar ôl.",
                            term(&other.replace('_', " "))
                        ),
                    };
                    out.push(if cy {
                        format!("{position}. {bid} (cefnogaeth {support}, {cost}): {what}")
                    } else {
                        format!("{position}. {bid} ({support} support, {cost}): {what}")
                    });
                }
            }
        }
    }
    if let Some(reason) = result["details"]["equal_shares"]["stop_reason"].as_str() {
        out.push(if cy {
            format!("Daeth y cyfrif i ben oherwydd {}.", term(reason))
        } else {
            format!("The count stopped because {reason}.")
        });
    }
    out
}

fn summarise_stage(
    r: &Value,
    titles: &HashMap<String, String>,
    term: &dyn Fn(&str) -> String,
) -> String {
    let name = |v: &Value| {
        v.as_str()
            .and_then(|s| titles.get(s).cloned())
            .unwrap_or_else(|| v.to_string().trim_matches('"').to_owned())
    };
    let mut parts = Vec::new();
    for key in ["elected", "excluded", "eliminated"] {
        if let Some(list) = r[key].as_array() {
            if !list.is_empty() {
                parts.push(format!(
                    "{}: {}",
                    term(key),
                    list.iter().map(name).collect::<Vec<_>>().join(", ")
                ));
            }
        }
    }
    // A stage that names no list says what it did in its action.
    if parts.is_empty() {
        let action = &r["action"];
        let who = || name(&action["candidate"]);
        match action["kind"].as_str() {
            Some("elected") => parts.push(format!("{}: {}", term("elected"), who())),
            Some("exclusion") => parts.push(format!("{}: {}", term("excluded"), who())),
            Some("surplus") => {
                parts.push(format!("{} {}", term("surplus transferred from"), who()))
            }
            Some("first-preferences") => parts.push(term("first preferences counted")),
            _ => {}
        }
    }
    if parts.is_empty() {
        r.to_string()
    } else {
        parts.join("; ")
    }
}

/// A round's result: the latest version (or the one asked for). Published
/// versions are public; a provisional one only councillors and admins
/// see. `None` when there is nothing the caller may see.
pub async fn result(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    round_id: i64,
    version: Option<i32>,
) -> ServiceResult<Option<RoundResult>> {
    let round = rounds::get(db, caller, round_id).await?;
    let mut q =
        result_versions::Entity::find().filter(result_versions::Column::RoundId.eq(round_id));
    if !reviewer(caller) {
        q = q.filter(result_versions::Column::PublishedAt.is_not_null());
    }
    if let Some(v) = version {
        q = q.filter(result_versions::Column::Version.eq(v));
    }
    let Some(v) = q
        .order_by_desc(result_versions::Column::Version)
        .one(db)
        .await
        .context("finding a result")?
    else {
        return Ok(None);
    };
    let rows = pot_results::Entity::find()
        .filter(pot_results::Column::VersionId.eq(v.id))
        .order_by_asc(pot_results::Column::PotId)
        .all(db)
        .await
        .context("loading pot results")?;
    let turnout = participation::Entity::find()
        .filter(participation::Column::RoundId.eq(round_id))
        .all(db)
        .await
        .context("loading turnout")?;
    let mut pots = Vec::new();
    for row in rows {
        let r: Value = serde_json::from_str(&row.result_json).unwrap_or(Value::Null);
        let pot = round
            .pots
            .iter()
            .find(|p| p.id == row.pot_id)
            .ok_or_else(|| {
                ServiceError::Unexpected(anyhow::anyhow!("a result for another round's pot"))
            })?;
        let on_ballot: Vec<bids::Model> = bids::Entity::find()
            .filter(bids::Column::PotId.eq(pot.id))
            .filter(bids::Column::Status.eq("eligible"))
            .order_by_asc(bids::Column::Id)
            .all(db)
            .await
            .context("loading a pot's bids")?;
        let titles: HashMap<String, String> = on_ballot
            .iter()
            .map(|b| (b.id.to_string(), b.title.clone()))
            .collect();
        let selected: Vec<i64> = r["selected"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect())
            .unwrap_or_default();
        let support: HashMap<i64, String> = r["funded"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| {
                        Some((
                            f["project"].as_str()?.parse().ok()?,
                            f["support"].as_str().unwrap_or("").to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let cost: HashMap<i64, i64> = on_ballot.iter().map(|b| (b.id, b.cost_pence)).collect();
        let funded: Vec<(i64, i64, String)> = selected
            .iter()
            .map(|b| {
                (
                    *b,
                    cost.get(b).copied().unwrap_or(0),
                    support.get(b).cloned().unwrap_or_default(),
                )
            })
            .collect();
        let unfunded: Vec<(i64, i64, String)> = on_ballot
            .iter()
            .filter(|b| !selected.contains(&b.id))
            .map(|b| (b.id, b.cost_pence, String::new()))
            .collect();
        let spent: i64 = funded.iter().map(|(_, c, _)| c).sum();
        let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
        for p in turnout.iter().filter(|p| p.pot_id == pot.id) {
            *by_channel.entry(p.channel.clone()).or_default() += 1;
        }
        // The ballots that named each bid, as the published file says.
        let votes: HashMap<i64, u64> = tally::pb::parse(&row.ballots_pb)
            .map(|e| {
                e.projects
                    .iter()
                    .filter_map(|p| Some((p.id.parse().ok()?, p.field("votes")?.parse().ok()?)))
                    .collect()
            })
            .unwrap_or_default();
        pots.push(PotResult {
            votes,
            pot_id: pot.id,
            area_id: pot.area_id,
            budget_pence: pot.amount.get(),
            explanation: explain(&r, &titles, &round.rule.name, Language::En),
            explanation_cy: explain(&r, &titles, &round.rule.name, Language::Cy),
            funded,
            unfunded,
            spent_pence: spent,
            voters: r["voters"].as_u64().unwrap_or_else(|| {
                r["voters"]
                    .as_str()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0)
            }),
            turnout_by_channel: by_channel.into_iter().collect(),
            ballots_sha256: row.ballots_sha256,
            result_sha256: row.result_sha256,
            input_sha256: r["input_sha256"].as_str().unwrap_or("").to_owned(),
            result_json: row.result_json,
            ballots_pb: row.ballots_pb,
        });
    }
    Ok(Some(RoundResult {
        round_id,
        version: v.version,
        reason: v.reason,
        created_at: v.created_at,
        published_at: v.published_at,
        config_json: v.config_json,
        excluded_bids: serde_json::from_str(&v.excluded_bids).unwrap_or_default(),
        pots,
    }))
}

/// Every version of a round's result the caller may see, oldest first.
pub async fn versions(
    db: &DatabaseConnection,
    caller: Option<&Actor>,
    round_id: i64,
) -> ServiceResult<Vec<(i32, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>)>> {
    rounds::get(db, caller, round_id).await?;
    let mut q =
        result_versions::Entity::find().filter(result_versions::Column::RoundId.eq(round_id));
    if !reviewer(caller) {
        q = q.filter(result_versions::Column::PublishedAt.is_not_null());
    }
    Ok(q.order_by_asc(result_versions::Column::Version)
        .all(db)
        .await
        .context("listing results")?
        .into_iter()
        .map(|v| (v.version, v.reason, v.created_at, v.published_at))
        .collect())
}

/// The receipt commitments of a round's ballots, sorted: the leaves of its
/// Merkle tree.
async fn commitments(db: &impl ConnectionTrait, round_id: i64) -> ServiceResult<Vec<[u8; 32]>> {
    let mut out: Vec<[u8; 32]> = ballots::Entity::find()
        .select_only()
        .column(ballots::Column::Commitment)
        .filter(ballots::Column::RoundId.eq(round_id))
        .into_tuple::<String>()
        .all(db)
        .await
        .context("loading commitments")?
        .into_iter()
        .filter_map(|c| {
            let bytes = hex::decode(&c).ok()?;
            <[u8; 32]>::try_from(bytes.as_slice()).ok()
        })
        .collect();
    out.sort_unstable();
    Ok(out)
}

/// The files of a published result version, as `tally verify` reads them.
pub async fn bundle(
    db: &DatabaseConnection,
    round_id: i64,
    version: Option<i32>,
) -> ServiceResult<Option<Vec<(String, Vec<u8>)>>> {
    let Some(result) = result(db, None, round_id, version).await? else {
        return Ok(None);
    };
    let round = rounds::load(db, round_id).await?;
    let leaves = commitments(db, round_id).await?;
    let commitments_txt: String = leaves
        .iter()
        .map(|c| format!("{}\n", hex::encode(c)))
        .collect();
    let log = round_log::entries(db, round_id).await?;
    // The log as it stood when this version was published: up to and
    // including the entry that published it (a provisional version has
    // none, and is never bundled).
    let cut = log.iter().position(|e| {
        matches!(e["kind"].as_str(), Some("published" | "corrected"))
            && e["details"]["version"].as_i64() == Some(i64::from(result.version))
    });
    let log: Vec<Value> = match cut {
        Some(i) => log.into_iter().take(i + 1).collect(),
        None => log,
    };
    let audit = round_log::to_jsonl(&log);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut pots = Vec::new();
    for p in &result.pots {
        let pb_name = format!("pot-{}.pb", p.pot_id);
        let result_name = format!("pot-{}.result.json", p.pot_id);
        pots.push(json!({
            "id": p.pot_id,
            "area": p.area_id,
            "ballots": pb_name,
            "ballots_sha256": p.ballots_sha256,
            "result": result_name,
            "result_sha256": p.result_sha256,
        }));
        files.push((pb_name, p.ballots_pb.clone().into_bytes()));
        files.push((result_name, p.result_json.clone().into_bytes()));
    }
    let manifest = json!({
        "format": tally::bundle::FORMAT,
        "round": { "id": round.id, "title": round.title },
        "version": result.version,
        "reason": result.reason,
        "published_at": result.published_at.map(|p| p.to_rfc3339()),
        "tally_version": env!("CARGO_PKG_VERSION"),
        "config": "config.json",
        "config_sha256": sha256_hex(result.config_json.as_bytes()),
        "pots": pots,
        "commitments": "commitments.txt",
        "commitments_sha256": sha256_hex(commitments_txt.as_bytes()),
        "commitments_count": leaves.len(),
        "merkle_root": tally::bundle::merkle_root(&leaves),
        "audit": "audit.jsonl",
        "audit_sha256": sha256_hex(audit.as_bytes()),
        "audit_entries": log.len(),
        "audit_head": log.last().and_then(|e| e["hash"].as_str()).unwrap_or(""),
    });
    files.push((
        "config.json".into(),
        result.config_json.clone().into_bytes(),
    ));
    files.push(("commitments.txt".into(), commitments_txt.into_bytes()));
    files.push(("audit.jsonl".into(), audit.into_bytes()));
    files.push((
        "round.json".into(),
        serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
    ));
    Ok(Some(files))
}

/// A receipt's inclusion proof in a published round: the leaf, the tree
/// and the hashes up to the root. `None` if the round is not published or
/// no ballot has this receipt.
pub async fn receipt_proof(
    db: &DatabaseConnection,
    round_id: i64,
    code: &str,
) -> ServiceResult<Option<(tally::bundle::Inclusion, String, String)>> {
    let published = result_versions::Entity::find()
        .filter(result_versions::Column::RoundId.eq(round_id))
        .filter(result_versions::Column::PublishedAt.is_not_null())
        .one(db)
        .await
        .context("finding a published result")?;
    if published.is_none() {
        return Ok(None);
    }
    let Some(code) = crate::domain::vote::normalise_code(code) else {
        return Err(ServiceError::invalid(
            "code",
            "a receipt code has 16 letters and digits, like 7K3M-9QXD-2RTF-HJ4W",
        ));
    };
    let leaves = commitments(db, round_id).await?;
    let Some(index) = leaves
        .iter()
        .position(|c| tally::bundle::receipt_code(c) == code)
    else {
        return Ok(None);
    };
    let root = tally::bundle::merkle_root(&leaves);
    Ok(tally::bundle::inclusion_proof(&leaves, index)
        .map(|p| (p, root, hex::encode(leaves[index]))))
}

/// A pot's result as CSV, for council reports: one line per bid on the
/// ballot.
pub fn csv(p: &PotResult, titles: &HashMap<i64, String>) -> String {
    let mut out = String::from("bid_id,title,cost_pence,funded,support\n");
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    for (b, cost, support) in &p.funded {
        out.push_str(&format!(
            "{b},{},{cost},yes,{support}\n",
            quote(titles.get(b).map(String::as_str).unwrap_or(""))
        ));
    }
    for (b, cost, _) in &p.unfunded {
        out.push_str(&format!(
            "{b},{},{cost},no,\n",
            quote(titles.get(b).map(String::as_str).unwrap_or(""))
        ));
    }
    out
}

/// Publishes a counted round's result (a councillor), then emails each
/// group with a bid on the ballot whether it was funded.
#[tracing::instrument(name = "publish result", skip(state, actor), fields(round.id = round_id))]
pub async fn publish(
    state: &crate::state::AppState,
    actor: &Actor,
    round_id: i64,
) -> ServiceResult<rounds::Round> {
    let round = rounds::advance(&state.db, actor, round_id, Phase::Published).await?;
    if let Err(e) = notify_groups(state, &round).await {
        // The result stands; a failed email is logged, not fatal.
        tracing::error!(round.id = round_id, error = %e, "emailing groups about a result");
    }
    Ok(round)
}

async fn notify_groups(state: &crate::state::AppState, round: &rounds::Round) -> ServiceResult<()> {
    let Some(result) = result(&state.db, None, round.id, None).await? else {
        return Ok(());
    };
    let funded: std::collections::HashSet<i64> = result
        .pots
        .iter()
        .flat_map(|p| p.funded.iter().map(|(b, _, _)| *b))
        .collect();
    let on_ballot = bids::Entity::find()
        .filter(bids::Column::RoundId.eq(round.id))
        .filter(bids::Column::Status.eq("eligible"))
        .all(&state.db)
        .await
        .context("loading the round's bids")?;
    let mut by_group: BTreeMap<i64, Vec<(String, bool)>> = BTreeMap::new();
    for b in on_ballot {
        by_group
            .entry(b.group_id)
            .or_default()
            .push((b.title, funded.contains(&b.id)));
    }
    for (group_id, lines) in by_group {
        let group = super::groups::get(&state.db, group_id).await?;
        let Ok(to) = crate::domain::EmailAddress::parse(&group.contact_email) else {
            continue;
        };
        let language = super::accounts::language_for_address(&state.db, &state.secret, &to).await?;
        let outcome = lines
            .iter()
            .map(|(title, yes)| {
                use crate::domain::Language::{Cy, En};
                format!(
                    "- {title}: {}",
                    match (language, *yes) {
                        (En, true) => "funded",
                        (En, false) => "not funded this time",
                        (Cy, true) => "wedi cael cyllid",
                        (Cy, false) => "heb gael cyllid y tro hwn",
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let link = format!("{}/rounds/{}/results", state.settings.public_url, round.id);
        state
            .mailer
            .send(
                &to,
                crate::channels::templates::RESULT_PUBLISHED.render(
                    language,
                    &[
                        ("round", &round.title),
                        ("outcome", &outcome),
                        ("link", &link),
                    ],
                ),
            )
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ballot::{TieBreak, RULES};

    /// Every rule a round may choose is one the counting module runs, under
    /// the same name, with the round's options and seed.
    #[test]
    fn every_rule_a_round_may_choose_is_one_the_count_runs() {
        for (name, _) in RULES {
            let rule = CountingRule {
                name: (*name).into(),
                tie_break: TieBreak::CostSupportSeed,
                seed: Some(2027),
                min_support: Some(3),
                rank_points: Some(vec![3, 2, 1]),
                seats: Some(2),
            };
            let spec = rule_spec(&rule);
            assert_eq!(spec.name, *name);
            assert_eq!(spec.tie_break, "cost-support-seed:2027");
            assert_eq!(spec.seats, Some(2));
            let config = spec.pb_config().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(
                config.is_none(),
                matches!(*name, "irv" | "stv-scottish"),
                "{name}: ranked rules count as BLT, the rest as .pb"
            );
            // The configuration round-trips through config.json.
            assert_eq!(
                tally::bundle::RuleSpec::from_json(&spec.to_json()),
                Ok(spec)
            );
        }
        let lexicographic = rule_spec(&CountingRule {
            name: "mes".into(),
            tie_break: TieBreak::Lexicographic,
            seed: None,
            min_support: None,
            rank_points: None,
            seats: None,
        });
        assert_eq!(lexicographic.tie_break, "lexicographic");
        assert!(lexicographic.pb_config().is_ok());
    }

    #[test]
    fn money_in_results_reads_as_pence() {
        assert_eq!(pence_of("1234.5"), 123_450);
        assert_eq!(pence_of("7"), 700);
        assert_eq!(pence_of("0.07"), 7);
    }
}
