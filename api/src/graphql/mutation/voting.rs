use crate::graphql::types::voting::{
    choices, CastAssistedBallotInput, CastBallotInput, CastBallotPayload, IssueVotingCodesInput,
    VotingCodeLetters,
};
use crate::graphql::{parse_id, signed_in, state, Gql};
use crate::service::phone::codes::{self, Recipient};
use crate::service::voting::{self, CastRequest, Voter};
use async_graphql::{Context, Object};

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
    /// stop working when voting closes. Only keyed hashes are kept, so the
    /// letters are made once. Audited by officer.
    async fn issue_voting_codes(
        &self,
        ctx: &Context<'_>,
        input: IssueVotingCodesInput,
    ) -> async_graphql::Result<VotingCodeLetters> {
        use base64::Engine;
        let actor = signed_in(ctx)?;
        let round_id = parse_id(&input.round_id, "round")?;
        let recipients = match input.recipients {
            None => None,
            Some(list) => Some(
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
        let issued = codes::issue(state(ctx), actor, round_id, recipients)
            .await
            .gql()?;
        Ok(VotingCodeLetters {
            issued: issued.issued,
            remaining: issued.remaining,
            pdf_base64: base64::engine::general_purpose::STANDARD.encode(&issued.pdf),
            csv: issued.csv,
        })
    }
}
