//! Who may take part in a round: the residency relations that count, a
//! minimum age, and the ways a resident may prove it.
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How a person is connected to an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Live,
    Work,
    Study,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Live => "live",
            Relation::Work => "work",
            Relation::Study => "study",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "live" => Some(Relation::Live),
            "work" => Some(Relation::Work),
            "study" => Some(Relation::Study),
            _ => None,
        }
    }
}

/// A way of proving eligibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// The resident's own statement of their postcode (self-declared).
    Postcode,
    /// A one-time code sent by text message to a UK mobile number.
    Sms,
    /// A one-time code sent by email.
    Email,
    /// A match against the register the council imported.
    Register,
    /// An officer checked the person at an event, a library or by phone.
    InPerson,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Postcode,
        Method::Sms,
        Method::Email,
        Method::Register,
        Method::InPerson,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Postcode => "postcode",
            Method::Sms => "sms",
            Method::Email => "email",
            Method::Register => "register",
            Method::InPerson => "in_person",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Method::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// How much a proof by this method tells us that the person is who
    /// and where they say. A self-declared postcode and an email code are
    /// low: anyone can type a postcode, and one mailbox gives any number
    /// of addresses. A text to a UK mobile (one SIM, registered to a
    /// person), the register and an officer's check are higher.
    pub fn assurance(self) -> Assurance {
        match self {
            Method::Postcode | Method::Email => Assurance::Low,
            Method::Sms | Method::Register | Method::InPerson => Assurance::Higher,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Method::Postcode => "a self-declared postcode",
            Method::Sms => "a text-message code",
            Method::Email => "an email code",
            Method::Register => "the council's register",
            Method::InPerson => "a check in person",
        }
    }
}

/// How strongly a verification ties a person to an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Assurance {
    Low,
    Higher,
}

impl Assurance {
    pub fn as_str(self) -> &'static str {
        match self {
            Assurance::Low => "low",
            Assurance::Higher => "higher",
        }
    }

    /// The assurance of a set of proofs: that of the strongest.
    pub fn of(methods: &BTreeSet<Method>) -> Assurance {
        methods
            .iter()
            .map(|m| m.assurance())
            .max()
            .unwrap_or(Assurance::Low)
    }
}

/// What an officer checked when verifying someone in person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Evidence {
    /// A passport, driving licence or other photo identity document.
    PhotoId,
    /// A recent bill, bank statement or council letter to the address.
    ProofOfAddress,
    /// The council's own records (council tax, housing, library card).
    CouncilRecord,
    /// Security questions answered on a call to the contact centre.
    PhoneCallChecks,
    /// A community worker or officer who knows the person vouches for them.
    KnownToOfficer,
}

impl Evidence {
    pub const ALL: [Evidence; 5] = [
        Evidence::PhotoId,
        Evidence::ProofOfAddress,
        Evidence::CouncilRecord,
        Evidence::PhoneCallChecks,
        Evidence::KnownToOfficer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Evidence::PhotoId => "photo_id",
            Evidence::ProofOfAddress => "proof_of_address",
            Evidence::CouncilRecord => "council_record",
            Evidence::PhoneCallChecks => "phone_call_checks",
            Evidence::KnownToOfficer => "known_to_officer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Evidence::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

/// A round's eligibility rules. Frozen, with the ballot settings, once
/// voting opens.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Which connections to an area count (always at least one).
    pub relations: BTreeSet<Relation>,
    /// The youngest age at which a person may take part, if any.
    pub min_age: Option<u32>,
    /// Which proofs the round accepts.
    pub methods: BTreeSet<Method>,
    /// Whether a self-declared postcode is enough by itself.
    pub postcode_alone_enough: bool,
    /// Whether low-assurance proofs alone (a self-declared postcode, an
    /// email code) verify a person. Off by default: at least one higher
    /// proof is needed. A round that turns it on says so publicly, and its
    /// turnout is reported by assurance.
    #[serde(default)]
    pub accept_low_assurance: bool,
}

impl Default for Eligibility {
    /// Residents of the round's areas, any age, any method; at least one
    /// higher-assurance proof needed.
    fn default() -> Self {
        Eligibility {
            relations: BTreeSet::from([Relation::Live]),
            min_age: None,
            methods: Method::ALL.into_iter().collect(),
            postcode_alone_enough: false,
            accept_low_assurance: false,
        }
    }
}

impl Eligibility {
    /// Checks that the rules can be met and make sense together.
    pub fn parse(self) -> Result<Self, String> {
        if self.relations.is_empty() {
            return Err("say who counts: people who live, work or study in the area".into());
        }
        if self.methods.is_empty() {
            return Err("accept at least one way of proving eligibility".into());
        }
        if let Some(age) = self.min_age {
            if age > 120 {
                return Err("the minimum age must be 120 or less".into());
            }
        }
        let has = |m| self.methods.contains(&m);
        if self.postcode_alone_enough && !has(Method::Postcode) {
            return Err(
                "a postcode can only be enough by itself if self-declared postcodes are accepted"
                    .into(),
            );
        }
        if (has(Method::Sms) || has(Method::Email)) && !has(Method::Postcode) {
            return Err(
                "text-message and email codes prove a contact, not an address: accept self-declared postcodes too, or use the register or checks in person"
                    .into(),
            );
        }
        if has(Method::Postcode)
            && !self.postcode_alone_enough
            && !self.methods.iter().any(|m| *m != Method::Postcode)
        {
            return Err(
                "with self-declared postcodes alone not enough, accept another way of proving eligibility"
                    .into(),
            );
        }
        if self.postcode_alone_enough && !self.accept_low_assurance {
            return Err(
                "a self-declared postcode is low assurance: to let it verify people by itself, accept low-assurance verification too"
                    .into(),
            );
        }
        if !self.accept_low_assurance
            && !self
                .methods
                .iter()
                .any(|m| m.assurance() == Assurance::Higher)
        {
            return Err(
                "accept at least one higher-assurance way of proving eligibility (a text-message code, the register or a check in person), or accept low-assurance verification"
                    .into(),
            );
        }
        if has(Method::Register) && !self.relations.contains(&Relation::Live) {
            return Err("the register only proves where people live: count residents too".into());
        }
        Ok(self)
    }

