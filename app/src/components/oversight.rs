//! Escalations (whom to tell, and why) and the dashboard counters, both from core.

use super::app_state;
use closeout_core::counters::count;
use closeout_core::decision::facts_from_log;
use closeout_core::escalation::escalations;
use leptos::prelude::*;

/// The escalations beside the counters (below the decision).
#[component]
pub fn OversightPanels() -> impl IntoView {
    view! {
        <EscalationPanel/>
        <CountersPanel/>
    }
}

/// Whom to escalate to, from the same facts as the decision.
#[component]
pub fn EscalationPanel() -> impl IntoView {
    let state = app_state();
    let found = Memo::new(move |_| {
        let now = state.clock.get();
        state.session.with(|s| {
            let facts = facts_from_log(s.log(), s.release_record_ref());
            escalations(&facts, s.scenario.regulated_evidence, now)
        })
    });
    view! {
        <div class="escalations" data-testid="escalations">
            <h3>"Escalations"</h3>
            {move || {
                let list = found.get();
                if list.is_empty() {
                    view! { <p class="muted">"Nothing to escalate."</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {list
                                .into_iter()
                                .map(|e| {
                                    view! {
                                        <li data-testid=format!("escalation-{}", e.code)>
                                            <strong>{format!("To the {}: ", e.to.title())}</strong>
                                            {e.why}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

/// The dashboard counters of this release.
#[component]
pub fn CountersPanel() -> impl IntoView {
    let state = app_state();
    let counters = Memo::new(move |_| {
        state
            .session
            .with(|s| count(s.log(), s.release_record_ref()))
    });
    view! {
        <div class="counters">
            <h3>"Counters"</h3>
            <dl data-testid="counters">
                {move || {
                    counters
                        .get()
                        .rows()
                        .into_iter()
                        .map(|(label, value)| {
                            view! {
                                <div class="counter">
                                    <dt>{label}</dt>
                                    <dd>{value}</dd>
                                </div>
                            }
                        })
                        .collect_view()
                }}
            </dl>
        </div>
    }
}
