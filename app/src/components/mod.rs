//! The page's parts. Each reads the shared [`crate::state::AppState`] from context.

pub mod banners;
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
pub fn app_state() -> AppState {
    use_context::<AppState>()
        .unwrap_or_else(|| panic!("AppState is provided by the root component"))
}