    pub fn accepts(&self, method: Method) -> bool {
        self.methods.contains(&method)
    }

    /// Whether a resident may state their details online (the first step of
    /// every method but a check in person).
    pub fn allows_declaration(&self) -> bool {
        self.accepts(Method::Postcode) || self.accepts(Method::Register)
    }

    /// Whether the proofs a person has given make them eligible (the area and
    /// age having been checked when they were given).
    pub fn satisfied_by(&self, proven: &BTreeSet<Method>) -> bool {
        proven.iter().any(|m| {
            self.accepts(*m)
                && (self.accept_low_assurance || m.assurance() == Assurance::Higher)
                && match m {
                    Method::Postcode => self.postcode_alone_enough,
                    // An email code proves a mailbox, not an address: it
                    // counts with a declared postcode.
                    Method::Email => proven.contains(&Method::Postcode),
                    _ => true,
                }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(methods: &[Method], alone: bool) -> Eligibility {
        Eligibility {
            methods: methods.iter().copied().collect(),
            postcode_alone_enough: alone,
            accept_low_assurance: alone,
            ..Eligibility::default()
        }
    }

    #[test]
    fn rules_must_be_coherent() {
        assert!(Eligibility::default().parse().is_ok());
        assert!(rules(&[Method::Postcode], true).parse().is_ok());
        assert!(rules(&[Method::Postcode], false).parse().is_err());
        assert!(rules(&[Method::Sms], false).parse().is_err());
        assert!(rules(&[Method::Register], true).parse().is_err());
        assert!(rules(&[Method::Register, Method::InPerson], false)
            .parse()
            .is_ok());
        assert!(rules(&[], false).parse().is_err());
        let work_only = Eligibility {
            relations: BTreeSet::from([Relation::Work]),
            ..rules(&[Method::Register], false)
        };
        assert!(work_only.parse().is_err());
    }

    #[test]
    fn a_postcode_counts_only_when_enough_alone() {
        let postcode = BTreeSet::from([Method::Postcode]);
        assert!(!Eligibility::default().satisfied_by(&postcode));
        assert!(rules(&[Method::Postcode], true).satisfied_by(&postcode));
        let sms = BTreeSet::from([Method::Postcode, Method::Sms]);
        assert!(Eligibility::default().satisfied_by(&sms));
        assert!(!rules(&[Method::Postcode, Method::Register], false).satisfied_by(&sms));
    }

    #[test]
    fn low_assurance_proofs_need_the_round_to_accept_them() {
        let email = BTreeSet::from([Method::Postcode, Method::Email]);
        assert!(!Eligibility::default().satisfied_by(&email));
        let low = Eligibility {
            accept_low_assurance: true,
            ..Eligibility::default()
        };
        assert!(low.satisfied_by(&email));
        assert_eq!(Assurance::of(&email), Assurance::Low);
        assert_eq!(
            Assurance::of(&BTreeSet::from([Method::Postcode, Method::Sms])),
            Assurance::Higher
        );
        assert!(Eligibility {
            postcode_alone_enough: true,
            ..Eligibility::default()
        }
        .parse()
        .is_err());
        assert!(rules(&[Method::Postcode, Method::Email], false)
            .parse()
            .is_err());
    }
}
