//! Canonical JSON and digests against CPython: the shared fixture vectors and our own, made by
//! `tests/fixtures/make-python-vectors.py`.
// This test reads its fixtures from disk; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_methods, clippy::panic)]

use closeout_core::json::{canonical_string, digest, parse, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    parse(&text).unwrap_or_else(|e| panic!("parse {path}: {e}"))
}

#[test]
fn shared_canonical_vectors_match_cpython() {
    let vectors = fixture("canonical-vectors.json");
    let vectors = vectors.as_array().unwrap();
    assert_eq!(vectors.len(), 8);
    for vector in vectors {
        let name = vector.str_at("name");
        let value = vector.get("value").unwrap();
        assert_eq!(
            canonical_string(value),
            vector.str_at("canonical"),
            "{name}"
        );
        let sha = digest(value);
        assert_eq!(sha, vector.str_at("sha256"), "{name}");
        if let Some(id) = vector.get("id").and_then(Value::as_str) {
            let prefix = id.rsplit_once('-').unwrap().0;
            assert_eq!(format!("{prefix}-{}", &sha[..16]), id, "{name}");
        }
    }
}

#[test]
fn every_escape_and_float_form_matches_cpython() {
    let vectors = fixture("python-vectors.json");
    let vectors = vectors.as_array().unwrap();
    assert!(vectors.len() >= 50);
    for vector in vectors {
        let text = vector.str_at("text");
        let value = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(
            canonical_string(&value),
            vector.str_at("canonical"),
            "input {text}"
        );
        assert_eq!(digest(&value), vector.str_at("sha256"), "input {text}");
    }
}
