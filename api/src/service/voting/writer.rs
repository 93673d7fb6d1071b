//! Group commit. A durable commit waits for the disk (about 4 ms here, so
//! about 250 commits a second on SQLite, which has one writer). Ballots
//! therefore go through a writer task that takes every cast waiting, runs
//! each in a savepoint of one transaction (a refused or failed cast undoes
//! only its own writes), commits once, and only then answers each caller.
//! No acknowledgement leaves before its batch is on disk.
//!
//! SQLite has one lane. PostgreSQL has several (`FAIRSHARE_BALLOT_WRITERS`,
//! by default `POSTGRES_LANES`), each a
//! writer with a transaction of its own, so that batches run side by side;
//! a voter's casts always take the same lane (chosen from who is voting),
//! so two batches never wait for each other's voters.
//!
//! Written by hand: the batching is a few lines around the service's own
//! transaction, and no library does group commit over sea-orm.
use super::{cast_in, flush, BatchCache, Cast, CastRequest, Voter};
use crate::crypto::Secret;
use crate::db::begin_write;
use crate::error::{ServiceError, ServiceResult};
use sea_orm::{DatabaseConnection, TransactionTrait};
use tokio::sync::{mpsc, oneshot};

/// The most casts committed together.
pub const MAX_BATCH: usize = 256;

struct Job {
    request: CastRequest,
    reply: oneshot::Sender<ServiceResult<Cast>>,
}

/// Writers side by side on PostgreSQL, unless configured otherwise.
pub const POSTGRES_LANES: usize = 4;

/// The handle every request uses to cast through the writer.
#[derive(Clone)]
pub struct BallotWriter {
    lanes: Vec<mpsc::Sender<Job>>,
}

fn stopped() -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!("the ballot writer has stopped"))
}

impl BallotWriter {
    /// Starts `lanes` writer tasks.
    pub fn start(db: DatabaseConnection, secret: Secret, lanes: usize) -> BallotWriter {
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
                tokio::spawn(run(db.clone(), secret.clone(), queue));
                jobs
            })
            .collect();
        BallotWriter { lanes }
    }

    /// Casts through the writer, and waits until the ballot's batch is
    /// committed (or refused).
    pub async fn cast(&self, request: CastRequest) -> ServiceResult<Cast> {
        let (reply, answer) = oneshot::channel();
        // The same person always takes the same lane: by account when they
        // vote themselves, by verification record otherwise.
        let who = match &request.voter {
            Voter::Account(actor) => actor.account_id.get(),
            Voter::Officer { participant_id, .. } | Voter::Participant { participant_id } => {
                participant_id.get()
            }
        };
        let lane = who.unsigned_abs() as usize % self.lanes.len();
        self.lanes[lane]
            .send(Job { request, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn run(db: DatabaseConnection, secret: Secret, mut queue: mpsc::Receiver<Job>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // A batch runs in a task of its own, so that a panic in one batch
        // (whose callers then get INTERNAL) does not stop the writer.
        let (db, secret) = (db.clone(), secret.clone());
        if tokio::spawn(async move { commit_batch(&db, &secret, batch).await })
            .await
            .is_err()
        {
            tracing::error!("a batch of ballots failed unexpectedly");
        }
    }
}

/// Answers every cast of a batch that could not run at all.
fn fail_all(batch: Vec<Job>, what: &'static str) {
    for job in batch {
        let _ = job
            .reply
            .send(Err(ServiceError::Unexpected(anyhow::anyhow!(what))));
    }
}

async fn commit_batch(db: &DatabaseConnection, secret: &Secret, batch: Vec<Job>) {
    let now = chrono::Utc::now();
    let txn = match begin_write(db).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "starting a batch of ballots");
            fail_all(batch, "starting a batch of ballots failed");
            return;
        }
    };
    if let Err(e) = lock_voters(&txn, &batch).await {
        tracing::error!(error = %e, "locking a batch's voters");
        fail_all(batch, "locking a batch's voters failed");
        return;
    }
    // First without savepoints, which cost two round trips a cast: a cast
    // is refused before it writes anything (`cast_in` checks everything
    // first), so only an unexpected failure can leave a cast half-done.
    // Then the whole batch is rolled back, and run again with each cast in
    // a savepoint of its own, so that the failure undoes only that cast.
    let mut results = Vec::with_capacity(batch.len());
    let mut cache = BatchCache::default();
    let mut failed = false;
    for job in &batch {
        let result = cast_in(&txn, secret, &job.request, now, &mut cache)
            .await
            .and_then(|outcome| outcome.into_result());
        if matches!(result, Err(ServiceError::Unexpected(_))) {
            failed = true;
            break;
        }
        results.push(result);
    }
    if !failed {
        if let Err(e) = flush(&txn, &mut cache).await {
            tracing::error!(error = %e, "writing a batch's audit and participation");
            failed = true;
        }
    }
    let txn = if failed {
        if let Err(e) = txn.rollback().await {
            tracing::error!(error = %e, "rolling back a batch of ballots");
        }
        match begin_write(db).await {
            Ok(t) => {
                results = match lock_voters(&t, &batch).await {
                    Ok(()) => with_savepoints(&t, secret, &batch, now).await,
                    Err(e) => batch
                        .iter()
                        .map(|_| {
                            Err(ServiceError::Unexpected(
                                anyhow::Error::new(e.clone()).context("locking a batch's voters"),
                            ))
                        })
                        .collect(),
                };
                t
            }
            Err(e) => {
                tracing::error!(error = %e, "starting a batch of ballots again");
                fail_all(batch, "starting a batch of ballots failed");
                return;
            }
        }
    } else {
        txn
    };
    let committed = txn.commit().await;
    if let Err(e) = &committed {
        tracing::error!(error = %e, ballots = batch.len(), "committing a batch of ballots");
    }
    for (job, result) in batch.into_iter().zip(results) {
        let answer = match (&committed, result) {
            (Ok(()), r) => r,
            // Nothing of the batch was kept: refusals stand, and accepted
            // ballots were not accepted after all.
            (Err(_), Err(refusal @ ServiceError::Refused { .. })) => Err(refusal),
            (Err(_), _) => Err(ServiceError::Unexpected(anyhow::anyhow!(
                "committing a batch of ballots failed"
            ))),
        };
        let _ = job.reply.send(answer);
    }
}

