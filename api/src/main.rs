//! The Fairshare server.
//!
//! ```text
//! fairshare                    serve the API
//! fairshare demo               seed a demo council (once) and serve
//! fairshare create-admin EMAIL make (or promote) the first admin
//! fairshare migrate            bring the database schema up to date
//! fairshare print-schema       print the GraphQL schema
//! ```
use api::{config::Settings, domain::Role, service::accounts, startup::Application, telemetry};

const USAGE: &str = "usage: fairshare [serve | demo | create-admin EMAIL | migrate | print-schema]";

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
            let state = api::startup::build_state(settings).await?;
            accounts::grant_role(&state.db, &state.secret, None, email, Role::Admin)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{email} is an admin: sign in with a code sent to that address");
            Ok(())
        }
        ["migrate"] => {
            api::db::connect(&settings.database_url).await?;
            println!("the database schema is up to date");
            Ok(())
        }
        _ => anyhow::bail!("{USAGE}"),
    }
}
