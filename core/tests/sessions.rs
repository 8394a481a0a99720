//! Stored envelopes and share links written by released sandboxes (`fixtures/sessions/`): version 1
//! (before actors were bound) is migrated, says so and keeps its story; version 2 opens to the same
//! sessions and writes the same bytes.
// This test reads its fixtures from disk; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::panic)]

use closeout_core::json::{self, Value};
use closeout_core::snapshot::Snapshot;
use closeout_core::{share, status_json, stored};

const SESSIONS: [&str; 2] = ["accepted-risk-worked", "blocked-run"];

fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/sessions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .trim_end()
        .to_string()
}

fn expected(name: &str) -> Value {
    json::parse(&fixture("expected-digests.json"))
        .unwrap()
        .get(name)
        .cloned()
        .unwrap()
}

/// The same fields the fixtures' `expected-digests.json` was written with.
fn digests(snapshot: &Snapshot) -> Value {
    let session = &snapshot.session;
    let statuses = session
        .statuses()
        .iter()
        .map(status_json::status_value)
        .collect();
    Value::object([
        ("scenario", Value::from(session.scenario.name.as_str())),
        ("head_digest", Value::from(session.head_digest())),
        ("entries", Value::from(session.log().entries().len())),
        (
            "chain_digest",
            Value::from(json::digest(
                &session.log().to_chain_value(session.release_record_ref()),
            )),
        ),
        ("inputs_digest", Value::from(json::digest(session.inputs()))),
        ("actions", Value::from(session.history().len())),
        ("statuses", Value::Array(statuses)),
        ("clock", Value::from(snapshot.clock.isoformat())),
        ("role", Value::from(snapshot.role.id())),
    ])
}

/// Reads a fixture, or writes it when `CLOSEOUT_UPDATE_FIXTURES=1` (only by hand, when a format changes
/// on purpose; the written file is then reviewed and committed).
fn golden(name: &str, made: &str) -> String {
    if std::env::var("CLOSEOUT_UPDATE_FIXTURES").as_deref() == Ok("1") {
        let path = format!(
            "{}/tests/fixtures/sessions/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::write(&path, format!("{made}\n")).unwrap();
    }
    fixture(name)
}

/// What a migration keeps of a version 1 session: scenario, clock, role and where each step stands (its
/// status; a blocked step's reason is in today's words).
fn kept(expected: &Value) -> Value {
    let mut kept = Value::object(
        ["scenario", "clock", "role"]
            .map(|key| (key, expected.get(key).cloned().unwrap_or(Value::Null))),
    );
    let statuses = expected
        .get("statuses")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|status| Value::from(status.str_at("status")))
        .collect();
    kept.set("statuses", Value::Array(statuses));
    kept
}

#[test]
fn released_version_1_envelopes_are_migrated_say_so_and_keep_their_story() {
    for name in SESSIONS {
        let text = fixture(&format!("{name}.stored-v1.json"));
        let (snapshot, note) =
            stored::load_reporting(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(kept(&digests(&snapshot)), kept(&expected(name)), "{name}");
        let note = note.unwrap_or_else(|| panic!("{name}: a migration must say so"));
        assert!(note.contains("before records named who acted"), "{note}");
        // Every entry of the rebuilt chain names its actor, and the chain verifies as format 2.
        let chain = snapshot
            .session
            .log()
            .to_chain_value(snapshot.session.release_record_ref());
        let report = closeout_core::evidence::verify_chain(&chain).unwrap();
        assert_eq!(report.format, closeout_core::evidence::ChainFormat::V2);
        // Saved again it is a version 2 envelope that loads back without a note, byte for byte.
        let saved = stored::save(&snapshot);
        assert!(saved.contains("\"version\":2"));
        let (again, note) = stored::load_reporting(&saved).unwrap();
        assert_eq!(note, None);
        assert_eq!(stored::save(&again), saved);
        assert_eq!(golden(&format!("{name}.stored-v2.json"), &saved), saved);
    }
}

#[test]
fn released_version_1_share_links_open_migrated_and_encode_as_version_2() {
    for name in SESSIONS {
        let link = fixture(&format!("{name}.share-v1.txt"));
        let snapshot = share::decode(&format!("#{link}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(kept(&digests(&snapshot)), kept(&expected(name)), "{name}");
        let again = share::encode(&snapshot);
        assert!(again.starts_with("share=2."), "{name}");
        assert_eq!(golden(&format!("{name}.share-v2.txt"), &again), again);
    }
}

/// The records, actions, statuses, clock and role of a snapshot: what an envelope and a link share. (An
/// envelope also keeps the scenario document it was started from, which a link names by its name; a
/// version 1 envelope's document is the older built-in one, with `decided_by` among its inputs.)
fn same_session(a: &Snapshot, b: &Snapshot) -> bool {
    a.session.log() == b.session.log()
        && a.session.history() == b.session.history()
        && a.session.statuses() == b.session.statuses()
        && (a.clock, a.role) == (b.clock, b.role)
}

#[test]
fn version_2_envelopes_and_links_open_to_the_same_sessions() {
    for name in SESSIONS {
        let stored = stored::load(&fixture(&format!("{name}.stored-v2.json"))).unwrap();
        let shared = share::decode(&fixture(&format!("{name}.share-v2.txt"))).unwrap();
        assert!(
            same_session(&stored, &shared),
            "{name}: the envelope and the link differ"
        );
        assert!(share::can_share(&stored.session));
        // And a version 1 envelope and link migrate to that very session.
        let migrated = stored::load(&fixture(&format!("{name}.stored-v1.json"))).unwrap();
        let migrated_link = share::decode(&fixture(&format!("{name}.share-v1.txt"))).unwrap();
        assert!(
            migrated == stored,
            "{name}: migration differs from the version 2 fixture"
        );
        assert!(
            same_session(&migrated_link, &stored),
            "{name}: the migrated link differs"
        );
    }
}
