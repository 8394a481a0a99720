//! The Closeout Sandbox app: Leptos components and browser glue over `closeout-core`.
//!
//! Components stay thin: every rule lives in core. This crate only renders what core says and
//! connects it to the browser (storage, downloads, file input).

pub mod browser;
pub mod components;
pub mod lazy;
pub mod state;
pub mod storage;

use closeout_core::snapshot::Snapshot;
use closeout_core::stored;
use components::banners::Banners;
use components::decision::DecisionPanel;
use components::demo::DemoPanel;
use components::diagram::FlowDiagram;
use components::flow::{StepList, StepPanel};
use components::report::AuditReport;
use components::toolbar::Toolbar;
use components::walkthrough::WalkthroughPanel;
use lazy::{near_screen, Deferred};
use leptos::prelude::*;
use state::AppState;
use storage::StorageState;

/// The whole page. Loads the session (from storage or the first scenario), saves it after every change,
/// and follows changes made in another tab.
#[component]
pub fn App() -> impl IntoView {
    let state = match AppState::new() {
        Ok(state) => state,
        Err(error) => {
            return view! { <p class="banner error" role="alert">{format!("The sandbox could not start: {error}")}</p> }.into_any();
        }
    };
    provide_context(state);
    // Saving waits until the change is on screen (the next frame), and changes made before then are
    // saved once: a step or "run remaining" shows its result without paying for the save. Where no
    // frame comes (a hidden or throttled page), a timer saves within SAVE_AT_LATEST; a page being
    // hidden or closed saves what is pending at once, so nothing is lost.
    let save_pending = StoredValue::new(false);
    Effect::new(move |_| {
        state.session.track();
        state.clock.track();
        state.role.track();
        if save_pending.get_value() {
            return;
        }
        save_pending.set_value(true);
        let save = move || save_if_pending(state, save_pending);
        if document().hidden() {
            set_timeout(save, Default::default());
        } else {
            request_animation_frame(move || set_timeout(save, Default::default()));
            set_timeout(save, SAVE_AT_LATEST);
        }
    });
    let flush = window_event_listener(leptos::ev::pagehide, move |_| {
        save_if_pending(state, save_pending)
    });
    on_cleanup(move || flush.remove());
    let flush_hidden = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().hidden() {
            save_if_pending(state, save_pending)
        }
    });
    on_cleanup(move || flush_hidden.remove());
    let listener = window_event_listener(
        leptos::ev::storage,
        move |event: web_sys::StorageEvent| {
            if event.key().as_deref() != Some(storage::KEY)
                || !state.storage.with_untracked(StorageState::saves)
            {
                return;
            }
            match event.new_value() {
            Some(raw) => match stored::load(&raw) {
                Ok(snapshot) => {
                    if snapshot != state.snapshot() {
                        state.replace(snapshot);
                        state.say("This session was changed in another tab; showing the latest.");
                    }
                }
                Err(problem) => state.warn(format!("Another tab saved a session this tab cannot read: {problem}")),
            },
            None => state.say("Another tab cleared the saved session. This tab keeps its copy; reload to start fresh."),
        }
        },
    );
    on_cleanup(move || listener.remove());
    // The walkthrough notes every step panel the trainee opens, and keeps its progress.
    // The walkthrough keeps what the trainee opened and wrote.
    Effect::new(move |_| state.walkthrough.with(storage::save_walkthrough));
    // A share link opens on load, and when one is pasted into this tab's address bar.
    open_share_from_location(state);
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| {
        open_share_from_location(state)
    });
    on_cleanup(move || hash_listener.remove());
    let decision_section = NodeRef::new();
    let chain_section = NodeRef::new();
    let files_section = NodeRef::new();
    // The parts below the decision load as their section nears the screen, or as soon as keyboard focus
    // heads down the page; the chain also when a link to one of its entries is followed.
    let keyboard = lazy::keyboard_heading_down();
    let entry_linked = lazy::entry_linked();
    let near_decision = near_screen(decision_section);
    let near_chain = near_screen(chain_section);
    let near_files = near_screen(files_section);
    let oversight_wanted = Signal::derive(move || near_decision.get() || keyboard.get());
    let chain_wanted =
        Signal::derive(move || near_chain.get() || keyboard.get() || entry_linked.get());
    let files_wanted = Signal::derive(move || near_files.get() || keyboard.get());
    view! {
        <a class="skip-link" href="#flow">"Skip to the closeout flow"</a>
        <Header/>
        <main id="main" class="content">
            <Banners/>
            <Intro/>
            <WalkthroughPanel/>
            <DemoPanel/>
            <Toolbar/>
            <section id="flow" class="flow" aria-labelledby="steps-heading">
                <h2 id="steps-heading">"The ten closeout steps"</h2>
                <FlowDiagram/>
                <div class="flow-grid">
                    <StepList/>
                    <StepPanel/>
                </div>
            </section>
            <section id="decision" class="card" aria-labelledby="decision-heading" node_ref=decision_section>
                <h2 id="decision-heading">"Release decision"</h2>
                <DecisionPanel/>
                <div class="oversight">
                    <Deferred what="escalations and counters" when=oversight_wanted load=|| Box::pin(lazy::oversight_panels())/>
                </div>
            </section>
            <section id="chain" class="card" aria-labelledby="chain-heading" node_ref=chain_section>
                <h2 id="chain-heading">"Evidence chain"</h2>
                <Deferred what="evidence chain" when=chain_wanted load=|| Box::pin(lazy::chain_panel())/>
            </section>
            <section id="files" class="card" aria-labelledby="files-heading" node_ref=files_section>
                <h2 id="files-heading">"Files"</h2>
                <Deferred what="files" when=files_wanted load=|| Box::pin(lazy::files_panel())/>
            </section>
            <section id="report" class="card report-card" aria-labelledby="report-heading">
                <h2 id="report-heading">"Auditor's report"</h2>
                <AuditReport/>
            </section>
        </main>
        <Footer/>
    }
    .into_any()
}

