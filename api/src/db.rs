//! Connecting to the database, and the one way services open a write
//! transaction.
use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::{path::Path, time::Duration};

/// The advisory lock instances take while migrating ("fairmigr").
const MIGRATION_LOCK: i64 = 0x6661_6972_6d69_6772;

/// The longest one SQL statement may run on PostgreSQL, in milliseconds.
pub const STATEMENT_TIMEOUT_MS: u64 = 5_000;

/// Connects to `url` and brings the schema up to date.
///
/// SQLite: the file (and its folder) is created if missing; every connection
/// uses WAL with `synchronous=FULL` (a commit is on disk before it returns:
/// an acknowledged ballot survives a crash or a power cut), enforces foreign
/// keys, waits up to five seconds for a lock, and overwrites deleted
/// content with zeros (`secure_delete`), so that what the close of voting
/// deletes is gone from the file and not only from the table.
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(10));
    if let Some(path) = sqlite_path(url) {
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the folder {}", dir.display()))?;
        }
        options.map_sqlx_sqlite_opts(|o| {
            o.create_if_missing(true)
                .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .pragma("secure_delete", "on")
        });
    } else {
        options.max_connections(32);
        // No statement may run away with the database: a request has a
        // time budget of its own (`http::REQUEST_TIME_BUDGET`), and this
        // bounds each statement beneath it.
        // Every commit is durable before it returns, whatever the server's
        // default: an acknowledged ballot survives a crash.
        options.map_sqlx_postgres_opts(|o| {
            o.options([
                ("statement_timeout", STATEMENT_TIMEOUT_MS.to_string()),
                ("synchronous_commit", "on".to_string()),
            ])
        });
    }
    let db = Database::connect(options)
        .await
        .context("connecting to the database")?;
    if db.get_database_backend() == DbBackend::Postgres {
        // Instances starting together take turns: one migrates, the others
        // wait on a session lock and then find nothing to do.
        use sea_orm::sqlx;
        let mut conn = db
            .get_postgres_connection_pool()
            .acquire()
            .await
            .context("connecting to the database")?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await
            .context("waiting for other instances' migrations")?;
        let migrated = Migrator::up(&db, None).await;
        sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *conn)
            .await
            .context("releasing the migration lock")?;
        migrated.context("running database migrations")?;
    } else {
        Migrator::up(&db, None)
            .await
            .context("running database migrations")?;
    }
    Ok(db)
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    Some(rest.split('?').next().unwrap_or(rest))
}

/// Begins a transaction that will write. On SQLite it starts `IMMEDIATE`, so
/// it takes the write lock at once and waits for it under the busy timeout,
/// instead of failing when a read later turns into a write.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let sqlite = db.get_database_backend() == DbBackend::Sqlite;
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: sqlite.then_some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// Serialises, until the transaction ends, every write transaction that
/// takes the same `key`: a check-then-write on something that has no row
/// of its own to lock (a rate-limit bucket, the codes sent to an address)
/// holds on both databases. PostgreSQL takes a transaction-scoped advisory
/// lock; on SQLite a write transaction (`begin_write`) already holds the
/// database's only write lock, so nothing more is needed.
pub async fn lock_key(txn: &DatabaseTransaction, key: &str) -> Result<(), DbErr> {
    advisory(txn, key, "SELECT pg_advisory_xact_lock($1)").await
}

/// The shared form of `lock_key`: any number of transactions hold it
/// together, and `lock_key` on the same key waits for all of them.
pub async fn lock_key_shared(txn: &DatabaseTransaction, key: &str) -> Result<(), DbErr> {
    advisory(txn, key, "SELECT pg_advisory_xact_lock_shared($1)").await
}

async fn advisory(txn: &DatabaseTransaction, key: &str, sql: &str) -> Result<(), DbErr> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    let id = i64::from_be_bytes(first);
    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        [id.into()],
    ))
    .await?;
    Ok(())
}

/// After the transaction that closed a round's voting: leaves nothing of
/// what it deleted where a copy of the database files would find it.
///
/// SQLite (with `secure_delete`, so deleted cells and freed pages are
/// zeroed): copies the WAL into the database and truncates it to nothing
/// (`wal_checkpoint(TRUNCATE)`), so the WAL's earlier copies of those pages
/// go. A reader holding an old snapshot makes the checkpoint wait: it is
/// tried again for up to ten seconds. PostgreSQL: `VACUUM` of the tables
/// the close emptied, which removes their dead row versions from the heap
/// (what they held was sealed under a round key that is gone).
pub async fn scrub_after_close(db: &DatabaseConnection) -> Result<(), DbErr> {
    scrub(
        db,
        "sealed_ballots, cast_answers, round_keys, phone_calls, phone_messages, voting_codes, ballots",
    )
    .await
}

/// After the purge of rounds' verification data: the same as after a
/// close, for the tables the purge emptied (people's verification records,
/// the register's hashes, and the addresses and numbers kept for
/// reminders and observers).
pub async fn scrub_after_purge(db: &DatabaseConnection) -> Result<(), DbErr> {
    scrub(
        db,
        "verified_participants, identity_keys, register_entries, reminder_subscriptions, reminder_messages, round_observers, closed_codes",
    )
    .await
}

async fn scrub(db: &DatabaseConnection, postgres_tables: &str) -> Result<(), DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            for _ in 0..100 {
                let row = db
                    .query_one_raw(sea_orm::Statement::from_string(
                        DbBackend::Sqlite,
                        "PRAGMA wal_checkpoint(TRUNCATE)",
                    ))
                    .await?;
                // (busy, pages in the WAL, pages copied): busy = 0 when done.
                let busy: i64 = row.map(|r| r.try_get_by_index(0)).transpose()?.unwrap_or(0);
                if busy == 0 {
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(DbErr::Custom(
                "the WAL could not be checkpointed: a reader held it for ten seconds".into(),
            ))
        }
        DbBackend::Postgres => {
            db.execute_unprepared(&format!("VACUUM {postgres_tables}"))
                .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Whether the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

/// A database of its own for one test or benchmark run: a SQLite file in
/// `dir`, or, when `FAIRSHARE_TEST_DATABASE_URL` names a PostgreSQL server,
/// a new database on it named `{prefix}_{random}`. Returns its URL, and the
/// (server, name) to hand to `drop_scratch` on PostgreSQL.
pub async fn scratch(
    dir: &std::path::Path,
    prefix: &str,
) -> anyhow::Result<(String, Option<(String, String)>)> {
    let Some(server) = std::env::var("FAIRSHARE_TEST_DATABASE_URL")
        .ok()
        .filter(|v| !v.is_empty())
    else {
        return Ok((format!("sqlite://{}/fairshare.db", dir.display()), None));
    };
    let server = server.trim_end_matches('/').to_owned();
    let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await.ok();
    Ok((format!("{server}/{name}"), Some((server, name))))
}

/// Drops a database `scratch` made on PostgreSQL, whoever is still
/// connected to it.
pub async fn drop_scratch(server: &str, name: &str) -> anyhow::Result<()> {
    let admin = sea_orm::Database::connect(format!("{server}/postgres")).await?;
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await?;
    admin.close().await.ok();
    Ok(())
}
