//! `closeout-core`: CAVRA's release governance final closeout, as the Closeout Sandbox implements it.
//!
//! The crate is pure: no I/O, no clock (every builder takes `now`), no browser crates. The same code
//! runs natively (the `closeout` CLI) and in WebAssembly (the sandbox app), so every digest is identical
//! on both. The domain reference is `docs/domain.md`; doc comments cite its sections by anchor
//! (`docs/domain.md#…`) and its design decisions as D-n (`docs/domain.md#9-design-decisions`).

pub mod action_log;
pub mod bundle;
pub mod counters;
pub mod decision;
pub mod demo;
pub mod escalation;
pub mod evidence;
pub mod flow;
pub mod guard;
pub mod guide;
pub mod input;
pub mod json;
pub mod package;
pub mod record;
pub mod robustness;
pub mod roles;
pub mod scenario;
pub mod share;
pub mod snapshot;
pub mod states;
pub mod status_json;
pub mod steps;
pub mod stored;
pub mod synthetic;
pub mod time;
pub mod verification;
pub mod walkthrough;

pub use roles::Role;

/// A reproducible stream of pseudo-random numbers (xorshift64) for the tests that compare core with a
/// reference on many generated cases; each test picks its seed, so its cases never change.
#[cfg(test)]
pub(crate) struct Xorshift(pub u64);

#[cfg(test)]
impl Xorshift {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}
pub use steps::{Step, STEPS};

/// The edition boundary in one sentence (`docs/domain.md#12-the-edition-boundary`).
pub const BOUNDARY_NOTE: &str = "Community records evidence metadata. Enterprise or operator-owned systems enforce private retention, write or delete archive objects, do SSO/RBAC, deliver through live connectors holding secrets, validate licences, and run paid policy packs.";
