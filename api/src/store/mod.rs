//! sea-orm entities: the storage layer. Services convert these to and from
//! domain types; the GraphQL layer never sees them.
pub mod account_roles;
pub mod accounts;
pub mod area_coverage;
pub mod areas;
pub mod audit_events;
pub mod ballot_duplicates;
pub mod ballot_links;
pub mod ballots;
pub mod bid_reviews;
pub mod bids;
pub mod cast_requests;
pub mod group_invitations;
pub mod group_members;
pub mod groups;
pub mod identity_keys;
pub mod one_time_codes;
pub mod participation;
pub mod rate_events;
pub mod register_entries;
pub mod register_imports;
pub mod round_pots;
pub mod rounds;
pub mod sessions;
pub mod verification_conflicts;
pub mod verified_participants;
