//! The session in localStorage: one key, the versioned envelope from core, and every way storage can
//! fail handled without losing what the user has.

use closeout_core::snapshot::Snapshot;
use closeout_core::stored;
use wasm_bindgen::JsCast;

/// The localStorage key of the session envelope.
pub const KEY: &str = "closeout-sandbox.session.v1";

/// Where the session is kept, as the page tells the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StorageState {
    /// Saved to localStorage after every change.
    Saving,
    /// localStorage cannot be used (blocked or throwing): the sandbox works in memory.
    Unavailable(String),
    /// The last save did not fit: the session is kept in memory only.
    QuotaExceeded,
    /// What was stored cannot be loaded. Nothing is written until the user chooses.
    Recovering { raw: String, problem: String },
}

impl StorageState {
    /// Whether changes are written to storage.
    pub fn saves(&self) -> bool {
        matches!(self, StorageState::Saving | StorageState::QuotaExceeded)
    }
}

fn local_storage() -> Result<web_sys::Storage, String> {
    let window = web_sys::window().ok_or("there is no window")?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("this browser offers no localStorage".into()),
        Err(error) => Err(describe(&error)),
    }
}

fn describe(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<web_sys::DomException>()
        .map(|e| format!("{}: {}", e.name(), e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "storage refused access".into())
}

/// Reads the stored session at start: the snapshot when there is a good one (with a sentence when an
/// older one was migrated), and the storage state.
pub fn load_at_start() -> (Option<(Snapshot, Option<String>)>, StorageState) {
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(reason) => return (None, StorageState::Unavailable(reason)),
    };
    match storage.get_item(KEY) {
        Ok(None) => (None, StorageState::Saving),
        Ok(Some(raw)) => match stored::load_reporting(&raw) {
            Ok(loaded) => (Some(loaded), StorageState::Saving),
            Err(problem) => (
                None,
                StorageState::Recovering {
                    raw,
                    problem: problem.to_string(),
                },
            ),
        },
        Err(error) => (None, StorageState::Unavailable(describe(&error))),
    }
}

/// Writes the session; the new storage state says whether it fit.
pub fn save(snapshot: &Snapshot) -> StorageState {
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(reason) => return StorageState::Unavailable(reason),
    };
    // User timing around the whole save (serialising, digest, writing), read by the benchmarks.
    let timing = SaveTiming::start();
    let text = stored::save(snapshot);
    let written = storage.set_item(KEY, &text);
    timing.finish();
    match written {
        Ok(()) => StorageState::Saving,
        Err(error) => {
            let quota = error
                .dyn_ref::<web_sys::DomException>()
                .is_some_and(|e| e.name() == "QuotaExceededError" || e.code() == 22);
            if quota {
                StorageState::QuotaExceeded
            } else {
                StorageState::Unavailable(describe(&error))
            }
        }
    }
}

/// A `closeout:save` performance measure (see `performance.getEntriesByName`); silent where the browser
/// has no Performance API, since timing must never stop a save.
struct SaveTiming(Option<web_sys::Performance>);

impl SaveTiming {
    const START: &'static str = "closeout:save:start";
    const END: &'static str = "closeout:save:end";

    fn start() -> SaveTiming {
        let performance = web_sys::window().and_then(|w| w.performance());
        if let Some(performance) = &performance {
            let _ = performance.mark(Self::START);
        }
        SaveTiming(performance)
    }

    fn finish(self) {
        if let Some(performance) = self.0 {
            let _ = performance.mark(Self::END);
            let _ = performance.measure_with_start_mark_and_end_mark(
                "closeout:save",
                Self::START,
                Self::END,
            );
            performance.clear_marks();
        }
    }
}

/// Removes the stored session ("next prospect", or discarding unreadable data).
pub fn clear() -> Result<(), String> {
    local_storage()?.remove_item(KEY).map_err(|e| describe(&e))
}

/// Removes every key this sandbox keeps ("next prospect").
pub fn clear_everything() -> Result<(), String> {
    let storage = local_storage()?;
    let length = storage.length().map_err(|e| describe(&e))?;
    let keys: Vec<String> = (0..length)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| k.starts_with("closeout-sandbox"))
        .collect();
    for key in keys {
        storage.remove_item(&key).map_err(|e| describe(&e))?;
    }
    Ok(())
}

/// The localStorage key of the trainee's walkthrough progress.
pub const WALKTHROUGH_KEY: &str = "closeout-sandbox.walkthrough.v1";

/// The walkthrough progress saved in this browser, or a fresh one.
pub fn load_walkthrough() -> closeout_core::walkthrough::Progress {
    local_storage()
        .ok()
        .and_then(|s| s.get_item(WALKTHROUGH_KEY).ok().flatten())
        .map(|text| closeout_core::walkthrough::Progress::from_text(&text))
        .unwrap_or_default()
}

/// Saves the walkthrough progress; an empty one is removed instead.
pub fn save_walkthrough(progress: &closeout_core::walkthrough::Progress) {
    if let Ok(storage) = local_storage() {
        let _ = if *progress == closeout_core::walkthrough::Progress::default() {
            storage.remove_item(WALKTHROUGH_KEY)
        } else {
            storage.set_item(WALKTHROUGH_KEY, &progress.to_text())
        };
    }
}
