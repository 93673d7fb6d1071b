//! What the platform holds about the signed-in person: all of it, to
//! download, and deleting the account.
//!
//! Deleting keeps the `accounts` row as an empty shell (its id, when it was
//! made and deleted), so that what the person did for others (a group
//! registered, a round set up, a bid written, a review) still points to a
//! row; the email hash that found the person is replaced by a random value,
//! so the shell is no one. Sessions, roles, memberships and sign-in codes
//! go; audit entries they made lose their actor; entries that were only
//! about them (sign-ins, their language) go. Verification records stay,
//! detached from the account and without the phone number's hash, until
//! the round's retention period ends: they hold only hashes and stop the
//! same person from being verified and voting twice in a round. Ballots
//! were never linked to anyone.
use super::{audit, Actor};
use crate::crypto::random_token;
use crate::db::begin_write;
use crate::domain::id::AccountId;
use crate::domain::Role;
use crate::error::{Context, ErrorCode, ServiceError, ServiceResult};
use crate::store::{
    account_roles, accounts, audit_events, group_invitations, group_members, groups,
    one_time_codes, sessions, verification_conflicts, verified_participants, voting_codes,
};
use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// Audit entries that only say something about the person themselves;
/// they go with the account.
const ABOUT_THE_PERSON_ONLY: [&str; 4] = [
    "account_created",
    "signed_in",
    "signed_out",
    "language_changed",
];

