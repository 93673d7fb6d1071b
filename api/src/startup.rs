//! Building and running the application.
use crate::channels::{email::Mailer, letters::LetterSender, sms::SmsSender};
use crate::config::Settings;
use crate::graphql::build_schemas;
use crate::service::voting::writer::BallotWriter;
use crate::service::{codes, lifecycle, limits, phone};
use crate::state::AppState;
use anyhow::Context;
use secrecy::ExposeSecret;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Connects to the database (running migrations), sets up email and
    /// binds the listening socket.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let state = build_state(settings).await?;
        let listener = TcpListener::bind(state.settings.addr)
            .await
            .with_context(|| format!("listening on {}", state.settings.addr))?;
        Ok(Self { listener, state })
    }

    pub fn local_addr(&self) -> anyhow::Result<SocketAddr> {
        Ok(self.listener.local_addr()?)
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves requests, and applies scheduled phase changes on a timer,
    /// until the process is told to stop.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let schemas = build_schemas(self.state.clone());
        let router = crate::http::router(self.state.clone(), schemas);
        tokio::spawn(scheduler(self.state.clone()));
        tracing::info!(addr = %self.listener.local_addr()?, "Fairshare is listening");
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving HTTP")
    }
}

pub async fn build_state(settings: Settings) -> anyhow::Result<AppState> {
    let db = crate::db::connect(settings.database_url.expose_secret()).await?;
    crate::service::results::backfill(&db)
        .await
        .map_err(|e| anyhow::anyhow!("filling in stored results: {e}"))?;
    let mailer = Mailer::from_settings(&settings.email)?;
    let sms = SmsSender::from_settings(&settings.sms)?;
    let letters = LetterSender::from_settings(&settings.letters)?;
    let lanes = match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => 1,
        _ => settings.ballot_writers,
    };
    let ballot_writer = BallotWriter::start(db.clone(), settings.secret.clone(), lanes);
    Ok(AppState {
        db,
        secret: settings.secret.clone(),
        mailer,
        sms,
        letters,
        settings,
        ballot_writer,
        receipt_trees: Default::default(),
    })
}

/// Every instance runs this; the changes are idempotent, so instances agree.
async fn scheduler(state: AppState) {
    let mut tick = tokio::time::interval(state.settings.schedule_interval);
    loop {
        tick.tick().await;
        if let Err(e) = lifecycle::apply_due(&state, None, chrono::Utc::now()).await {
            tracing::error!(error = %e, "applying scheduled phase changes");
        }
        if let Err(e) = limits::prune(&state.db).await {
            tracing::error!(error = %e, "pruning rate-limit events");
        }
        if let Err(e) = codes::prune(&state.db).await {
            tracing::error!(error = %e, "pruning one-time codes");
        }
        if let Err(e) = phone::prune(&state.db).await {
            tracing::error!(error = %e, "pruning calls and text-message replies");
        }
        if let Err(e) = crate::service::groups::prune(&state.db).await {
            tracing::error!(error = %e, "clearing expired invitations' address hints");
        }
        if let Err(e) = crate::service::reminders::tick(
            &state,
            chrono::Utc::now(),
            state.settings.reminders_per_tick,
        )
        .await
        {
            tracing::error!(error = %e, "sending reminders");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
