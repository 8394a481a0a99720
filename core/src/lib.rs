//! `closeout-core`: CAVRA's release governance final closeout, as the Closeout Sandbox implements it.
//!
//! The crate is pure: no I/O, no clock (every builder takes `now`), no browser crates. The same code runs
//! natively (the `closeout` CLI) and in WebAssembly (the sandbox app), so every digest is identical on both.
//! The domain reference is `shared/closeout-spec.md`; section numbers in doc comments point there.

pub mod decision;
pub mod evidence;
pub mod flow;
pub mod guard;
pub mod input;
pub mod json;
pub mod record;
pub mod roles;
pub mod scenario;
pub mod steps;
pub mod time;

pub use roles::Role;
pub use steps::{Step, STEPS};
