//! One integration test binary. Each test starts the real server on its own
//! database and talks to it over HTTP, as a browser or phone would.
mod accounts;
mod auth;
mod bid_drafts;
mod bids;
mod checkpoint;
mod constraints;
mod delivery;
mod fixtures;
mod hardening;
mod helpers;
mod http;
mod phone;
mod population;
mod public_reads;
mod register;
mod reminders;
mod results;
mod rounds;
mod schema;
mod secrecy;
mod sms;
mod verification;
mod voting;
mod welsh;