/// Deletes the signed-in person's account, in one transaction. Refused
/// without `confirm`, for the last admin, and while the person is the only
/// member of a group (someone must be left to speak for its bids).
#[tracing::instrument(name = "delete account", skip_all, fields(account.id = actor.account_id.get()))]
pub async fn delete_account(
    db: &DatabaseConnection,
    actor: &Actor,
    confirm: bool,
) -> ServiceResult<()> {
    if !confirm {
        return Err(ServiceError::invalid(
            "confirm",
            "confirm that you want to delete your account",
        ));
    }
    let id = actor.account_id;
    let now = Utc::now();
    let txn = begin_write(db).await.context("starting a transaction")?;
    let account = accounts::Entity::find_by_id(id.get())
        .lock_exclusive()
        .one(&txn)
        .await
        .context("locking the account")?
        .filter(|a| a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("account"))?;

    // The last admin stays: someone must be able to grant roles. Every
    // admin's role row is locked, so two admins cannot both leave at once.
    let admins: Vec<i64> = account_roles::Entity::find()
        .select_only()
        .column(account_roles::Column::AccountId)
        .filter(account_roles::Column::Role.eq(Role::Admin.as_str()))
        .order_by_asc(account_roles::Column::AccountId)
        .lock_exclusive()
        .into_tuple()
        .all(&txn)
        .await
        .context("locking the admins")?;
    if admins.contains(&id.get()) && admins.len() == 1 {
        return Err(ServiceError::refused(
            ErrorCode::LastAdmin,
            "you are the only admin: make someone else an admin before you delete your account",
        ));
    }

    // A group keeps at least one member. Each group's membership rows are
    // locked, as when a member leaves.
    let mine: Vec<i64> = group_members::Entity::find()
        .select_only()
        .column(group_members::Column::GroupId)
        .filter(group_members::Column::AccountId.eq(id))
        .order_by_asc(group_members::Column::GroupId)
        .into_tuple()
        .all(&txn)
        .await
        .context("finding memberships")?;
    let mut alone_in = Vec::new();
    for group_id in mine {
        let members = group_members::Entity::find()
            .filter(group_members::Column::GroupId.eq(group_id))
            .lock_exclusive()
            .all(&txn)
            .await
            .context("locking a group's members")?;
        if members.len() == 1 {
            alone_in.push(group_id);
        }
    }
    if !alone_in.is_empty() {
        let names: Vec<String> = groups::Entity::find()
            .filter(groups::Column::Id.is_in(alone_in))
            .order_by_asc(groups::Column::Name)
            .all(&txn)
            .await
            .context("naming groups")?
            .into_iter()
            .map(|g| g.name)
            .collect();
        return Err(ServiceError::refused(
            ErrorCode::LastMember,
            format!(
                "you are the only member of {}: invite someone to take over (they must accept) before you delete your account, or ask the council to close the group",
                names.join(", ")
            ),
        ));
    }

    sessions::Entity::delete_many()
        .filter(sessions::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting sessions")?;
    account_roles::Entity::delete_many()
        .filter(account_roles::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting roles")?;
    group_members::Entity::delete_many()
        .filter(group_members::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting memberships")?;
    crate::store::round_observers::Entity::delete_many()
        .filter(crate::store::round_observers::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("deleting observed rounds")?;
    one_time_codes::Entity::delete_many()
        .filter(one_time_codes::Column::TargetHmac.eq(&account.email_hmac))
        .exec(&txn)
        .await
        .context("deleting sign-in codes")?;
    // Updates the person posted stay with the bid (they are the group's,
    // and public once approved), no longer tied to them.
    crate::store::delivery_updates::Entity::update_many()
        .col_expr(
            crate::store::delivery_updates::Column::AccountId,
            Expr::value(Option::<i64>::None),
        )
        .filter(crate::store::delivery_updates::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching delivery updates")?;
    group_invitations::Entity::update_many()
        .col_expr(
            group_invitations::Column::InvitedBy,
            Expr::value(Option::<i64>::None),
        )
        .filter(group_invitations::Column::InvitedBy.eq(id))
        .exec(&txn)
        .await
        .context("detaching invitations")?;
    // The account's verification records stay (their identity hash stops
    // the same person being verified and voting twice in a round), but the
    // phone number goes with the account: a detached record must not be
    // reachable by texting from that number, and one person is still one
    // person without it (the identity hash). The number that texted with a
    // voting code of theirs goes too; the code itself stays with the
    // letter, which is the person's, not the account's.
    let own_records: Vec<i64> = verified_participants::Entity::find()
        .select_only()
        .column(verified_participants::Column::Id)
        .filter(verified_participants::Column::AccountId.eq(id))
        .into_tuple()
        .all(&txn)
        .await
        .context("finding verification records")?;
    // Reminders go with the account: the address or number was theirs.
    crate::service::reminders::delete_for_account(&txn, id.get(), &own_records).await?;
    verified_participants::Entity::update_many()
        .col_expr(
            verified_participants::Column::AccountId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            verified_participants::Column::PhoneHmac,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            verified_participants::Column::PhoneProven,
            Expr::value(false),
        )
        .filter(verified_participants::Column::AccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching verification records")?;
    if !own_records.is_empty() {
        voting_codes::Entity::update_many()
            .col_expr(
                voting_codes::Column::PhoneHmac,
                Expr::value(Option::<String>::None),
            )
            .filter(voting_codes::Column::ParticipantId.is_in(own_records))
            .exec(&txn)
            .await
            .context("forgetting the phone that used a voting code")?;
    }
    verification_conflicts::Entity::update_many()
        .col_expr(
            verification_conflicts::Column::ClaimantAccountId,
            Expr::value(Option::<i64>::None),
        )
        .filter(verification_conflicts::Column::ClaimantAccountId.eq(id))
        .exec(&txn)
        .await
        .context("detaching verification checks")?;
    audit_events::Entity::delete_many()
        .filter(audit_events::Column::SubjectType.eq("account"))
        .filter(audit_events::Column::SubjectId.eq(id.to_string()))
        .filter(audit_events::Column::Action.is_in(ABOUT_THE_PERSON_ONLY))
        .exec(&txn)
        .await
        .context("deleting audit entries about the person")?;
    // What staff did stays theirs: an officer, councillor or admin who
    // leaves cannot take their name off reviews, checks in person, voting
    // codes or counts. The entries point to the emptied account, which
    // holds nothing personal. A resident's entries lose the link.
    if !actor
        .roles
        .iter()
        .any(|r| matches!(r, Role::Officer | Role::Councillor | Role::Admin))
    {
        audit_events::Entity::update_many()
            .col_expr(
                audit_events::Column::ActorAccountId,
                Expr::value(Option::<i64>::None),
            )
            .filter(audit_events::Column::ActorAccountId.eq(id))
            .exec(&txn)
            .await
            .context("detaching audit entries")?;
    }
    unlink_audit_details(&txn, id).await?;
    accounts::ActiveModel {
        id: Set(id.get()),
        email_hmac: Set(format!("deleted:{}", random_token())),
        display_name: Set(None),
        last_sign_in_at: Set(None),
        language: Set("en".into()),
        deleted_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .context("emptying the account")?;
    audit::record(
        &txn,
        None,
        "account_deleted",
        "account",
        id,
        serde_json::json!({}),
    )
    .await
    .context("auditing a deletion")?;
    txn.commit().await.context("committing a deletion")?;
    tracing::info!(account.id = id.get(), "account deleted");
    Ok(())
}

/// Keys under which audit details name an account the entry is about (the
/// person checked in person, the member who left a group, the account a
/// verification was moved to), as opposed to the entry's actor.
const ACCOUNT_DETAILS: [&str; 2] = ["account", "to_account"];

/// Entries about the person (a check in person, a group they left) keep
/// what was done but lose the link: where their details name the account,
/// it becomes null, as a resident's own entries lose their actor.
async fn unlink_audit_details(
    txn: &sea_orm::DatabaseTransaction,
    id: AccountId,
) -> ServiceResult<()> {
    let mut candidates = sea_orm::Condition::any();
    for key in ACCOUNT_DETAILS {
        // serde_json writes no spaces: a cheap filter, checked exactly below.
        candidates =
            candidates.add(audit_events::Column::Details.like(format!("%\"{key}\":{id}%")));
    }
    let rows = audit_events::Entity::find()
        .filter(candidates)
        .all(txn)
        .await
        .context("finding audit entries about the person")?;
    for row in rows {
        let Ok(serde_json::Value::Object(mut details)) = serde_json::from_str(&row.details) else {
            continue;
        };
        let mut changed = false;
        for key in ACCOUNT_DETAILS {
            if details.get(key).and_then(serde_json::Value::as_i64) == Some(id.get()) {
                details.insert(key.to_owned(), serde_json::Value::Null);
                changed = true;
            }
        }
        if changed {
            audit_events::ActiveModel {
                id: Set(row.id),
                details: Set(serde_json::Value::Object(details).to_string()),
                ..Default::default()
            }
            .update(txn)
            .await
            .context("unlinking an audit entry")?;
        }
    }
    Ok(())
}

/// Everything the platform holds about the signed-in person, as a JSON
/// document meant to be read: the account, roles, groups, invitations to
/// them, the bids they wrote, each round's verification record (how and
/// when, never the hashes), whether they voted in each round (never what:
/// nothing links a person to a ballot), their sessions and the audit
/// entries they made or that are about their account. Read in one
/// transaction, so the parts agree.
#[tracing::instrument(name = "export personal data", skip_all, fields(account.id = actor.account_id.get()))]
pub async fn export(db: &DatabaseConnection, actor: &Actor) -> ServiceResult<serde_json::Value> {
    use crate::store::{areas, bids, participation, rounds};
    use sea_orm::TransactionTrait;
    use serde_json::json;
    use std::collections::{BTreeSet, HashMap};

    let id = actor.account_id;
    let now = Utc::now();
    let txn = db.begin().await.context("starting a read")?;
    let account = accounts::Entity::find_by_id(id.get())
        .one(&txn)
        .await
        .context("loading the account")?
        .filter(|a| a.deleted_at.is_none())
        .ok_or_else(|| ServiceError::not_found("account"))?;
    let roles = account_roles::Entity::find()
        .filter(account_roles::Column::AccountId.eq(id))
        .order_by_asc(account_roles::Column::Role)
        .all(&txn)
        .await
        .context("loading roles")?;
    let memberships = group_members::Entity::find()
        .filter(group_members::Column::AccountId.eq(id))
        .order_by_asc(group_members::Column::GroupId)
        .all(&txn)
        .await
        .context("loading memberships")?;
    let invitations = group_invitations::Entity::find()
        .filter(group_invitations::Column::EmailHmac.eq(&account.email_hmac))
        .order_by_asc(group_invitations::Column::Id)
        .all(&txn)
        .await
        .context("loading invitations")?;
    let written = bids::Entity::find()
        .filter(bids::Column::SubmittedBy.eq(id))
        .order_by_asc(bids::Column::Id)
        .all(&txn)
        .await
        .context("loading bids")?;
    let records = verified_participants::Entity::find()
        .filter(verified_participants::Column::AccountId.eq(id))
        .order_by_asc(verified_participants::Column::RoundId)
        .all(&txn)
        .await
        .context("loading verification records")?;
    let voted: HashMap<i64, participation::Model> = participation::Entity::find()
        .filter(
            participation::Column::ParticipantId
                .is_in(records.iter().map(|r| r.id).collect::<Vec<_>>()),
        )
        .all(&txn)
        .await
        .context("loading participation")?
        .into_iter()
        .filter_map(|p| Some((p.participant_id?, p)))
        .collect();
    let session_rows = sessions::Entity::find()
        .filter(sessions::Column::AccountId.eq(id))
        .order_by_asc(sessions::Column::Id)
        .all(&txn)
        .await
        .context("loading sessions")?;
    let events = audit_events::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(audit_events::Column::ActorAccountId.eq(id))
                .add(
                    sea_orm::Condition::all()
                        .add(audit_events::Column::SubjectType.eq("account"))
                        .add(audit_events::Column::SubjectId.eq(id.to_string())),
                ),
        )
        .order_by_asc(audit_events::Column::Id)
        .all(&txn)
        .await
        .context("loading audit entries")?;

    let observed = crate::store::round_observers::Entity::find()
        .filter(crate::store::round_observers::Column::AccountId.eq(id))
        .all(&txn)
        .await
        .context("loading observed rounds")?;

    // Names of the rounds, groups and areas mentioned.
    let round_ids: BTreeSet<i64> = written
        .iter()
        .map(|b| b.round_id)
        .chain(records.iter().map(|r| r.round_id))
        .chain(observed.iter().map(|o| o.round_id))
        .collect();
    let group_ids: BTreeSet<i64> = written
        .iter()
        .map(|b| b.group_id)
        .chain(memberships.iter().map(|m| m.group_id))
        .chain(invitations.iter().map(|i| i.group_id))
        .collect();
    let round_names: HashMap<i64, String> = rounds::Entity::find()
        .filter(rounds::Column::Id.is_in(round_ids))
        .all(&txn)
        .await
        .context("naming rounds")?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    let group_names: HashMap<i64, String> = groups::Entity::find()
        .filter(groups::Column::Id.is_in(group_ids))
        .all(&txn)
        .await
        .context("naming groups")?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let area_names: HashMap<i64, String> = areas::Entity::find()
        .filter(areas::Column::Id.is_in(records.iter().map(|r| r.area_id).collect::<Vec<_>>()))
        .all(&txn)
        .await
        .context("naming areas")?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let posted = crate::service::delivery::posted_by(&txn, id).await?;
    txn.commit().await.context("ending a read")?;

    let round = |id: i64| json!({ "id": id.to_string(), "title": round_names.get(&id) });
    let group = |id: i64| json!({ "id": id.to_string(), "name": group_names.get(&id) });
    Ok(json!({
        "about": "Everything Fairshare holds about you, on the date below. Your email address is not stored: only a keyed hash of it, which finds your account when you sign in. Verification records hold keyed hashes of your details, not the details, so they are described here by how and when you proved you could take part. Whether you voted is recorded for turnout; what you voted for is never linked to you.",
        "generatedAt": now,
        "account": {
            "id": account.id.to_string(),
            "displayName": account.display_name,
            "language": account.language,
            "createdAt": account.created_at,
            "lastSignInAt": account.last_sign_in_at,
            "emailAddress": "not stored (only a keyed hash of it)",
        },
        "roles": roles.iter().map(|r| json!({
            "role": r.role,
            "grantedAt": r.granted_at,
        })).collect::<Vec<_>>(),
        "groups": memberships.iter().map(|m| json!({
            "group": group(m.group_id),
            "joinedAt": m.joined_at,
        })).collect::<Vec<_>>(),
        "invitationsToYou": invitations.iter().map(|i| json!({
            "group": group(i.group_id),
            "sentAt": i.created_at,
            "expiresAt": i.expires_at,
            "acceptedAt": i.accepted_at,
            "declinedAt": i.declined_at,
            "revokedAt": i.revoked_at,
        })).collect::<Vec<_>>(),
        "bidsYouWrote": written.iter().map(|b| json!({
            "id": b.id.to_string(),
            "title": b.title,
            "round": round(b.round_id),
            "group": group(b.group_id),
            "status": b.status,
            "costPence": b.cost_pence,
            "createdAt": b.created_at,
            "updatedAt": b.updated_at,
        })).collect::<Vec<_>>(),
        "verification": records.iter().map(|r| json!({
            "round": round(r.round_id),
            "area": area_names.get(&r.area_id),
            "relation": r.relation,
            "methods": r.methods.split(',').filter(|m| !m.is_empty()).collect::<Vec<_>>(),
            "status": if r.held { "held for a check by the council" } else if r.verified_at.is_some() { "verified" } else { "not finished" },
            "verifiedAt": r.verified_at,
            "ageCheckedAtLeast": r.age_checked_min,
            "ageBand": r.age_band,
            "deprivationDecileOfPostcode": r.deprivation_decile,
            "evidenceSeen": r.evidence,
            "phoneGiven": r.phone_hmac.is_some(),
            "phoneProven": r.phone_proven,
            "emailProven": r.email_hmac.is_some(),
            "registerMatched": r.residence_hmac.is_some(),
            "createdAt": r.created_at,
            "updatedAt": r.updated_at,
            "stored": "keyed hashes of your name and date of birth, and of your postcode, phone number and email address where you gave them; your age band and the deprivation decile of your postcode's neighbourhood, to count who takes part; never the details",
        })).collect::<Vec<_>>(),
        "voting": records.iter().map(|r| {
            let p = voted.get(&r.id);
            json!({
                "round": round(r.round_id),
                "voted": p.is_some(),
                "channel": p.map(|p| &p.channel),
                "firstVotedAt": p.map(|p| p.first_voted_at),
                "lastVotedAt": p.map(|p| p.last_voted_at),
            })
        }).collect::<Vec<_>>(),
        "observing": observed.iter().map(|o| json!({
            "round": round(o.round_id),
            "since": o.created_at,
            "stored": "your email address, sealed, to send you this round's close checkpoint when voting closes",
        })).collect::<Vec<_>>(),
        "sessions": session_rows.iter().map(|s| json!({
            "startedAt": s.created_at,
            "expiresAt": s.expires_at,
            "endedAt": s.revoked_at,
            "live": s.revoked_at.is_none() && s.expires_at > now,
        })).collect::<Vec<_>>(),
        "deliveryUpdates": posted.iter().map(|u| json!({
            "id": u.id.to_string(),
            "bid": u.bid_id.to_string(),
            "text": u.body,
            "state": format!("{:?}", u.state).to_lowercase(),
            "reason": u.reason,
            "postedAt": u.created_at,
            "decidedAt": u.decided_at,
            "photos": u.photos.iter().map(|p| json!({
                "url": format!("/delivery/photos/{}", p.id),
                "altText": p.alt_text,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "auditEntries": events.iter().map(|e| json!({
            "at": e.at,
            "byYou": e.actor_account_id == Some(id.get()),
            "action": e.action,
            "subject": { "type": e.subject_type, "id": e.subject_id },
            "details": serde_json::from_str::<serde_json::Value>(&e.details).unwrap_or_default(),
        })).collect::<Vec<_>>(),
    }))
}
