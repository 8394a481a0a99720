//! The stored form of a session: a versioned envelope with a digest, separate from the domain types.
//!
//! Only what cannot be recomputed is stored: the scenario document, the current inputs, the evidence
//! chain, each step's status, the clock and the role. Loading verifies the envelope's digest and the
//! whole chain, so corrupted or edited storage is never taken for a session. The actions that made the
//! session are kept as the full action log (`action_log`), in the encoding this envelope version
//! names.

use crate::action_log::{self, ActionEncoding};
use crate::evidence::{ChainError, EvidenceLog};
use crate::flow::Session;
use crate::json::{self, digest, Value};
use crate::roles::Role;
use crate::scenario::{Scenario, ScenarioError};
use crate::status_json;
use crate::time::Timestamp;
use std::fmt;

/// Stored sessions and share links carry the same session; the type lives in `snapshot`.
pub use crate::snapshot::Snapshot;

/// The envelope's `format`.
pub const FORMAT: &str = "closeout-sandbox.session";
/// The version this build writes. Older versions are migrated on load; newer ones are refused.
/// Version 2: a format 2 chain (entries name their actor, D-12) and version 2 actions.
pub const VERSION: i64 = 2;
/// The action encoding of a [`VERSION`] envelope's `history`. A new encoding here is a new
/// [`VERSION`], with a migration that rewrites older histories.
const HISTORY_ENCODING: ActionEncoding = ActionEncoding::V2;

/// Why stored data cannot be loaded. The raw data is never touched by loading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoredError {
    /// Not JSON, or not an envelope.
    Corrupted(String),
    /// Written by a newer version of the sandbox.
    NewerVersion(i64),
    /// The envelope's digest does not match its payload.
    DigestMismatch,
    /// The payload's evidence chain does not verify.
    Chain(ChainError),
    /// The stored scenario is not valid.
    Scenario(ScenarioError),
    /// An older session that cannot be brought up to this version; the problem says why.
    CannotMigrate(String),
}

impl fmt::Display for StoredError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoredError::Corrupted(problem) => write!(f, "the saved session is corrupted: {problem}"),
            StoredError::NewerVersion(version) => write!(
                f,
                "the saved session was written by a newer version of the sandbox (format version {version}; this one reads up to {VERSION})"
            ),
            StoredError::DigestMismatch => write!(f, "the saved session does not match its digest: it was changed outside the sandbox"),
            StoredError::Chain(error) => write!(f, "the saved evidence chain does not verify: {error}"),
            StoredError::Scenario(error) => write!(f, "the saved scenario is not valid: {error}"),
            StoredError::CannotMigrate(problem) => write!(f, "the saved session was written by an earlier version of the sandbox and cannot be brought up to this one: {problem}. Start a new session; the old one is left in storage untouched"),
        }
    }
}

impl std::error::Error for StoredError {}

/// The envelope text to store.
pub fn save(snapshot: &Snapshot) -> String {
    let session = &snapshot.session;
    let statuses: Vec<Value> = session
        .statuses()
        .iter()
        .map(status_json::status_value)
        .collect();
    let payload = Value::object([
        ("scenario", session.scenario.document.clone()),
        ("inputs", session.inputs().clone()),
        (
            "chain",
            session.log().to_chain_value(session.release_record_ref()),
        ),
        ("statuses", Value::Array(statuses)),
        ("clock", Value::from(snapshot.clock.isoformat())),
        ("role", Value::from(snapshot.role.id())),
        ("history", action_log::to_value(session.history())),
    ]);
    let envelope = Value::object([
        ("format", Value::from(FORMAT)),
        ("version", Value::from(VERSION)),
        ("digest", Value::from(digest(&payload))),
        ("payload", payload),
    ]);
    json::compact_string(&envelope)
}

/// Loads an envelope: checks format, version, digest, scenario and chain.
pub fn load(text: &str) -> Result<Snapshot, StoredError> {
    load_reporting(text).map(|(snapshot, _)| snapshot)
}

