//! Replays the fuzz corpus (`core/fuzz/corpus/<target>/`) through the same entry points the fuzz targets
//! call, as ordinary tests: every input the fuzzer kept, and every crash it found once fixed, stays fixed.

// A test reads its corpus from disk and reports how much it replayed: core's purity rules
// (core/clippy.toml) are for the library, and a test fails by panicking.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_macros,
    clippy::disallowed_types,
    clippy::unwrap_used,
    clippy::panic
)]

use closeout_core::robustness::{self, BrokenProperty};
use std::path::Path;

fn replay(target: &str, run: fn(&[u8]) -> Result<(), BrokenProperty>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} panics", path.display());
        if let Ok(Err(broken)) = outcome {
            panic!("{target}: {}: {broken}", path.display());
        }
        count += 1;
    }
    assert!(count > 0, "{target}: the corpus is empty");
    println!("{target}: replayed {count} corpus inputs");
}

#[test]
fn package_import_corpus() {
    replay("package_import", |data| {
        robustness::package_import(data);
        Ok(())
    });
}

#[test]
fn canonical_json_corpus() {
    replay("canonical_json", robustness::canonical_json);
}

#[test]
fn chain_verify_corpus() {
    replay("chain_verify", robustness::chain_verify);
}

#[test]
fn bundle_zip_verify_corpus() {
    replay("bundle_zip_verify", |data| {
        robustness::bundle_zip_verify(data);
        Ok(())
    });
}
