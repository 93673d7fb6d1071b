//! `public_revision`: one number that every change to what anyone may read
//! without signing in moves on, kept by the database itself.
//!
//! Triggers on the tables public reads are made of (rounds and their pots,
//! areas, groups, bids, result versions and pot results) add one to it
//! whenever a row is inserted, changed or deleted, in the same transaction
//! as the change, whichever instance or tool made it. A server may then keep
//! a public answer for as long as the number it read before working the
//! answer out is still the number in the database: one read of one row
//! tells it, on every instance, that nothing the answer came from changed.
//!
//! On PostgreSQL the triggers are deferred to the commit, so that the row
//! is locked last and only for the moment of committing: two transactions
//! that change these tables in different orders never wait on each other
//! through it.
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables a public read is made of.
pub const PUBLIC_TABLES: [&str; 7] = [
    "rounds",
    "round_pots",
    "areas",
    "groups",
    "bids",
    "result_versions",
    "pot_results",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE TABLE public_revision (id INTEGER NOT NULL PRIMARY KEY, n BIGINT NOT NULL)",
        )
        .await?;
        db.execute_unprepared("INSERT INTO public_revision (id, n) VALUES (1, 0)")
            .await?;
        match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE FUNCTION public_revision_next() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN UPDATE public_revision SET n = n + 1 WHERE id = 1; RETURN NULL; END $$",
                )
                .await?;
                for table in PUBLIC_TABLES {
                    db.execute_unprepared(&format!(
                        "CREATE CONSTRAINT TRIGGER public_revision_{table} \
                         AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW \
                         EXECUTE FUNCTION public_revision_next()"
                    ))
                    .await?;
                }
            }
            _ => {
                for table in PUBLIC_TABLES {
                    for event in ["INSERT", "UPDATE", "DELETE"] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER public_revision_{table}_{e} AFTER {event} ON {table} \
                             BEGIN UPDATE public_revision SET n = n + 1 WHERE id = 1; END",
                            e = event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }
}