/// Loads an envelope as [`load`] does, with a sentence for the user when an older session was migrated.
pub fn load_reporting(text: &str) -> Result<(Snapshot, Option<String>), StoredError> {
    let envelope = json::parse(text).map_err(|e| StoredError::Corrupted(e.to_string()))?;
    if envelope.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(StoredError::Corrupted(format!(
            "it is not a {FORMAT} envelope"
        )));
    }
    let version = envelope
        .get("version")
        .and_then(Value::as_i64)
        .ok_or_else(|| StoredError::Corrupted("it has no version".into()))?;
    if version > VERSION {
        return Err(StoredError::NewerVersion(version));
    }
    let payload = envelope
        .get("payload")
        .ok_or_else(|| StoredError::Corrupted("it has no payload".into()))?;
    if envelope.get("digest").and_then(Value::as_str) != Some(digest(payload).as_str()) {
        return Err(StoredError::DigestMismatch);
    }
    match version {
        VERSION => {}
        1 => return migrate_v1(payload),
        other => {
            return Err(StoredError::Corrupted(format!(
                "unknown format version {other}"
            )))
        }
    }
    let scenario = Scenario::from_value(payload.get("scenario").cloned().unwrap_or(Value::Null))
        .map_err(StoredError::Scenario)?;
    let log = EvidenceLog::from_chain_value(payload.get("chain").unwrap_or(&Value::Null))
        .map_err(StoredError::Chain)?;
    let statuses = payload
        .get("statuses")
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(status_json::status_from_value)
        .collect();
    let inputs = payload
        .get("inputs")
        .cloned()
        .unwrap_or_else(|| scenario.inputs.clone());
    let clock = stored_clock(payload)?;
    let role = Role::from_id(payload.str_at("role")).unwrap_or(Role::ReleaseManager);
    // Sessions saved before share links have no history; they load, but cannot be shared.
    let history = match payload.get("history") {
        Some(value) => action_log::from_value(HISTORY_ENCODING, value, "$.history")
            .map_err(|e| StoredError::Corrupted(e.to_string()))?,
        None => Vec::new(),
    };
    Ok((
        Snapshot {
            session: Session::restore(scenario, inputs, log, statuses, history),
            clock,
            role,
        },
        None,
    ))
}

/// The payload's clock. One that is missing or cannot be read is damage to report, never a reason to
/// put the clock back at the scenario's start: that would quietly change the session the user saved.
fn stored_clock(payload: &Value) -> Result<Timestamp, StoredError> {
    let clock = payload
        .get("clock")
        .ok_or_else(|| StoredError::Corrupted("it has no clock".into()))?;
    let text = clock.as_str().ok_or_else(|| {
        StoredError::Corrupted(format!(
            "its clock {} is not a date or time",
            json::compact_string(clock)
        ))
    })?;
    Timestamp::read(text).map_err(|problem| {
        StoredError::Corrupted(format!("its clock {text:?} cannot be read: {problem}"))
    })
}

