//! Presenter mode for a 30-minute demo: one-click presets, the talk track of the selected step, a timer
//! against the plan, and "next prospect", which wipes every trace of the session.

use super::app_state;
use crate::lazy::{demo_content, details_open, Deferred};
use crate::storage;
use closeout_core::demo::{
    clock_text, first_step, next_section, pace, preset, talk_track, PRESETS, SECTIONS,
};
use leptos::prelude::*;
use std::time::Duration;

/// The presenter panel: closed at first; its content loads when the presenter opens it.
#[component]
pub fn DemoPanel() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <details class="demo card" data-testid="demo-mode" on:toggle=move |ev| open.set(details_open(&ev))>
            <summary>"Presenter mode (for a 30-minute demo)"</summary>
            <Deferred what="presenter mode" when=open load=|| Box::pin(demo_content())/>
        </details>
    }
}

/// Presets, the talk track and the timer.
#[component]
pub fn DemoContent() -> impl IntoView {
    let state = app_state();
    let running = RwSignal::new(false);
    let elapsed = RwSignal::new(0u32);
    // Not named `section`: the view macro would take it for the <section> element.
    let current_section = RwSignal::new(0usize);
    let section_started = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if running.get_untracked() {
                elapsed.update(|e| *e += 1);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let apply = move |id: &'static str| match preset(id) {
        Ok((snapshot, message)) => {
            state.replace(snapshot);
            state.selected.set(first_step(id));
            state.say(message);
        }
        Err(error) => state.warn(error),
    };
    let next_prospect = move |_| {
        running.set(false);
        elapsed.set(0);
        current_section.set(0);
        section_started.set(0);
        state
            .walkthrough
            .set(closeout_core::walkthrough::Progress::default());
        let cleared = storage::clear_everything();
        state.start(crate::state::FIRST_SCENARIO);
        match cleared {
            Ok(()) => state
                .say("Ready for the next prospect: the previous session and its storage are gone."),
            Err(error) => state.warn(format!(
                "The session was reset, but storage could not be cleared: {error}"
            )),
        }
    };
    let timer_pace = move || pace(elapsed.get(), current_section.get(), section_started.get());
    view! {
            <div class="demo-grid">
                <section aria-label="Presets">
                    <h3>"Presets"</h3>
                    <div class="presets">
                        {PRESETS
                            .iter()
                            .map(|preset| {
                                let id = preset.id;
                                view! { <button type="button" data-testid=format!("preset-{id}") on:click=move |_| apply(id)>{preset.label}</button> }
                            })
                            .collect_view()}
                    </div>
                    <button type="button" class="danger" data-testid="next-prospect" on:click=next_prospect>
                        "Next prospect (wipe everything)"
                    </button>
                </section>
                <section aria-label="Talk track" data-testid="talk-track">
                    {move || {
                        let step = state.selected.get();
                        let track = talk_track(step);
                        view! {
                            <h3>{format!("Talk track: step {}", step.number())}</h3>
                            <p>{track.say}</p>
                            <h4>"Ask"</h4>
                            <ul>{track.ask.iter().map(|q| view! { <li>{*q}</li> }).collect_view()}</ul>
                        }
                    }}
                </section>
                <section aria-label="Timer" class="timer">
                    <h3>"Timer"</h3>
                    <p class="elapsed" data-testid="demo-elapsed">{move || format!("{} / 30:00", clock_text(elapsed.get()))}</p>
                    <p data-testid="demo-pace" class=move || if timer_pace().running_long { "message warn" } else { "message ok" }>{move || timer_pace().text}</p>
                    <button type="button" data-testid="demo-timer-toggle" on:click=move |_| running.update(|r| *r = !*r)>
                        {move || if running.get() { "Pause" } else { "Start" }}
                    </button>
                    <button
                        type="button"
                        data-testid="demo-next-section"
                        prop:disabled=move || next_section(current_section.get()).is_none()
                        on:click=move |_| {
                            if let Some(next) = next_section(current_section.get_untracked()) {
                                current_section.set(next);
                            }
                            section_started.set(elapsed.get_untracked());
                        }
                    >
                        "Next section"
                    </button>
                    <ol class="plan">
                        {SECTIONS
                            .iter()
                            .enumerate()
                            .map(|(index, (name, minutes))| view! {
                                <li class:current=move || current_section.get() == index>{format!("{name}: {minutes} min")}</li>
                            })
                            .collect_view()}
                    </ol>
                </section>
            </div>
    }
}
