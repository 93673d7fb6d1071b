//! GraphQL objects and inputs. Built from domain types by hand; storage
//! models never reach this layer.
pub mod account;
pub mod area;
pub mod bid;
pub mod constraints;
pub mod delivery;
pub mod group;
pub mod population;
pub mod reminders;
pub mod results;
pub mod round;
pub mod scalars;
pub mod verification;
pub mod voting;
