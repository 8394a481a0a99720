//! Replays the fuzz corpus (`core/fuzz/corpus/<target>/`) through the same entry points the fuzz targets
//! call, as ordinary tests: every input the fuzzer kept, and every crash it found once fixed, stays fixed.

use closeout_core::robustness;
use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} panics", path.display());
        count += 1;
    }
    assert!(count > 0, "{target}: the corpus is empty");
    println!("{target}: replayed {count} corpus inputs");
}

#[test]
fn package_import_corpus() {
    replay("package_import", robustness::package_import);
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
    replay("bundle_zip_verify", robustness::bundle_zip_verify);
}
