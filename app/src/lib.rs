//! The Closeout Sandbox app: Leptos components and browser glue over `closeout-core`.
//!
//! Components stay thin: every rule lives in core. This crate only renders what core says and
//! connects it to the browser (storage, downloads, file input).

use closeout_core::{Role, STEPS};
use leptos::prelude::*;

/// The whole page: header, the ten closeout steps, footer with the edition boundary.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Header/>
        <main id="main" class="content">
            <StepList/>
        </main>
        <Footer/>
    }
}

/// The product name and what the sandbox is.
#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1 data-testid="product-name">"Closeout Sandbox"</h1>
            <p class="tagline">
                "Run CAVRA's release governance final closeout end to end, on synthetic evidence, in your browser."
            </p>
        </header>
    }
}

/// The ten closeout steps, in order, with the role that owns each.
#[component]
pub fn StepList() -> impl IntoView {
    view! {
        <section class="steps" aria-labelledby="steps-heading">
            <h2 id="steps-heading">"The ten closeout steps"</h2>
            <ol class="step-list" data-testid="step-list">
                {STEPS
                    .iter()
                    .map(|step| {
                        view! {
                            <li
                                class="step"
                                data-testid=format!("step-{}", step.number)
                                data-state="pending"
                            >
                                <span class="step-number">{step.number}</span>
                                <span class="step-name">{step.name}</span>
                                <span class="step-owner">{role_label(step.owner)}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}

fn role_label(role: Role) -> String {
    format!("Owner: {}", role.title())
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
