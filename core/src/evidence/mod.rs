//! The evidence log (D-2): records appended, never edited, to a hash chain, and its verification.
//!
//! entry = `{seq, kind, actor_role, record, record_digest, prev_entry_digest, entry_digest}`;
//! `entry_digest` covers the other six fields (format 2; format 1 had no `actor_role`); the first entry's
//! `prev_entry_digest` is 64 zeros.

mod binding;
mod chain;
mod entry;
mod log;

pub use chain::{
    verify_chain, ChainEnding, ChainError, ChainFormat, ChainReport, CHAIN_SCHEMA, CHAIN_SCHEMA_V1,
};
pub use entry::{Entry, GENESIS};
pub use log::{EvidenceLog, LINK_FIELDS};
