//! The categories a bid may have: one list, for bids and for the council
//! rules that limit the money a category receives.

/// Every bid category, as stored and as the ballots files write it.
pub const CATEGORIES: &[&str] = &[
    "community",
    "environment",
    "health",
    "young people",
    "older people",
    "sport",
    "culture",
    "education",
    "transport",
    "public space",
    "safety",
    "other",
];
