//! Parts of the page that load when they are first needed.
//!
//! The first screen (the ten steps, the toolbar, the decision) is in the Wasm the page loads. The parts a
//! visitor reaches later (the evidence chain, the files, the escalations and counters) and the panels
//! that open on demand (the walkthrough, presenter mode, the bodies each provider receives) are each built into their own Wasm module by
//! release builds and fetched when their section nears the screen or their panel opens: the first load
//! carries only what the first screen uses.
//!
//! How: each deferred part is one `wasm_split` function (`wasm_split_helpers`), compiled as one when
//! the crate's `split` feature is on. `cargo xtask build` (the release build) turns it on, and Trunk's
//! post-build hook (`cargo xtask post-build`) splits the Wasm at those functions before running
//! wasm-bindgen, checking that it made exactly the parts of [`parts::DEFERRED_PARTS`]. Without the
//! feature (`trunk serve`, the wasm-bindgen tests) the same functions are plain calls, so the page
//! behaves the same, only without the separate downloads.

pub mod parts;

use closeout_core::stored::Snapshot;
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A deferred part that could not be fetched (offline, or the site was updated meanwhile).
#[derive(Debug, Clone, Copy)]
pub struct LoadFailed;

#[cfg(feature = "split")]
impl From<wasm_split_helpers::SplitLoaderError> for LoadFailed {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Loading a deferred part: its view, once its module is in.
pub type PartFuture = Pin<Box<dyn Future<Output = Result<AnyView, LoadFailed>> + Send>>;

/// Fails to compile when `$module` is not in [`parts::DEFERRED_PARTS`], the list the split is checked
/// against.
macro_rules! listed_part {
    ($module:ident) => {
        const _: () = assert!(
            parts::is_deferred_part(stringify!($module)),
            concat!(
                "the deferred part `",
                stringify!($module),
                "` is missing from lazy/parts.rs"
            )
        );
    };
}

/// Declares `async fn $name() -> Result<AnyView, LoadFailed>` rendering `<$component/>`. With the
/// `split` feature, the component and all code only it uses go in the lazily loaded module `$module`.
macro_rules! deferred_part {
    ($(#[$doc:meta])* $module:ident, $name:ident, $component:path) => {
        listed_part!($module);
        $(#[$doc])*
        #[cfg(feature = "split")]
        #[wasm_split_helpers::wasm_split($module, fallible)]
        pub fn $name() -> Result<AnyView, LoadFailed> {
            Ok(view! { <$component/> }.into_any())
        }
        $(#[$doc])*
        #[cfg(not(feature = "split"))]
        pub async fn $name() -> Result<AnyView, LoadFailed> {
            Ok(view! { <$component/> }.into_any())
        }
    };
}

deferred_part!(
    /// The evidence chain: its table, verification and the tamper exercise.
    chain, chain_panel, crate::components::chain::ChainPanel
);
deferred_part!(
    /// Downloads, package import, file verification and share links (zip and deflate live here).
    files, files_panel, crate::components::files::FilesPanel
);
deferred_part!(
    /// Escalations and the dashboard counters.
    oversight, oversight_panels, crate::components::oversight::OversightPanels
);
deferred_part!(
    /// The trial walkthrough's lesson, tasks and checklist.
    walkthrough, walkthrough_content, crate::components::walkthrough::WalkthroughContent
);
deferred_part!(
    /// Presenter mode's presets, talk track and timer.
    demo, demo_content, crate::components::demo::DemoContent
);
deferred_part!(
    /// The step panel's bodies: what each provider of a delivery receives.
    bodies, provider_bodies_content, crate::components::bodies::ProviderBodies
);

/// Decodes a share link's fragment (base64url, inflate, then the session replayed from its actions).
/// Few visits open a link, so its decoder is not part of the first load.
#[cfg(feature = "split")]
#[wasm_split_helpers::wasm_split(share, fallible)]
pub fn decode_share(fragment: String) -> Result<Result<Snapshot, String>, LoadFailed> {
    Ok(closeout_core::share::decode(&fragment).map_err(|error| error.to_string()))
}

listed_part!(share);

/// Decodes a share link's fragment (not split: a build without the `split` feature).
#[cfg(not(feature = "split"))]
pub async fn decode_share(fragment: String) -> Result<Result<Snapshot, String>, LoadFailed> {
    Ok(closeout_core::share::decode(&fragment).map_err(|error| error.to_string()))
}

/// Shows the part `load` gives once `when` is true (it stays once loaded). While it loads, a line says
/// so; if it cannot be fetched, an alert says why and offers to try again, and the rest of the page
/// keeps working.
#[component]
pub fn Deferred(
    /// What the part is, for the loading line and the error ("the evidence chain").
    what: &'static str,
    /// When to start loading.
    #[prop(into)]
    when: Signal<bool>,
    load: fn() -> PartFuture,
) -> impl IntoView {
    let started = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || when.get());
    let attempt = RwSignal::new(0_u32);
    let part = move || {
        if !started.get() {
            return None;
        }
        attempt.track();
        // A link to an element of this part (`#entry-12` in the chain) may have been followed before
        // the part was in; once it is, the page goes where the link pointed.
        let target_was_there = fragment_target().is_some();
        Some(Suspend::new(async move {
            match load().await {
                Ok(view) => {
                    if !target_was_there {
                        scroll_to_fragment_once_shown(FRAMES_TO_SHOW);
                    }
                    view
                }
                Err(LoadFailed) => view! {
                    <div class="message error" role="alert" data-testid="part-unavailable">
                        <p>{format!("The {what} could not be loaded. Check your connection; the rest of the page still works.")}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>"Try again"</button>
                    </div>
                }
                .into_any(),
            }
        }))
    };
    view! {
        <Suspense fallback=move || view! { <p class="muted" data-testid="part-loading">{format!("Loading the {what}…")}</p> }>
            {part}
        </Suspense>
    }
}

/// True from when the element `target` comes within a screen's height of the viewport (or straight
/// away where the browser cannot tell).
pub fn near_screen(target: NodeRef<leptos::html::Section>) -> Signal<bool> {
    let near = RwSignal::new(false);
    Effect::new(move |_| {
        let Some(element) = target.get() else {
            return;
        };
        let callback = Closure::<dyn FnMut(js_sys::Array, web_sys::IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: web_sys::IntersectionObserver| {
                let seen = entries.iter().any(|entry| {
                    entry
                        .dyn_into::<web_sys::IntersectionObserverEntry>()
                        .is_ok_and(|e| e.is_intersecting())
                });
                if seen {
                    near.set(true);
                    observer.disconnect();
                }
            },
        );
        let options = web_sys::IntersectionObserverInit::new();
        options.set_root_margin("100% 0px");
        match web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &options,
        ) {
            Ok(observer) => {
                observer.observe(&element);
                // The observer calls back for the page's lifetime; it disconnects once it has fired.
                callback.forget();
            }
            Err(_) => near.set(true),
        }
    });
    near.into()
}

/// Whether the `<details>` a `toggle` event comes from is now open.
pub fn details_open(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlDetailsElement>().ok())
        .is_some_and(|details| details.open())
}

/// How many frames a part may take to be on the page after it loads.
const FRAMES_TO_SHOW: u8 = 10;

/// Scrolls to the element the fragment names once it is on the page, looking once a frame for up to
/// `frames` frames (the part's view is mounted after its module loads, not at once).
fn scroll_to_fragment_once_shown(frames: u8) {
    request_animation_frame(move || match fragment_target() {
        Some(target) => target.scroll_into_view(),
        None if frames > 1 => scroll_to_fragment_once_shown(frames - 1),
        None => {}
    });
}

/// The element the address's fragment names (`#entry-12`), if the page holds it.
fn fragment_target() -> Option<web_sys::Element> {
    let hash = window().location().hash().ok()?;
    let id = hash.strip_prefix('#').filter(|id| !id.is_empty())?;
    document().get_element_by_id(id)
}

/// True once the address names an entry of the evidence chain (`#entry-12`): records and the decision's
/// criteria link to their entries, so following one brings the chain in.
pub fn entry_linked() -> Signal<bool> {
    let names_entry = || {
        window()
            .location()
            .hash()
            .is_ok_and(|hash| hash.starts_with("#entry-"))
    };
    let linked = RwSignal::new(names_entry());
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        if names_entry() {
            linked.set(true);
        }
    });
    on_cleanup(move || listener.remove());
    linked.into()
}

/// True once keyboard focus (`:focus-visible`, so not a mouse click) reaches the flow or the decision.
/// Tabbing moves through elements, not screens: the parts below must be in before focus gets there,
/// or it would skip them.
pub fn keyboard_heading_down() -> Signal<bool> {
    let reached = RwSignal::new(false);
    let listener = window_event_listener(leptos::ev::focusin, move |event| {
        if reached.get_untracked() {
            return;
        }
        let Some(element) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let by_keyboard = element.matches(":focus-visible").unwrap_or(false);
        let in_flow = element.closest("#flow, #decision").ok().flatten().is_some();
        if by_keyboard && in_flow {
            reached.set(true);
        }
    });
    on_cleanup(move || listener.remove());
    reached.into()
}
