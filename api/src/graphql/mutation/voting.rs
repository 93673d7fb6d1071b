use crate::graphql::types::voting::{
    choices, CastAssistedBallotInput, CastBallotInput, CastBallotPayload, IssueVotingCodesInput,
    VotingCodeBatch, VotingCodeLetters,
};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::phone::codes::{self, Recipient};
use crate::service::voting::{self, CastRequest, Voter};
use async_graphql::{Context, Object, ID};

#[derive(Default)]
pub struct VotingMutation;

#[Object]
impl VotingMutation {
    /// Verified residents: casts (or replaces) your ballot for the pot of
    /// your area, while voting is open. Refused with a code that says why:
    /// TOO_MANY_CHOICES, TOO_FEW_CHOICES, OVER_BUDGET, DUPLICATE_RANK,
    /// SCORE_OUT_OF_RANGE, POINTS_EXCEED_LIMIT, BID_NOT_IN_POT,
    /// VOTING_CLOSED, NOT_ELIGIBLE or NOT_VERIFIED. A ballot is stored whole
    /// or not at all.
    async fn cast_ballot(
        &self,
        ctx: &Context<'_>,
        input: CastBallotInput,
    ) -> async_graphql::Result<CastBallotPayload> {
        let actor = signed_in(ctx)?;
        let request = CastRequest {
            round_id: parse_id(&input.round_id, "round")?,
            voter: Voter::Account(actor.clone()),
            channel: crate::domain::vote::Channel::Web,
            choices: choices(input.choices)?,
            idempotency_key: input.idempotency_key,
        };
        Ok(voting::cast(state(ctx), request).await.gql()?.into())
    }

    /// Officers: enters a ballot for a verified participant, from a paper
    /// form or on their behalf (on the phone, at an event). The officer is
    /// recorded for audit; the ballot is never shown back. Where the person
    /// also voted themselves, the round's duplicate policy decides
    /// (ALREADY_VOTED when it keeps the other ballot).
    async fn cast_assisted_ballot(
        &self,
        ctx: &Context<'_>,
        input: CastAssistedBallotInput,
    ) -> async_graphql::Result<CastBallotPayload> {
        let actor = signed_in(ctx)?;
        let request = CastRequest {
            round_id: parse_id(&input.round_id, "round")?,
            voter: Voter::Officer {
                officer: actor.clone(),
                participant_id: parse_id(&input.verification_id, "verified participant")?,
            },
            channel: input.channel.into(),
            choices: choices(input.choices)?,
            idempotency_key: input.idempotency_key,
        };
        Ok(voting::cast(state(ctx), request).await.gql()?.into())
    }

    /// Officers: issues voting codes for a round and prints the letters
    /// (PDF and CSV) that carry them, for people with no email or
    /// smartphone to vote by text message or telephone keypad. Each code is
    /// for one person in one round; a new code voids the old one; codes
    /// stop working when voting closes. Only keyed hashes of the codes are
    /// kept; the batch's letters are kept sealed, to be made again, until
    /// you collect them, for a day, or until voting closes. Refused with
    /// LETTERS_NOT_PRINTED (naming the batch) if the codes were issued but
    /// printing failed. Audited by officer.
    async fn issue_voting_codes(
        &self,
        ctx: &Context<'_>,
        input: IssueVotingCodesInput,
    ) -> async_graphql::Result<VotingCodeLetters> {
        let actor = signed_in(ctx)?;
        let round_id = parse_id(&input.round_id, "round")?;
        let recipients = match (input.recipients, input.addresses) {
            (Some(_), Some(_)) => {
                return Err(crate::graphql::to_gql(crate::error::ServiceError::invalid(
                    "addresses",
                    "give the people either as a list or as a names and addresses file, not both",
                )))
            }
            (None, Some(text)) => Some(codes::recipients_from_csv(&text).gql()?),
            (None, None) => None,
            (Some(list), None) => Some(
                list.into_iter()
                    .map(|r| {
                        Ok(Recipient {
                            participant_id: parse_id(&r.verification_id, "verified participant")?,
                            name: r
                                .name
                                .map(|n| n.trim().to_owned())
                                .filter(|n| !n.is_empty()),
                            address: r
                                .address
                                .into_iter()
                                .map(|l| l.trim().to_owned())
                                .filter(|l| !l.is_empty())
                                .collect(),
                        })
                    })
                    .collect::<async_graphql::Result<Vec<_>>>()?,
            ),
        };
        Ok(codes::issue(state(ctx), actor, round_id, recipients)
            .await
            .gql()?
            .into())
    }

    /// Officers: makes a batch's letters again (the files were lost, or
    /// printing failed), while they are kept. Letters whose code was
    /// replaced since are left out. NOT_FOUND once the letters were
    /// collected or their time is over. Audited by officer.
    async fn reprint_voting_code_letters(
        &self,
        ctx: &Context<'_>,
        batch_id: ID,
    ) -> async_graphql::Result<VotingCodeLetters> {
        let actor = signed_in(ctx)?;
        Ok(codes::reprint(state(ctx), actor, &batch_id)
            .await
            .gql()?
            .into())
    }

    /// Officers: posts a batch's letters through GOV.UK Notify (each a
    /// precompiled letter with the address in Notify's address block),
    /// then forgets them as collectVotingCodeLetters does. Every letter
    /// needs a name and address. Interrupted half way, it goes on from
    /// where it stopped when asked again (LETTERS_NOT_PRINTED says how
    /// many went); INVALID_INPUT where the council does not post letters.
    /// Audited by officer.
    async fn post_voting_code_letters(
        &self,
        ctx: &Context<'_>,
        batch_id: ID,
    ) -> async_graphql::Result<crate::graphql::types::voting::PostedVotingCodeLetters> {
        let actor = signed_in(ctx)?;
        Ok(codes::post(state(ctx), actor, &batch_id)
            .await
            .gql()?
            .into())
    }

    /// Officers: says a batch's letters are safe (printed or with the
    /// print supplier): the server forgets them, so that the codes are
    /// again readable only on the letters. Audited by officer.
    async fn collect_voting_code_letters(
        &self,
        ctx: &Context<'_>,
        batch_id: ID,
    ) -> async_graphql::Result<VotingCodeBatch> {
        let actor = signed_in(ctx)?;
        Ok(codes::collect(state(ctx), actor, &batch_id)
            .await
            .gql()?
            .into())
    }
}