/// The batch with each cast in a savepoint: a cast that fails undoes only
/// its own writes.
async fn with_savepoints(
    txn: &sea_orm::DatabaseTransaction,
    secret: &Secret,
    batch: &[Job],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<ServiceResult<Cast>> {
    let mut results = Vec::with_capacity(batch.len());
    let mut cache = BatchCache::default();
    for job in batch {
        let result = match txn.begin().await {
            Ok(savepoint) => {
                let cast = match cast_in(&savepoint, secret, &job.request, now, &mut cache).await {
                    // This cast's deferred writes go in its own savepoint.
                    Ok(outcome) => flush(&savepoint, &mut cache).await.map(|()| outcome),
                    Err(e) => Err(e),
                };
                match cast {
                    Ok(outcome) => match savepoint.commit().await {
                        Ok(()) => outcome.into_result(),
                        Err(e) => Err(ServiceError::Unexpected(
                            anyhow::Error::new(e).context("releasing a savepoint"),
                        )),
                    },
                    Err(refusal) => {
                        cache.forget_writes();
                        // Dropping the savepoint rolls it back; do it now.
                        let _ = savepoint.rollback().await;
                        Err(refusal)
                    }
                }
            }
            Err(e) => Err(ServiceError::Unexpected(
                anyhow::Error::new(e).context("opening a savepoint"),
            )),
        };
        results.push(result);
    }
    results
}

/// Locks the verification records of every voter in the batch, in one
/// statement, in the order of their ids. Two batches (of two lanes, or of
/// two instances of the API) that share voters then wait for each other
/// instead of each holding a record the other needs. Each cast locks its
/// voter's record again, which it already holds. SQLite's write
/// transaction is alone, and needs none of this.
async fn lock_voters(
    txn: &sea_orm::DatabaseTransaction,
    batch: &[Job],
) -> Result<(), sea_orm::DbErr> {
    use crate::store::verified_participants as vp;
    use sea_orm::{
        ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    };
    if txn.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Ok(());
    }
    let mut accounts = Vec::new();
    let mut records = Vec::new();
    let mut rounds = Vec::new();
    for job in batch {
        rounds.push(job.request.round_id);
        match &job.request.voter {
            Voter::Account(actor) => accounts.push(actor.account_id),
            Voter::Officer { participant_id, .. } | Voter::Participant { participant_id } => {
                records.push(*participant_id)
            }
        }
    }
    rounds.sort_unstable();
    rounds.dedup();
    let who = Condition::any()
        .add(vp::Column::AccountId.is_in(accounts))
        .add(vp::Column::Id.is_in(records));
    vp::Entity::find()
        .select_only()
        .column(vp::Column::Id)
        .filter(vp::Column::RoundId.is_in(rounds))
        .filter(who)
        .order_by_asc(vp::Column::Id)
        .lock_exclusive()
        .into_tuple::<i64>()
        .all(txn)
        .await
        .map(|_| ())
}
