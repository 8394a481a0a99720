//! Browser tests: mount components in headless Chromium and read the DOM they make; the storage
//! envelope and every recovery path against the real localStorage.
#![cfg(target_arch = "wasm32")]
// A test fails by panicking: the workspace's no-unwrap rules are for the app, not its tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use closeout_app::state::fresh;
use closeout_app::storage::{self, StorageState, KEY};
use closeout_app::App;
use closeout_core::stored;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

fn fresh_container() -> web_sys::HtmlElement {
    let document = document();
    let container = document.create_element("div").expect("create a container");
    document
        .body()
        .expect("the test page has a body")
        .append_child(&container)
        .expect("append the container");
    container.unchecked_into()
}

/// Lets effects and microtasks run.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// One test for everything that mounts the app, so no two of them share localStorage at once.
#[wasm_bindgen_test]
async fn the_app_in_the_page() {
    app_lists_the_ten_steps_and_saves_the_session().await;
    the_app_never_overwrites_data_it_cannot_read().await;
}

async fn app_lists_the_ten_steps_and_saves_the_session() {
    local_storage().clear().unwrap();
    let container = fresh_container();
    let mounted = mount_to(container.clone(), App);

    let steps = container
        .query_selector_all("li[data-testid^='step-']")
        .expect("query the steps");
    assert_eq!(steps.length(), 10);
    for number in 1..=10u32 {
        let step = container
            .query_selector(&format!("[data-testid='step-{number}']"))
            .expect("query one step")
            .unwrap_or_else(|| panic!("step {number} is rendered"));
        assert_eq!(step.get_attribute("data-state").as_deref(), Some("pending"));
    }
    let first = container
        .query_selector("[data-testid='step-1'] .step-name")
        .expect("query")
        .expect("step 1 has a name");
    assert_eq!(
        first.text_content().as_deref(),
        Some("Final readiness bundle")
    );
    let footer = container
        .query_selector("[data-testid='edition-boundary']")
        .expect("query")
        .expect("the footer is rendered");
    let text = footer.text_content().unwrap_or_default();
    assert!(
        text.contains("Community records evidence only"),
        "footer says: {text}"
    );
    assert!(
        text.contains("Nothing leaves your browser"),
        "footer says: {text}"
    );
    settle().await;
    assert_eq!(
        local_storage().get_item(KEY).unwrap(),
        None,
        "an untouched session is not saved"
    );
    let run: web_sys::HtmlElement = container
        .query_selector("[data-testid='step-1-run']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    run.click();
    // The app saves after the next frame (or within 250 ms when no frame comes); wait up to 5 s.
    let mut saved = None;
    for _ in 0..100 {
        settle().await;
        saved = local_storage().get_item(KEY).unwrap();
        if saved.is_some() {
            break;
        }
    }
    let saved = saved.expect("the session is saved once a step ran");
    let snapshot = stored::load(&saved).expect("what is saved loads back");
    assert_eq!(snapshot.session.scenario.name, "accepted-risk");
    assert_eq!(snapshot.session.statuses()[0].code(), "done");
    drop(mounted);
    container.remove();
}

#[wasm_bindgen_test]
fn the_envelope_round_trips_through_local_storage() {
    local_storage().clear().unwrap();
    let mut snapshot = fresh("blocked").unwrap();
    let now = snapshot.clock;
    snapshot.session.run_remaining(now);
    assert_eq!(storage::save(&snapshot), StorageState::Saving);
    let (loaded, state) = storage::load_at_start();
    assert_eq!(state, StorageState::Saving);
    assert!(
        loaded == Some((snapshot, None)),
        "the loaded session equals the saved one"
    );
}

fn saved_text() -> String {
    stored::save(&fresh("ready").unwrap())
}

#[wasm_bindgen_test]
fn corrupted_newer_and_edited_data_are_kept_and_reported() {
    let cases = [
        (
            "{\"format\": \"closeout-sandbox.session\", \"ver".to_string(),
            "corrupted",
        ),
        (
            saved_text().replacen("\"version\":2", "\"version\":9", 1),
            "newer version",
        ),
        (
            saved_text().replacen("\"ready\"", "\"readyX\"", 1),
            "digest",
        ),
    ];
    for (raw, expected) in cases {
        local_storage().clear().unwrap();
        local_storage().set_item(KEY, &raw).unwrap();
        let (loaded, state) = storage::load_at_start();
        assert!(loaded.is_none());
        match state {
            StorageState::Recovering { raw: kept, problem } => {
                assert_eq!(kept, raw);
                assert!(problem.contains(expected), "{problem}");
            }
            other => panic!("expected recovery, got {other:?}"),
        }
    }
}

async fn the_app_never_overwrites_data_it_cannot_read() {
    local_storage().clear().unwrap();
    let raw = "not json at all".to_string();
    local_storage().set_item(KEY, &raw).unwrap();
    let container = fresh_container();
    let mounted = mount_to(container.clone(), App);
    settle().await;
    let banner = container
        .query_selector("[data-testid='storage-banner']")
        .unwrap()
        .expect("the recovery banner shows");
    assert!(banner
        .text_content()
        .unwrap_or_default()
        .contains("could not be opened"));
    assert_eq!(
        local_storage().get_item(KEY).unwrap().as_deref(),
        Some(raw.as_str())
    );
    // Choosing to discard saves the current session instead.
    let discard: web_sys::HtmlElement = container
        .query_selector("[data-testid='storage-discard']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    discard.click();
    settle().await;
    let saved = local_storage().get_item(KEY).unwrap().unwrap();
    assert!(stored::load(&saved).is_ok());
    drop(mounted);
    container.remove();
}
