//! The first-load floor: what the sandbox's first screen costs before any of its own UI.
//!
//! The first screen must be usable: a step runs within 10 ms of the click (issue 6), so the step engine
//! is in the first load, and the page is a Leptos app. This crate builds the least of each, so
//! `cargo xtask size --floor` can show what no amount of splitting the app's own UI can remove:
//! - `leptos`: a page with one button and a counter, mounted as the app mounts;
//! - `engine`: a scenario started, all ten steps run, the decision taken, the session saved and loaded;
//! - both: the button runs the engine.
//!
//! Inputs come from the page (its address), so the optimiser cannot fold the work away.

use wasm_bindgen::prelude::*;

/// Runs the engine as the first screen does: restores `saved` when it is a stored session, else starts
/// the built-in `scenario`, runs every step and returns the decision's canonical JSON.
#[cfg(feature = "engine")]
pub fn run_engine(scenario: &str, saved: &str) -> String {
    use closeout_core::flow::Session;
    use closeout_core::scenario::Scenario;
    use closeout_core::stored;
    use closeout_core::time::Timestamp;

    let Some(now) = Timestamp::parse("2026-05-31T08:30:00Z") else {
        return String::new();
    };
    if let Ok(snapshot) = stored::load(saved) {
        return stored::save(&snapshot);
    }
    // Errors are not shown: the floor is a lower bound, so it leaves out even what the app needs to
    // explain a failure.
    let Ok(scenario) = Scenario::built_in(scenario) else {
        return String::new();
    };
    let mut session = Session::start(scenario);
    let _ = session.run_remaining(now);
    closeout_core::json::canonical_string(&session.decision(now).summary_value())
}

/// Without the engine the button only echoes its input.
#[cfg(not(feature = "engine"))]
pub fn run_engine(scenario: &str, saved: &str) -> String {
    format!("{scenario}{saved}")
}

/// The Leptos page: one button that runs the engine (or echoes) and shows the result and a count.
#[cfg(feature = "leptos")]
#[leptos::component]
fn Probe() -> impl leptos::IntoView {
    use leptos::prelude::*;

    let count = RwSignal::new(0);
    let result = RwSignal::new(String::new());
    let address = window().location().hash().unwrap_or_default();
    view! {
        <button on:click=move |_| {
            count.update(|c| *c += 1);
            result.set(run_engine(&address, &address));
        }>"Run " {count}</button>
        <p>{result}</p>
    }
}

/// Mounts the page (the `leptos` feature).
#[cfg(feature = "leptos")]
#[wasm_bindgen(start)]
pub fn start() {
    leptos::mount::mount_to_body(Probe);
}

/// The engine on its own, called from JavaScript (no `leptos` feature).
#[cfg(not(feature = "leptos"))]
#[wasm_bindgen]
pub fn run(scenario: &str, saved: &str) -> String {
    run_engine(scenario, saved)
}
