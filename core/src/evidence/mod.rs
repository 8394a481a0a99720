//! The evidence log (D-2): records appended, never edited, to a hash chain, and its verification.
//!
//! entry = `{seq, kind, record, record_digest, prev_entry_digest, entry_digest}`; `entry_digest` covers the
//! other five fields; the first entry's `prev_entry_digest` is 64 zeros.

mod chain;
mod entry;
mod log;

pub use chain::{verify_chain, ChainEnding, ChainError, ChainReport, CHAIN_SCHEMA};
pub use entry::{Entry, GENESIS};
pub use log::{EvidenceLog, LINK_FIELDS};
