//! What each provider receives: for every delivery the selected step made, each provider's exact body
//! (formatted JSON, copyable), its request with the credential redacted, and the Community/Enterprise
//! line. The panel is closed at first and its content loads when it is opened.

use super::app_state;
use super::flow::CopyButton;
use crate::lazy::{details_open, provider_bodies_content, Deferred};
use closeout_core::flow::connector::bodies::{provider_bodies, ProviderBody};
use closeout_core::record::RecordKind;
use leptos::prelude::*;

/// The closed panel; opening it loads the bodies.
#[component]
pub fn ProviderBodiesPanel() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details class="bodies card" data-testid="provider-bodies" on:toggle=move |ev| open.set(details_open(&ev))>
            <summary>"What each provider receives"</summary>
            <Deferred what="provider bodies" when=open load=|| Box::pin(provider_bodies_content())/>
        </details>
    }
}

/// Each delivery of the selected step, newest first as the records are, with each provider's call.
#[component]
pub fn ProviderBodies() -> impl IntoView {
    let state = app_state();
    let deliveries = move || {
        state.session.with(|session| {
            session
                .step_records(state.selected.get())
                .into_iter()
                .filter(|entry| entry.kind == RecordKind::ConnectorDelivery)
                .map(|entry| (entry.id().to_string(), provider_bodies(&entry.record)))
                .collect::<Vec<_>>()
        })
    };
    move || {
        deliveries()
            .into_iter()
            .map(|(id, calls)| {
                view! {
                    <section class="delivery" data-testid="delivery-bodies">
                        <h5>"Delivery " <code>{id}</code></h5>
                        {calls.into_iter().map(|call| view! { <ProviderCall call=call/> }).collect_view()}
                    </section>
                }
            })
            .collect_view()
    }
}

/// One provider's call: outcome, request, headers, body and the edition line.
#[component]
fn ProviderCall(call: ProviderBody) -> impl IntoView {
    let copy_text = call.body.clone().unwrap_or_default();
    let body = match call.body {
        Some(body) => view! { <pre class="json" tabindex="0" data-testid="provider-body">{body}</pre> }.into_any(),
        None => view! { <p class="muted">"This delivery was made before the sandbox kept the event it sent."</p> }.into_any(),
    };
    view! {
        <article class="provider-call" data-testid=format!("provider-{}", call.provider)>
            <header>
                <strong>{call.title}</strong>
                <span class="muted">{format!(" {}", call.outcome)}</span>
                <CopyButton text=copy_text label="Copy body"/>
            </header>
            <p class="request"><code>{call.request}</code></p>
            <ul class="headers">
                {call.headers.into_iter().map(|h| view! { <li><code>{h}</code></li> }).collect_view()}
            </ul>
            {body}
            <p class="muted">"Body sha256 " <code>{call.body_sha256}</code></p>
            <p class="boundary" data-testid="provider-boundary">{call.boundary}</p>
        </article>
    }
}