/// A version 1 session: its chain (format 1) is verified, then the session is rebuilt by replaying its
/// actions, migrated to what each now takes, on its scenario, so every record names who acted (D-12). The
/// stored chain cannot simply be carried over: its records say whatever was typed into `decided_by`.
fn migrate_v1(payload: &Value) -> Result<(Snapshot, Option<String>), StoredError> {
    let scenario = Scenario::from_value(payload.get("scenario").cloned().unwrap_or(Value::Null))
        .map_err(StoredError::Scenario)?;
    crate::evidence::verify_chain(payload.get("chain").unwrap_or(&Value::Null))
        .map_err(StoredError::Chain)?;
    let clock = stored_clock(payload)?;
    let role = Role::from_id(payload.str_at("role")).unwrap_or(Role::ReleaseManager);
    let history = payload.get("history").ok_or_else(|| {
        StoredError::CannotMigrate(
            "it was saved before the sandbox kept the actions that made it, so they cannot be replayed"
                .into(),
        )
    })?;
    let actions = action_log::from_value(ActionEncoding::V1, history, "$.history")
        .map_err(|e| StoredError::Corrupted(e.to_string()))?;
    let mut session = Session::start(scenario);
    for (index, action) in actions.iter().enumerate() {
        session.apply(action).map_err(|error| {
            StoredError::CannotMigrate(format!("action {index} no longer runs: {error}"))
        })?;
    }
    let note = format!(
        "Your saved session was written before records named who acted. It was rebuilt by replaying its {} action(s) under the current rules: every record now names the role that appended it, step 4's decision is the security architect's, and an accepted risk is a record of its own.",
        actions.len()
    );
    Ok((
        Snapshot {
            session,
            clock,
            role,
        },
        Some(note),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        Snapshot {
            session,
            clock: now.plus_days(1),
            role: Role::PlatformOwner,
        }
    }

    #[test]
    fn a_saved_session_loads_back_whole() {
        let original = snapshot();
        let loaded = load(&save(&original)).unwrap();
        assert!(
            loaded == original,
            "the loaded session differs from the saved one"
        );
    }

    #[test]
    fn corruption_newer_versions_and_edits_are_refused() {
        let text = save(&snapshot());
        assert!(matches!(load("{not json"), Err(StoredError::Corrupted(_))));
        assert!(matches!(load("{}"), Err(StoredError::Corrupted(_))));
        let newer = text.replacen("\"version\":2", "\"version\":3", 1);
        assert!(matches!(load(&newer), Err(StoredError::NewerVersion(3))));
        let edited = text.replacen("\"approved\"", "\"denied\"", 1);
        assert_ne!(edited, text);
        assert_eq!(load(&edited), Err(StoredError::DigestMismatch));
    }

    /// An envelope around `payload`, with its digest, as a build of `version` would write it.
    fn envelope(version: i64, payload: Value) -> String {
        json::compact_string(&Value::object([
            ("format", Value::from(FORMAT)),
            ("version", Value::from(version)),
            ("digest", Value::from(digest(&payload))),
            ("payload", payload),
        ]))
    }

    fn payload_of(text: &str) -> Value {
        json::parse(text).unwrap().get("payload").cloned().unwrap()
    }

    #[test]
    fn a_session_saved_before_share_links_loads_without_history_and_cannot_be_shared() {
        let original = snapshot();
        let mut payload = payload_of(&save(&original));
        assert!(payload.remove("history").is_some());
        let loaded = load(&envelope(VERSION, payload)).unwrap();
        assert!(loaded.session.history().is_empty());
        assert_eq!(loaded.session.log(), original.session.log());
        assert_eq!(loaded.session.statuses(), original.session.statuses());
        assert!(!crate::share::can_share(&loaded.session));
        assert!(crate::share::can_share(&original.session));
    }

    #[test]
    fn the_history_is_the_full_action_log_and_a_damaged_one_is_refused() {
        let original = snapshot();
        let payload = payload_of(&save(&original));
        assert_eq!(
            payload.get("history"),
            Some(&action_log::to_value(original.session.history()))
        );
        let mut damaged = payload;
        damaged.set("history", Value::object([("a", Value::from("run"))]));
        match load(&envelope(VERSION, damaged)) {
            Err(StoredError::Corrupted(problem)) => assert!(problem.contains("$.history")),
            other => panic!("a damaged history loaded: {other:?}"),
        }
    }

    #[test]
    fn an_envelope_version_with_no_migration_is_refused_not_reinterpreted() {
        let payload = payload_of(&save(&snapshot()));
        assert_eq!(
            load(&envelope(0, payload)),
            Err(StoredError::Corrupted("unknown format version 0".into()))
        );
    }

    #[test]
    fn a_clock_at_the_last_moment_a_timestamp_holds_loads_back_unchanged() {
        for last in ["9999-12-31T00:00:00Z", "9999-12-31T23:59:59Z"] {
            let mut original = snapshot();
            original
                .move_clock(crate::snapshot::ClockMove::ToChosen(last))
                .unwrap();
            let loaded = load(&save(&original)).unwrap();
            assert_eq!(loaded.clock, original.clock, "{last}");
            assert!(loaded == original, "{last}: the loaded session differs");
            assert_eq!(save(&loaded), save(&original));
        }
        let mut at_max = snapshot();
        at_max.clock = Timestamp::MAX;
        assert_eq!(load(&save(&at_max)).unwrap().clock, Timestamp::MAX);
    }

    #[test]
    fn a_clock_that_cannot_be_read_is_refused_not_reset_to_the_scenario_start() {
        let payload = payload_of(&save(&snapshot()));
        for (clock, problem) in [
            (
                Value::from("10000-01-01T00:00:00+00:00"),
                "its clock \"10000-01-01T00:00:00+00:00\" cannot be read: it is past 31 December 9999 (23:59:59 UTC), the last moment a record's timestamp can hold",
            ),
            (
                Value::from("tomorrow"),
                "its clock \"tomorrow\" cannot be read: it is not a date or time written as 2026-05-31 or 2026-05-31T08:30:00Z",
            ),
            (
                Value::from(20_260_531_i64),
                "its clock 20260531 is not a date or time",
            ),
        ] {
            let mut damaged = payload.clone();
            damaged.set("clock", clock);
            assert_eq!(
                load(&envelope(VERSION, damaged)),
                Err(StoredError::Corrupted(problem.into()))
            );
        }
        let mut missing = payload;
        assert!(missing.remove("clock").is_some());
        let refused = load(&envelope(VERSION, missing)).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "the saved session is corrupted: it has no clock"
        );
    }

    #[test]
    fn a_session_run_at_the_last_second_a_timestamp_holds_saves_and_loads_back() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let mut original = Snapshot::start(scenario);
        original
            .move_clock(crate::snapshot::ClockMove::ToChosen("9999-12-31T23:59:59Z"))
            .unwrap();
        original.session.run_remaining(original.clock);
        let statuses: Vec<_> = original
            .session
            .statuses()
            .iter()
            .map(|s| s.is_pending())
            .collect();
        assert_eq!(statuses, vec![false; 10], "every step ran");
        let loaded = load(&save(&original)).unwrap();
        assert!(loaded == original, "the loaded session differs");
    }
}
