//! The page's parts. Each reads the shared [`crate::state::AppState`] from context.

pub mod banners;
pub mod bodies;
pub mod chain;
pub mod decision;
pub mod demo;
pub mod diagram;
pub mod editor;
pub mod files;
pub mod flow;
pub mod oversight;
pub mod report;
pub mod toolbar;
pub mod walkthrough;

use crate::state::AppState;
use leptos::prelude::*;

/// The shared state; the root provides it before any component renders.
// The one panic left outside tests: a component rendered outside `App` is a wiring bug every browser
// test would show at once, and returning an error view instead would change all 21 components.
#[expect(
    clippy::panic,
    reason = "AppState missing from context is a programming error, not a runtime condition"
)]
pub fn app_state() -> AppState {
    use_context::<AppState>()
        .unwrap_or_else(|| panic!("AppState is provided by the root component"))
}
