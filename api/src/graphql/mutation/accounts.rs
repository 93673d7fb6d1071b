use crate::graphql::types::account::{Account, CodeRequested, Language, Role, SignInPayload};
use crate::graphql::{parse_id, signed_in, state, Gql, SessionToken};
use crate::service::{accounts, auth, personal_data};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct AccountMutation;

pub const SESSION_COOKIE: &str = "fairshare_session";

#[Object]
impl AccountMutation {
    /// Emails a one-time sign-in code. The answer is the same whether or not
    /// the address has an account. The email is in the account's language;
    /// `language` (the page's) is used for an address with no account yet.
    async fn request_sign_in_code(
        &self,
        ctx: &Context<'_>,
        email: String,
        language: Option<Language>,
    ) -> async_graphql::Result<CodeRequested> {
        let client = ctx
            .data_opt::<auth::Client>()
            .cloned()
            .unwrap_or(auth::Client {
                ip: "unknown".into(),
            });
        auth::request_code(
            state(ctx),
            &crate::service::parse_email(&email).gql()?,
            &client,
            language.map(Into::into),
        )
        .await
        .gql()?;
        Ok(CodeRequested {
            sent: true,
            message: format!(
                "we have sent a code to that address: it works for {} minutes",
                auth::CODE_LIFETIME_MINUTES
            ),
        })
    }

    /// Signs in with the code from the email. Sets the session cookie. An
    /// account made by this sign-in takes `language` (the page's); an
    /// existing account keeps its own, which `account.language` gives.
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        email: String,
        code: String,
        language: Option<Language>,
    ) -> async_graphql::Result<SignInPayload> {
        let st = state(ctx);
        let session = auth::sign_in(
            st,
            &crate::service::parse_email(&email).gql()?,
            &code,
            language.map(Into::into),
        )
        .await
        .gql()?;
        let max_age = (session.expires_at - chrono::Utc::now())
            .num_seconds()
            .max(0);
        ctx.append_http_header(
            "set-cookie",
            format!(
                "{SESSION_COOKIE}={}; Path=/; Max-Age={max_age}; HttpOnly; Secure; SameSite=Strict",
                session.token
            ),
        );
        let account = accounts::get(&st.db, session.account_id).await.gql()?;
        Ok(SignInPayload {
            token: session.token,
            expires_at: session.expires_at,
            account: Account(account),
        })
    }

    /// Ends this session, on every device that holds its token.
    async fn sign_out(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        signed_in(ctx)?;
        let Some(SessionToken(token)) = ctx.data_opt::<SessionToken>() else {
            return Ok(false);
        };
        let ended = auth::sign_out(&state(ctx).db, token).await.gql()?;
        ctx.append_http_header(
            "set-cookie",
            format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"),
        );
        Ok(ended)
    }

    /// Sets the language of the emails and texts sent to the signed-in
    /// person.
    async fn set_language(
        &self,
        ctx: &Context<'_>,
        language: Language,
    ) -> async_graphql::Result<Account> {
        let actor = signed_in(ctx)?;
        Ok(Account(
            accounts::set_language(&state(ctx).db, actor, language.into())
                .await
                .gql()?,
        ))
    }

    /// Deletes the signed-in person's account and the personal data held
    /// with it: sessions, roles, group memberships, the email hash, the
    /// links from verification records and audit entries. `confirm` must be
    /// true. Refused with LAST_ADMIN for the only admin and LAST_MEMBER
    /// while the person is a group's only member. Ballots were never linked
    /// to anyone and stay in the count.
    async fn delete_my_account(
        &self,
        ctx: &Context<'_>,
        confirm: bool,
    ) -> async_graphql::Result<bool> {
        let actor = signed_in(ctx)?;
        personal_data::delete_account(&state(ctx).db, actor, confirm)
            .await
            .gql()?;
        ctx.append_http_header(
            "set-cookie",
            format!("{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict"),
        );
        Ok(true)
    }

    /// Admins only: grants a role to the person with this email address.
    async fn grant_role(
        &self,
        ctx: &Context<'_>,
        email: String,
        role: Role,
    ) -> async_graphql::Result<Account> {
        let actor = signed_in(ctx)?;
        let st = state(ctx);
        Ok(Account(
            accounts::grant_role(
                &st.db,
                &st.secret,
                Some(actor),
                &crate::service::parse_email(&email).gql()?,
                role.into(),
            )
            .await
            .gql()?,
        ))
    }

    /// Admins only: takes a role away.
    async fn revoke_role(
        &self,
        ctx: &Context<'_>,
        account_id: ID,
        role: Role,
    ) -> async_graphql::Result<Account> {
        let actor = signed_in(ctx)?;
        let id = parse_id(&account_id, "account")?;
        Ok(Account(
            accounts::revoke_role(&state(ctx).db, actor, id, role.into())
                .await
                .gql()?,
        ))
    }

    /// Sets the name the other members of your groups, and the council's
    /// staff, see (at most 60 characters); an empty name clears it.
    async fn set_display_name(
        &self,
        ctx: &Context<'_>,
        name: String,
    ) -> async_graphql::Result<Account> {
        let actor = signed_in(ctx)?;
        Ok(Account(
            accounts::set_display_name(&state(ctx).db, actor, &name)
                .await
                .gql()?,
        ))
    }
}
