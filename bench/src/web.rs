//! The browser side: the same cases, exported to JavaScript. `tests/bench/run.mjs` loads this module in
//! headless Chromium, builds a fixture per size and times each case with `performance.now()`, so the
//! timing is the page's own clock and this crate needs no browser crate beyond wasm-bindgen.

use crate::{case, Fixture, CASES};
use wasm_bindgen::prelude::*;

/// A fixture held by the page between timed calls.
#[wasm_bindgen]
pub struct BenchFixture {
    fixture: Fixture,
}

#[wasm_bindgen]
impl BenchFixture {
    /// Grows a synthetic session to `records` records.
    #[wasm_bindgen(constructor)]
    pub fn new(records: usize) -> Result<BenchFixture, JsError> {
        Fixture::new(records)
            .map(|fixture| BenchFixture { fixture })
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// How many records the session holds.
    pub fn records(&self) -> usize {
        self.fixture.records()
    }

    /// Runs one case once; returns the bytes (or records) it processed.
    pub fn run(&self, name: &str) -> Result<usize, JsError> {
        let case = case(name).ok_or_else(|| JsError::new(&format!("no case named {name:?}")))?;
        (case.run)(&self.fixture).map_err(|e| JsError::new(&e))
    }
}

/// The case names, in table order.
#[wasm_bindgen]
pub fn case_names() -> Vec<String> {
    CASES.iter().map(|c| c.name.to_string()).collect()
}
