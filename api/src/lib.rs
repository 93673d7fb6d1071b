//! Fairshare's API: domain types, services, storage and the GraphQL schema,
//! plus the HTTP server that wires them together.
pub mod channels;
pub mod config;
pub mod crypto;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod http;
pub mod service;
pub mod startup;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod words;
