//! Messages above the work area: where the session is kept, recovery of unreadable storage, notices.

use super::app_state;
use crate::browser;
use crate::storage::{self, StorageState};
use leptos::prelude::*;

/// The storage banner and the latest notice.
#[component]
pub fn Banners() -> impl IntoView {
    let state = app_state();
    let storage_banner = move || {
        match state.storage.get() {
        StorageState::Saving => ().into_any(),
        StorageState::Unavailable(reason) => view! {
            <div class="banner warn" data-testid="storage-banner" role="status">
                <strong>"Working in memory only. "</strong>
                {format!("This browser's storage cannot be used ({reason}), so the session lasts until you close the tab. Download the trial package to keep it.")}
            </div>
        }
        .into_any(),
        StorageState::QuotaExceeded => view! {
            <div class="banner warn" data-testid="storage-banner" role="status">
                <strong>"Storage is full. "</strong>
                "The latest changes are kept in memory but not saved: free some space for this site, or download the trial package to keep your work."
            </div>
        }
        .into_any(),
        StorageState::Recovering { raw, problem } => {
            let raw_for_download = raw.clone();
            view! {
                <div class="banner error" data-testid="storage-banner" role="alert">
                    <p>
                        <strong>"Your saved session could not be opened: "</strong>
                        {problem}
                    </p>
                    <p>
                        "It has not been touched. You are looking at a fresh session that is not being saved until you choose."
                    </p>
                    <button
                        type="button"
                        data-testid="storage-download-raw"
                        on:click=move |_| {
                            if let Err(error) = browser::download("closeout-saved-session.json", "application/json", raw_for_download.as_bytes()) {
                                state.warn(error);
                            }
                        }
                    >
                        "Download the saved data"
                    </button>
                    <button
                        type="button"
                        class="danger"
                        data-testid="storage-discard"
                        on:click=move |_| {
                            match storage::clear() {
                                Ok(()) => {
                                    let snapshot = state.snapshot();
                                    state.storage.set(storage::save(&snapshot));
                                    state.say("Discarded the unreadable saved data; this session is saved from now on.");
                                }
                                Err(error) => state.warn(format!("Could not clear storage: {error}")),
                            }
                        }
                    >
                        "Discard it and save this session instead"
                    </button>
                </div>
            }
            .into_any()
        }
    }
    };
    view! {
        {storage_banner}
        {move || {
            state
                .notice
                .get()
                .map(|notice| {
                    view! {
                        <div
                            class=if notice.error { "banner error" } else { "banner info" }
                            data-testid="notice"
                            role=if notice.error { "alert" } else { "status" }
                        >
                            <span>{notice.text}</span>
                            <button type="button" class="link" aria-label="Dismiss" on:click=move |_| state.notice.set(None)>
                                "×"
                            </button>
                        </div>
                    }
                })
        }}
    }
}
