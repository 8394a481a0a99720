//! Stored envelopes and share links written by the released sandbox (`fixtures/sessions/`, made before
//! the action encoding had its own module) still open to the same sessions, and writing them again
//! gives the same bytes: what browsers hold keeps loading exactly as before.
//!
//! A stored envelope keeps its evidence chain, so it opens to exactly the records it was saved with
//! (`expected-digests.json`). A share link keeps only the actions, which are replayed by today's steps,
//! so its chain is what today's steps write (`replayed-digests.json`): that file changes, deliberately,
//! whenever a step writes something new (issue 19: delivery events), and nothing else may change it.
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
    expected_in("expected-digests.json", name)
}

/// What a share link replays to with today's steps.
fn replayed(name: &str) -> Value {
    expected_in("replayed-digests.json", name)
}

fn expected_in(file: &str, name: &str) -> Value {
    json::parse(&fixture(file))
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

#[test]
fn released_stored_envelopes_load_to_the_same_sessions_and_save_to_the_same_bytes() {
    for name in SESSIONS {
        let text = fixture(&format!("{name}.stored-v1.json"));
        let snapshot = stored::load(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(digests(&snapshot), expected(name), "{name}");
        assert!(
            stored::save(&snapshot) == text,
            "{name}: saved again, the envelope differs"
        );
    }
}

#[test]
fn released_share_links_open_to_the_same_sessions_and_encode_to_the_same_links() {
    for name in SESSIONS {
        let link = fixture(&format!("{name}.share-v1.txt"));
        let snapshot = share::decode(&format!("#{link}")).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(digests(&snapshot), replayed(name), "{name}");
        assert_eq!(share::encode(&snapshot), link, "{name}");
    }
}

#[test]
fn a_stored_session_and_its_share_link_are_the_same_session() {
    for name in SESSIONS {
        let stored = stored::load(&fixture(&format!("{name}.stored-v1.json"))).unwrap();
        let shared = share::decode(&fixture(&format!("{name}.share-v1.txt"))).unwrap();
        // The same actions, inputs, statuses, clock and role; the chain is the one each keeps (see the
        // module's note), with the same kinds of record in the same order.
        let (a, b) = (&stored.session, &shared.session);
        assert!(a.scenario == b.scenario, "{name}: scenario");
        assert_eq!(a.inputs(), b.inputs(), "{name}: inputs");
        assert!(a.history() == b.history(), "{name}: actions");
        assert!(a.statuses() == b.statuses(), "{name}: statuses");
        assert_eq!(stored.clock, shared.clock, "{name}: clock");
        assert_eq!(stored.role, shared.role, "{name}: role");
        let kinds =
            |s: &Snapshot| -> Vec<_> { s.session.log().entries().iter().map(|e| e.kind).collect() };
        assert_eq!(kinds(&stored), kinds(&shared), "{name}: record kinds");
        assert!(share::can_share(&stored.session));
    }
}
