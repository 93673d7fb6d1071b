//! The Fairshare server.
//!
//! ```text
//! fairshare                    serve the API
//! fairshare demo               seed a demo council (once) and serve
//! fairshare create-admin EMAIL make (or promote) the first admin
//! fairshare migrate            bring the database schema up to date
//! fairshare purge-verification [--round ID]
//!                              delete the verification data of rounds
//!                              published or cancelled longer ago than
//!                              FAIRSHARE_VERIFICATION_RETENTION_DAYS
//! fairshare print-schema       print the GraphQL schema
//! ```
use api::{
    config::Settings,
    domain::Role,
    service::{accounts, verification},
    startup::Application,
    telemetry,
};
use secrecy::ExposeSecret;

const USAGE: &str = "usage: fairshare [serve | demo | create-admin EMAIL | migrate | purge-verification [--round ID] | print-schema]";

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fairshare: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Vec<String>) -> anyhow::Result<()> {
    let command: Vec<&str> = args.iter().map(String::as_str).collect();
    if command == ["print-schema"] {
        print!("{}", api::graphql::schema::sdl());
        return Ok(());
    }
    let settings = Settings::from_env()?;
    telemetry::init(settings.environment);
    for warning in &settings.warnings {
        tracing::warn!("{warning}");
    }
    match command.as_slice() {
        [] | ["serve"] => {
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        ["demo"] => {
            let app = Application::build(settings).await?;
            api::demo::seed(app.state()).await?;
            app.run_until_stopped().await
        }
        ["create-admin", email] => {
            let address = api::service::parse_email(email).map_err(|e| anyhow::anyhow!("{e}"))?;
            let state = api::startup::build_state(settings).await?;
            accounts::grant_role(&state.db, &state.secret, None, &address, Role::Admin)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{email} is an admin: sign in with a code sent to that address");
            Ok(())
        }
        ["migrate"] => {
            api::db::connect(settings.database_url.expose_secret()).await?;
            println!("the database schema is up to date");
            Ok(())
        }
        ["purge-verification", rest @ ..] => {
            let only = match rest {
                [] => None,
                ["--round", id] => Some(
                    id.parse::<i64>()
                        .map_err(|_| anyhow::anyhow!("--round takes a round number"))?,
                ),
                _ => anyhow::bail!("{USAGE}"),
            };
            let retention = settings.verification_retention;
            let db = api::db::connect(settings.database_url.expose_secret()).await?;
            let purged = verification::purge(&db, only, retention, chrono::Utc::now())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if purged.is_empty() {
                println!(
                    "no round is due: verification data is kept for {} days after a round is published or cancelled",
                    retention.num_days()
                );
            }
            for p in purged {
                println!(
                    "round {}: deleted {} verification records and {} register entries",
                    p.round_id, p.participants, p.register_entries
                );
            }
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}
