//! Typed identifiers. Every row the services speak about has its own id type,
//! so a round's id cannot be passed where a pot's is expected: a swapped
//! argument does not compile. The API shows ids as opaque strings; GraphQL,
//! the webhooks and the demo parse them at their edge (`FromStr`), and the
//! storage layer reads and writes the integer inside (`get`, `From<i64>`).
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What every id type can do, for code that is generic over them (parsing
/// at the edge, naming what was not found).
pub trait Id: Copy + FromStr + fmt::Display + From<i64> {
    /// What the id names, as a not-found error says it: "round", "bid".
    const WHAT: &'static str;
    fn get(self) -> i64;
}

/// An id that did not parse: it names no row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadId;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident => $what:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub const fn new(raw: i64) -> Self {
                Self(raw)
            }
            /// The integer the database stores.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl Id for $name {
            const WHAT: &'static str = $what;
            fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(raw: i64) -> Self {
                Self(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = BadId;
            fn from_str(s: &str) -> Result<Self, BadId> {
                s.trim().parse::<i64>().map(Self).map_err(|_| BadId)
            }
        }

        // Lets a typed id stand in a query filter: `Column::RoundId.eq(round)`.
        impl From<$name> for sea_orm::Value {
            fn from(id: $name) -> Self {
                sea_orm::Value::BigInt(Some(id.0))
            }
        }
    )*};
}

ids! {
    /// A neighbourhood funding round.
    RoundId => "round";
    /// One pot of a round: the money for one area.
    PotId => "pot";
    /// A neighbourhood (area) with its postcode coverage.
    AreaId => "area";
    /// A community group's bid, draft or submitted.
    BidId => "bid";
    /// A community group.
    GroupId => "group";
    /// An invitation to join a group.
    InvitationId => "invitation";
    /// A signed-in person's account (resident, group member, officer, councillor).
    AccountId => "account";
    /// A person verified for a round (`verified_participants`).
    ParticipantId => "participant";
    /// A register import.
    ImportId => "import";
    /// A verification conflict an officer resolves.
    ConflictId => "conflict";
    /// A funded bid's delivery record.
    DeliveryId => "delivery";
    /// A group's update on a delivery.
    UpdateId => "update";
    /// A photo of a delivery update.
    PhotoId => "photo";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_parse_from_the_api_text_and_show_the_same() {
        let r: RoundId = "42".parse().unwrap();
        assert_eq!(r.get(), 42);
        assert_eq!(r.to_string(), "42");
        assert_eq!(" 7 ".parse::<BidId>(), Ok(BidId::new(7)));
        assert_eq!("seven".parse::<BidId>(), Err(BadId));
        assert_eq!("".parse::<PotId>(), Err(BadId));
        assert_eq!(<AreaId as Id>::WHAT, "area");
        assert_eq!(serde_json::to_string(&GroupId::new(3)).unwrap(), "3");
    }
}
