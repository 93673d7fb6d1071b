//! Group commit for SQLite. SQLite has one writer, and a durable commit
//! waits for the disk (about 4 ms here, so about 250 commits a second).
//! Ballots therefore go through one task that takes every cast waiting,
//! runs each in a savepoint of one transaction (a refused or failed cast
//! undoes only its own writes), commits once, and only then answers each
//! caller. No acknowledgement leaves before its batch is on disk.
//!
//! Written by hand: the batching is a few lines around the service's own
//! transaction, and no library does group commit over sea-orm.
use super::{cast_in, BatchCache, Cast, CastRequest};
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

/// The handle every request uses to cast through the writer.
#[derive(Clone)]
pub struct BallotWriter {
    jobs: mpsc::Sender<Job>,
}

fn stopped() -> ServiceError {
    ServiceError::Unexpected(anyhow::anyhow!("the ballot writer has stopped"))
}

impl BallotWriter {
    /// Starts the writer task.
    pub fn start(db: DatabaseConnection, secret: Secret) -> BallotWriter {
        let (jobs, queue) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(db, secret, queue));
        BallotWriter { jobs }
    }

    /// Casts through the writer, and waits until the ballot's batch is
    /// committed (or refused).
    pub async fn cast(&self, request: CastRequest) -> ServiceResult<Cast> {
        let (reply, answer) = oneshot::channel();
        self.jobs
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

async fn commit_batch(db: &DatabaseConnection, secret: &Secret, batch: Vec<Job>) {
    let now = chrono::Utc::now();
    let txn = match begin_write(db).await {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "starting a batch of ballots");
            for job in batch {
                let _ = job.reply.send(Err(ServiceError::Unexpected(anyhow::anyhow!(
                    "starting a batch of ballots failed"
                ))));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(batch.len());
    let mut cache = BatchCache::default();
    for job in &batch {
        let result = match txn.begin().await {
            Ok(savepoint) => match cast_in(&savepoint, secret, &job.request, now, &mut cache).await
            {
                Ok(outcome) => match savepoint.commit().await {
                    Ok(()) => outcome.into_result(),
                    Err(e) => Err(ServiceError::Unexpected(
                        anyhow::Error::new(e).context("releasing a savepoint"),
                    )),
                },
                Err(refusal) => {
                    // Dropping the savepoint rolls it back; do it now.
                    let _ = savepoint.rollback().await;
                    Err(refusal)
                }
            },
            Err(e) => Err(ServiceError::Unexpected(
                anyhow::Error::new(e).context("opening a savepoint"),
            )),
        };
        results.push(result);
    }
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
