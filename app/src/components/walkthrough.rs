//! The trial walkthrough for trainees: the current lesson and task, the tasks checked from the session,
//! and the trial success checklist ticked by what the trainee did or opened.

use super::app_state;
use crate::browser;
use crate::lazy::{details_open, walkthrough_content, Deferred};
use closeout_core::guide::step_guide;
use closeout_core::json::pretty_string;
use closeout_core::steps::StepId;
use closeout_core::walkthrough::{checklist, summary, task, tasks_done};
use leptos::prelude::*;

/// The walkthrough panel: closed at first; its content loads when a trainee opens it.
#[component]
pub fn WalkthroughPanel() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details class="walkthrough card" data-testid="walkthrough" on:toggle=move |ev| open.set(details_open(&ev))>
            <summary>"Trial walkthrough (for trainees)"</summary>
            <Deferred what="walkthrough" when=open load=|| Box::pin(walkthrough_content())/>
        </details>
    }
}

/// The lesson, the tasks and the checklist.
#[component]
pub fn WalkthroughContent() -> impl IntoView {
    let state = app_state();
    let tasks = Memo::new(move |_| state.session.with(tasks_done));
    let items = Memo::new(move |_| {
        state
            .session
            .with(|s| state.walkthrough.with(|p| checklist(s, p)))
    });
    let finished = move || tasks.get().iter().all(|d| *d) && items.get().iter().all(|c| c.done);
    let mapping_error = RwSignal::new(None::<String>);
    let download = move |_| {
        let value = state.session.with_untracked(|s| {
            state
                .walkthrough
                .with_untracked(|p| summary(s, p, state.clock.get_untracked()))
        });
        if let Err(error) = browser::download(
            "walkthrough-summary.json",
            "application/json",
            pretty_string(&value).as_bytes(),
        ) {
            state.warn(error);
        }
    };
    view! {
            {move || {
                let next = StepId::ALL
                    .into_iter()
                    .zip(tasks.get())
                    .find_map(|(step, done)| (!done).then_some(step));
                match next {
                    Some(step) => {
                        let number = step.number();
                        view! {
                            <div class="lesson" data-testid="lesson">
                                <h3>{format!("Lesson {number}")}</h3>
                                <p>{step_guide(step).what}</p>
                                <p class="task"><strong>"Your task: "</strong>{task(step)}</p>
                                <button
                                    type="button"
                                    on:click=move |_| {
                                        state.selected.set(step);
                                        state.viewed(step);
                                    }
                                >{format!("Open step {number}")}</button>
                            </div>
                        }
                        .into_any()
                    }
                    None => view! { <p class="message ok" data-testid="lesson">"Every task is done: the closeout is recorded end to end."</p> }.into_any(),
                }
            }}
            <div class="walkthrough-grid">
                <section>
                    <h4>"Tasks"</h4>
                    <ol class="tasks">
                        {StepId::ALL
                            .into_iter()
                            .map(|step| {
                                let index = step.index();
                                view! {
                                    <li data-testid=format!("task-{}", step.number()) data-done=move || tasks.get()[index].to_string()>
                                        <span aria-hidden="true">{move || if tasks.get()[index] { "✓ " } else { "○ " }}</span>
                                        {task(step)}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                </section>
                <section>
                    <h4>"Trial success checklist"</h4>
                    <ul class="checklist">
                        {move || items.get().into_iter().map(|item| view! {
                            <li data-testid=format!("check-{}", item.id) data-done=item.done.to_string()>
                                <span aria-hidden="true">{if item.done { "✓ " } else { "○ " }}</span>
                                {item.label}
                            </li>
                        }).collect_view()}
                    </ul>
                    <label for="walkthrough-mapping">"How does the closeout package map to your own release or audit process?"</label>
                    <textarea
                        id="walkthrough-mapping"
                        data-testid="walkthrough-mapping"
                        rows="3"
                        prop:value=move || state.walkthrough.with(|p| p.mapping.clone())
                        on:change=move |ev| {
                            let text = event_target_value(&ev);
                            let mut result = Ok(());
                            state.walkthrough.update(|p| result = p.set_mapping(&text));
                            mapping_error.set(result.err());
                        }
                    ></textarea>
                    {move || mapping_error.get().map(|e| view! { <p class="message error" role="alert">{e}</p> })}
                    <details data-testid="not-included">
                        // `toggle` does not bubble, so the summary's click (also fired by Enter) counts.
                        <summary on:click=move |_| state.opened("not-included")>"What the public project does not contain"</summary>
                        <ul>
                            <li>"Live connectors holding secrets (the sandbox's connector is simulated)."</li>
                            <li>"Licence checks and paid policy packs."</li>
                            <li>"Archive writes or deletes, and private retention enforcement."</li>
                            <li>"Customer templates, SSO and RBAC."</li>
                        </ul>
                    </details>
                </section>
            </div>
            <Show when=finished>
                <div class="message ok" data-testid="walkthrough-finished">
                    <p>"Walkthrough complete. Download your summary for your trainer or your records."</p>
                    <button type="button" class="primary" data-testid="walkthrough-summary" on:click=download>"Download the summary"</button>
                </div>
            </Show>
    }
}
