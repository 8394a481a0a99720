//! Browser tests: mount components in headless Chromium and read the DOM they make.
#![cfg(target_arch = "wasm32")]

use closeout_app::App;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

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

#[wasm_bindgen_test]
fn app_lists_the_ten_steps_in_order_with_the_edition_boundary() {
    let container = fresh_container();
    let _mounted = mount_to(container.clone(), App);

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
}