/// The longest a change waits to be saved when the page draws no frame.
const SAVE_AT_LATEST: std::time::Duration = std::time::Duration::from_millis(250);

/// Saves the session if a save is pending. A session nobody has touched is not kept: a fresh visitor, a
/// reset or "next prospect" leaves storage empty.
fn save_if_pending(state: AppState, save_pending: StoredValue<bool>) {
    if !save_pending.get_value() {
        return;
    }
    save_pending.set_value(false);
    if !state.storage.with_untracked(StorageState::saves) {
        return;
    }
    let snapshot = Snapshot {
        session: state.session.get_untracked(),
        clock: state.clock.get_untracked(),
        role: state.role.get_untracked(),
    };
    let result = if snapshot.is_pristine() {
        storage::clear().map_or_else(StorageState::Unavailable, |()| StorageState::Saving)
    } else {
        storage::save(&snapshot)
    };
    if state.storage.get_untracked() != result {
        state.storage.set(result);
    }
}

/// Opens the `#share=` fragment of the page's address, if any, then removes it from the address so a
/// reload does not open it again.
fn open_share_from_location(state: AppState) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let hash = location.hash().unwrap_or_default();
    if !hash.starts_with(&format!("#{}", closeout_core::share::PREFIX)) {
        return;
    }
    state.open_share(hash);
    let path = location.pathname().unwrap_or_else(|_| "/".into());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// The product name, what the sandbox is, and the page's sections.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="header-inner">
                <h1 data-testid="product-name">"Closeout Sandbox"</h1>
                <p class="tagline">
                    "Run CAVRA's release governance final closeout end to end, on synthetic evidence, in your browser."
                </p>
                <nav aria-label="Sections">
                    <a href="#flow">"Steps"</a>
                    <a href="#decision">"Decision"</a>
                    <a href="#chain">"Evidence chain"</a>
                    <a href="#files">"Files"</a>
                    <a href="#report">"Report"</a>
                </nav>
            </div>
        </header>
    }
}

/// Two sentences for someone who arrives with no guide.
#[component]
fn Intro() -> impl IntoView {
    let state = components::app_state();
    view! {
        <section class="intro" aria-label="About this scenario">
            <p>
                <strong>{move || state.session.with(|s| s.scenario.title.clone())}</strong>
                " "
                {move || state.session.with(|s| s.scenario.description.clone())}
            </p>
            <p class="hint">
                "Pick a step to see what it does and run it, or press Run remaining steps. Every record lands in a hash-chained evidence log; the decision below updates as you go."
            </p>
        </section>
    }
}

/// The edition boundary: what Community does, and that nothing leaves the browser.
#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer" data-testid="edition-boundary">
            <p>
                "Community records evidence only. Enforcement (private retention, archive writes, SSO/RBAC, live connectors with secrets, licence checks) needs Enterprise or an operator-owned system."
            </p>
            <p>"Nothing leaves your browser: the sandbox runs here and keeps its data in this browser's storage."</p>
        </footer>
    }
}

/// Mounts the app on the page's body. Called once by the binary's `main`.
pub fn start() {
    mount_to_body(App);
}
