//! The evidence log (D-2): records appended, never edited, to a hash chain, and its verification.

mod log;

pub use log::*;
