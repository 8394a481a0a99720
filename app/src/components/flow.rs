//! The ten steps as one flow, and the panel of the selected step.

use super::app_state;
use super::bodies::ProviderBodiesPanel;
use super::editor::input_editor;
use crate::browser;
use crate::state::RunResult;
use closeout_core::evidence::Entry;
use closeout_core::flow::{who_does, Act, StepStatus};
use closeout_core::guide::step_guide;
use closeout_core::json::pretty_string;
use closeout_core::record::RecordKind;
use closeout_core::steps::{StepId, STEPS};
use leptos::prelude::*;

/// The ten steps, each with its state; selecting one opens its panel.
#[component]
pub fn StepList() -> impl IntoView {
    let state = app_state();
    view! {
        <ol class="step-list" data-testid="step-list" aria-label="The ten closeout steps">
            {STEPS
                .iter()
                .map(|step| {
                    let (id, number) = (step.id, step.number);
                    let status = move || {
                        state
                            .decision
                            .with(|live| state.session.with(|s| s.shown_status_with(id, live)))
                    };
                    view! {
                        <li
                            class="step"
                            class:selected=move || state.selected.get() == id
                            data-testid=format!("step-{number}")
                            data-state=move || status().code()
                        >
                            <button
                                type="button"
                                class="step-button"
                                aria-current=move || (state.selected.get() == id).then_some("step")
                                on:click=move |_| {
                                    state.selected.set(id);
                                    state.viewed(id);
                                }
                            >
                                <span class="step-number">{number}</span>
                                <span class="step-name">{step.name}</span>
                                <span class="step-owner">{step_roles(id)}</span>
                                <span class="step-state">{move || status().code()}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// Who acts at a step, for its row: "Owner: Release manager", or both roles of steps 4 and 9.
fn step_roles(id: StepId) -> String {
    match Act::of_step(id) {
        [(role, _)] => format!("Owner: {}", role.title()),
        acts => {
            let roles: Vec<&str> = acts.iter().map(|(role, _)| role.title()).collect();
            format!("Roles: {}", roles.join(", then "))
        }
    }
}

/// The selected step: what it does, who owns it, its inputs, its run button and its records.
#[component]
pub fn StepPanel() -> impl IntoView {
    let state = app_state();
    move || {
        let id = state.selected.get();
        let step = id.step();
        let number = step.number;
        let guide = step_guide(id);
        let input = RwSignal::new(state.session.with_untracked(|s| s.input_for(id)));
        let act = move || Act::for_role(id, state.role.get());
        let can_run = move || act().is_some();
        let run = move |_| state.run_step(id, &input.get_untracked());
        let status = move || {
            state
                .decision
                .with(|live| state.session.with(|s| s.shown_status_with(id, live)))
        };
        view! {
            <article class="panel" data-testid="step-panel" aria-labelledby="step-panel-title">
                <header class="panel-header">
                    <h3 id="step-panel-title">{format!("Step {number}: {}", step.name)}</h3>
                    <p class="owner">
                        {format!("This step is {}", who_does(id))}
                        <span class="badge" data-state=move || status().code()>{move || status().code()}</span>
                    </p>
                </header>
                <p class="what">{guide.what}</p>
                {guide
                    .boundary
                    .map(|boundary| {
                        view! {
                            <p class="boundary" data-testid="edition-note">
                                <strong>"Enterprise boundary: "</strong>
                                {boundary}
                            </p>
                        }
                    })}
                {move || match status() {
                    StepStatus::Blocked(reason) => Some(view! { <p class="blocked-reason" role="status">{format!("Blocked: {reason}")}</p> }.into_any()),
                    StepStatus::Waiting(reason) => Some(view! { <p class="waiting-reason" data-testid="waiting-reason" role="status">{format!("Waiting: {reason}.")}</p> }.into_any()),
                    StepStatus::Stale(reason) => Some(view! { <p class="stale-reason" data-testid="stale-reason" role="status">{format!("No longer holds: {reason}.")}</p> }.into_any()),
                    StepStatus::Pending | StepStatus::Done => None,
                }}
                <form class="inputs" on:submit=move |ev| ev.prevent_default()>
                    {input_editor(id, input)}
                    <button
                        type="button"
                        class="primary"
                        data-testid=format!("step-{number}-run")
                        prop:disabled=move || !can_run()
                        on:click=run
                    >
                        {move || match act() {
                            Some(act) => format!("{} as {}", act.label(id), state.role.get().title()),
                            None => format!("The {} does nothing here: this step is {}", state.role.get().noun(), who_does(id)),
                        }}
                    </button>
                </form>
                <RunMessage step=id/>
                <StepRecords step=id/>
            </article>
        }
        .into_any()
    }
}

/// What the last run of this step said.
#[component]
fn RunMessage(step: StepId) -> impl IntoView {
    let state = app_state();
    move || match state.last_run.get() {
        Some((ran, RunResult::Refused(message))) if ran == step => Some(
            view! { <p class="message error" data-testid="step-error" role="alert">{message}</p> }
                .into_any(),
        ),
        Some((
            ran,
            RunResult::Ran {
                record_ids,
                blocked_reason,
            },
        )) if ran == step => Some({
            let class = if blocked_reason.is_some() {
                "message warn"
            } else {
                "message ok"
            };
            view! {
                <p class=class data-testid="step-result" role="status">
                    {format!("Appended {} record(s) to the evidence log.", record_ids.len())}
                    {blocked_reason.map(|reason| format!(" The step is blocked: {reason}."))}
                </p>
            }
            .into_any()
        }),
        _ => None,
    }
}

/// The latest records this step made (core decides which records are the step's).
#[component]
fn StepRecords(step: StepId) -> impl IntoView {
    let state = app_state();
    let entries = move || {
        state.session.with(|session| {
            session
                .step_records(step)
                .into_iter()
                .cloned()
                .collect::<Vec<Entry>>()
        })
    };
    view! {
        <div class="records">
            {move || {
                let entries = entries();
                if entries.is_empty() {
                    view! { <p class="muted">"No record yet: run the step to make one."</p> }.into_any()
                } else {
                    let delivered = entries.iter().any(|e| e.kind == RecordKind::ConnectorDelivery);
                    view! {
                        {delivered.then(|| view! { <ProviderBodiesPanel/> })}
                        {entries.into_iter().map(|entry| view! { <RecordView entry=entry/> }).collect_view()}
                    }
                    .into_any()
                }
            }}
        </div>
    }
}

/// A button that copies `text` and then says "Copied" instead of `label` (a record's JSON, a body).
#[component]
pub fn CopyButton(text: String, label: &'static str) -> impl IntoView {
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="small"
            on:click=move |_| {
                browser::copy_text(&text);
                copied.set(true);
            }
        >
            {move || if copied.get() { "Copied" } else { label }}
        </button>
    }
}

/// One record: its kind, id, digest and formatted JSON, with a copy button.
#[component]
pub fn RecordView(entry: Entry) -> impl IntoView {
    let text = pretty_string(&entry.record);
    view! {
        <section class="record" data-testid="record">
            <header>
                <span class="kind">{entry.kind.spec().name}</span>
                <code class="record-id" data-testid="record-id">{entry.id().to_string()}</code>
                <span class="digest">"sha256 " <code data-testid="record-digest">{entry.record_digest.clone()}</code></span>
                <a href=format!("#entry-{}", entry.seq)>{format!("entry {}", entry.seq)}</a>
                <CopyButton text=text.clone() label="Copy JSON"/>
            </header>
            <pre class="json" tabindex="0">{text}</pre>
        </section>
    }
}
