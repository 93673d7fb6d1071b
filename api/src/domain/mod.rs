//! Domain types: values that parse at the edge and are valid once they exist.
//! Nothing here does IO.
pub mod address;
pub mod ballot;
pub mod category;
pub mod constraints;
pub mod eligibility;
pub mod email;
pub mod id;
pub mod language;
pub mod money;
pub mod person;
pub mod phase;
pub mod population;
pub mod postcode;
pub mod role;
pub mod text;
pub mod vote;

pub use address::PostalAddress;
pub use ballot::{BallotKind, BallotSettings, CountingRule};
pub use eligibility::{Assurance, Eligibility, Evidence, Method, Relation};
pub use email::EmailAddress;
pub use id::{
    AccountId, AreaId, BadId, BidId, ConflictId, GroupId, Id, ImportId, InvitationId,
    ParticipantId, PotId, RoundId,
};
pub use language::Language;
pub use money::Pence;
pub use person::{DateOfBirth, PersonName, PhoneNumber};
pub use phase::{Phase, Schedule, ScheduleError};
pub use population::{AgeBand, Decile};
pub use postcode::{CoveragePrefix, Postcode};
pub use role::Role;
