//! The controls above the flow: scenario, role, clock, run-all and reset, with the in-page confirmation.

use super::app_state;
use closeout_core::scenario::BUILT_IN;
use closeout_core::snapshot::ClockMove;
use closeout_core::Role;
use leptos::prelude::*;

/// Scenario, role and clock controls.
#[component]
pub fn Toolbar() -> impl IntoView {
    let state = app_state();
    let scenario_name = move || state.session.with(|s| s.scenario.name.clone());
    let choose_scenario = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        if state.has_progress() {
            state.pending_reset.set(Some(name));
        } else {
            state.start(&name);
        }
    };
    let choose_role = move |ev: leptos::ev::Event| {
        if let Some(role) = Role::from_id(&event_target_value(&ev)) {
            state.role.set(role);
        }
    };
    let days = RwSignal::new(1i64);
    let chosen_date = RwSignal::new(String::new());
    let advance = move |_| state.set_clock(ClockMove::ForwardDays(days.get_untracked()));
    let set_date = move |_| {
        chosen_date.with_untracked(|chosen| state.set_clock(ClockMove::ToChosen(chosen)));
    };
    view! {
        <section class="toolbar" aria-label="Session controls">
            <div class="control">
                <label for="scenario-select">"Scenario"</label>
                <select
                    id="scenario-select"
                    data-testid="scenario-select"
                    prop:value=scenario_name
                    on:change=choose_scenario
                >
                    {BUILT_IN
                        .iter()
                        .map(|(name, _)| view! { <option value=*name>{*name}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="control">
                <label for="role-select">"Acting as"</label>
                <select
                    id="role-select"
                    data-testid="role-select"
                    prop:value=move || state.role.get().id()
                    on:change=choose_role
                >
                    {Role::ALL
                        .iter()
                        .map(|role| view! { <option value=role.id()>{role.title()}</option> })
                        .collect_view()}
                </select>
                <p class="hint role-duties" data-testid="role-duties">{move || closeout_core::flow::role_duties(state.role.get())}</p>
            </div>
            <div class="control clock">
                <span class="label">"Sandbox clock"</span>
                <output data-testid="clock-now">{move || state.clock.get().isoformat()}</output>
                <div class="clock-controls">
                    <label class="visually-hidden" for="clock-step">"Move forward by"</label>
                    <select
                        id="clock-step"
                        data-testid="clock-step"
                        on:change=move |ev| days.set(event_target_value(&ev).parse().unwrap_or(1))
                    >
                        <option value="1">"1 day"</option>
                        <option value="30">"30 days"</option>
                        <option value="365">"1 year"</option>
                    </select>
                    <button type="button" data-testid="clock-advance" on:click=advance>
                        "Move forward"
                    </button>
                    <label class="visually-hidden" for="clock-date">"Move to date"</label>
                    <input
                        id="clock-date"
                        type="date"
                        data-testid="clock-date"
                        on:input=move |ev| chosen_date.set(event_target_value(&ev))
                    />
                    <button type="button" data-testid="clock-set" on:click=set_date>
                        "Go to date"
                    </button>
                </div>
            </div>
            <div class="control actions">
                <button type="button" class="primary" data-testid="run-all" on:click=move |_| state.run_remaining()>
                    "Run remaining steps"
                </button>
                <button
                    type="button"
                    data-testid="reset"
                    on:click=move |_| state.pending_reset.set(Some(state.session.with_untracked(|s| s.scenario.name.clone())))
                >
                    "Reset"
                </button>
            </div>
        </section>
        <ResetConfirm/>
        <ShareConfirm/>
    }
}

/// The in-page confirmation before a shared session replaces this one.
#[component]
pub fn ShareConfirm() -> impl IntoView {
    let state = app_state();
    view! {
        <Show when=move || state.pending_share.with(Option::is_some)>
            <div class="confirm" role="alertdialog" aria-labelledby="share-confirm-text">
                <p id="share-confirm-text">
                    {move || {
                        let name = state.pending_share.with(|s| s.as_ref().map(|s| s.session.scenario.name.clone())).unwrap_or_default();
                        format!("Open the shared {name} session? It replaces the steps run in this browser.")
                    }}
                </p>
                <button
                    type="button"
                    class="danger"
                    data-testid="share-confirm"
                    on:click=move |_| {
                        if let Some(snapshot) = state.pending_share.get_untracked() {
                            state.accept_share(snapshot);
                        }
                    }
                >
                    "Open the shared session"
                </button>
                <button type="button" data-testid="share-cancel" on:click=move |_| state.pending_share.set(None)>
                    "Keep my session"
                </button>
            </div>
        </Show>
    }
}

/// The in-page confirmation before progress is thrown away.
#[component]
fn ResetConfirm() -> impl IntoView {
    let state = app_state();
    view! {
        <Show when=move || state.pending_reset.with(Option::is_some)>
            <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
                <p id="confirm-text">
                    {move || {
                        let name = state.pending_reset.get().unwrap_or_default();
                        format!("Start the {name} scenario fresh? The steps run so far in this session are discarded.")
                    }}
                </p>
                <button
                    type="button"
                    class="danger"
                    data-testid="reset-confirm"
                    on:click=move |_| {
                        if let Some(name) = state.pending_reset.get_untracked() {
                            state.start(&name);
                        }
                    }
                >
                    "Start fresh"
                </button>
                <button
                    type="button"
                    data-testid="reset-cancel"
                    on:click=move |_| {
                        state.pending_reset.set(None);
                        // Puts the scenario select back on the running scenario.
                        state.session.update(|_| {});
                    }
                >
                    "Keep my session"
                </button>
            </div>
        </Show>
    }
}
