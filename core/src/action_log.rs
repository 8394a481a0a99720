//! The action log: a session's [`Action`]s as JSON, in a versioned encoding of its own.
//!
//! Two formats carry it: the storage envelope (`stored`) keeps the full log, every input included, and
//! share links (`share`) keep the compact log, where a run's input is left out when replay already
//! knows it. Each format names the [`ActionEncoding`] it carries, so changing how one of them writes
//! actions (shorter links, say) is a new encoding that format opts into with a version of its own,
//! never a silent change to what the other one saves.

use crate::flow::inputs::{self, AcceptedRisk};
use crate::flow::{Action, Session, StepError};
use crate::guard::{check_value, UnsafeValue};
use crate::input::{Fields, InputError};
use crate::json::Value;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::StepId;
use std::fmt;

/// A version of the action encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionEncoding {
    /// Each action an object: `{"a": "run", "step", "role", "at", "input"}`, `{"a": "remaining",
    /// "at"}` or `{"a": "input", "step", "input"}`; times in Python's `isoformat()`. Written before
    /// actors were bound: a run of step 4 was the request and its decision in one, and a live run of
    /// step 9 carried a typed approver. Read by migrating each action to what it now takes (a step 4 run
    /// becomes the release manager's request and the security architect's decision; a live step 9 run
    /// becomes the release manager's approval and the platform owner's run); never written.
    V1,
    /// Version 1's objects with version 2's meaning (a run is one role's act at a step), plus
    /// `{"a": "risk", "role", "at", "risk"}` (an accepted risk recorded, `null` withdrawn) and
    /// `{"a": "attest", "role", "at"}`.
    V2,
}

impl ActionEncoding {
    /// Every encoding this build reads, oldest first.
    pub const ALL: [ActionEncoding; 2] = [ActionEncoding::V1, ActionEncoding::V2];

    /// The encoding's number, as formats record it.
    pub fn version(self) -> u32 {
        match self {
            ActionEncoding::V1 => 1,
            ActionEncoding::V2 => 2,
        }
    }

    /// The encoding with this number, if this build knows it.
    pub fn from_version(version: u32) -> Option<ActionEncoding> {
        Self::ALL.into_iter().find(|e| e.version() == version)
    }
}

/// Why a compact action log could not be replayed. The session it was replayed on is dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// A value in the log fails the public-safe guard.
    Unsafe(UnsafeValue),
    /// The log is not a JSON array.
    NotAList,
    /// An action is not one this encoding writes; the path names it.
    Invalid(InputError),
    /// An action that was recorded as done cannot be done again on this scenario.
    Step { index: usize, error: StepError },
}

impl fmt::Display for ReplayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplayError::Unsafe(error) => write!(f, "{error}"),
            ReplayError::NotAList => write!(f, "the history is not a list"),
            ReplayError::Invalid(error) => write!(f, "{error}"),
            ReplayError::Step { index, error } => write!(f, "action {index}: {error}"),
        }
    }
}

impl std::error::Error for ReplayError {}

/// The full log: every action with every input (what storage keeps).
/// Only the current encoding is written; older ones are read and migrated.
pub fn to_value(actions: &[Action]) -> Value {
    Value::Array(
        actions
            .iter()
            .map(|action| action_value(action, true))
            .collect(),
    )
}

/// Reads a full log as [`to_value`] wrote it; `path` names the log in errors (`$.history`).
pub fn from_value(
    encoding: ActionEncoding,
    value: &Value,
    path: &str,
) -> Result<Vec<Action>, InputError> {
    let items = value.as_array().ok_or_else(|| InputError {
        path: path.into(),
        problem: "must be an array".into(),
    })?;
    let mut actions = Vec::new();
    for (index, item) in items.iter().enumerate() {
        actions.extend(action_from(
            encoding,
            item,
            &format!("{path}[{index}]"),
            |_| None,
        )?);
    }
    Ok(actions)
}

/// The compact log (what a link carries): a run's input is left out when it equals the session's
/// input at that point, which replay knows; that keeps links short.
pub fn to_compact_value(scenario: &Scenario, actions: &[Action]) -> Value {
    let mut session = Session::start(scenario.clone());
    let mut out = Vec::new();
    for action in actions {
        let keep_input = match action {
            Action::Run { step, input, .. } => *input != session.input_for(*step),
            _ => true,
        };
        out.push(action_value(action, keep_input));
        // Keep the reference session in step so omitted inputs mean the same thing on replay.
        let _ = session.apply(action);
    }
    Value::Array(out)
}

/// Replays a compact (or full) log on a fresh session of the scenario, after the public-safe guard;
/// `path` names the log in errors (`$.history`).
pub fn replay_compact(
    encoding: ActionEncoding,
    scenario: &Scenario,
    value: &Value,
    path: &str,
) -> Result<Session, ReplayError> {
    check_value(value, path).map_err(ReplayError::Unsafe)?;
    let items = value.as_array().ok_or(ReplayError::NotAList)?;
    let mut session = Session::start(scenario.clone());
    for (index, item) in items.iter().enumerate() {
        let item_path = format!("{path}[{index}]");
        let actions = action_from(encoding, item, &item_path, |step| {
            Some(session.input_for(step))
        })
        .map_err(ReplayError::Invalid)?;
        for action in &actions {
            session
                .apply(action)
                .map_err(|error| ReplayError::Step { index, error })?;
        }
    }
    Ok(session)
}

/// Whether a session's log accounts for its records, so replaying it rebuilds the session. A session
/// saved before the log was kept has records beyond the upstream evidence and no actions.
pub fn accounts_for_records(session: &Session) -> bool {
    !session.history().is_empty()
        || session
            .log()
            .entries()
            .iter()
            .all(|entry| entry.kind.is_upstream())
}

fn action_value(action: &Action, with_input: bool) -> Value {
    match action {
        Action::Run {
            step,
            role,
            input,
            at,
        } => {
            let mut item = Value::object([
                ("a", Value::from("run")),
                ("step", Value::from(u32::from(step.number()))),
                ("role", Value::from(role.id())),
                ("at", Value::from(at.isoformat())),
            ]);
            if with_input {
                item.set("input", input.clone());
            }
            item
        }
        Action::RunRemaining { at } => Value::object([
            ("a", Value::from("remaining")),
            ("at", Value::from(at.isoformat())),
        ]),
        Action::SetInput { step, input } => Value::object([
            ("a", Value::from("input")),
            ("step", Value::from(u32::from(step.number()))),
            ("input", input.clone()),
        ]),
        Action::RecordRisk { role, risk, at } => Value::object([
            ("a", Value::from("risk")),
            ("role", Value::from(role.id())),
            ("at", Value::from(at.isoformat())),
            (
                "risk",
                risk.as_ref().map_or(Value::Null, AcceptedRisk::to_value),
            ),
        ]),
        Action::Attest { role, at } => Value::object([
            ("a", Value::from("attest")),
            ("role", Value::from(role.id())),
            ("at", Value::from(at.isoformat())),
        ]),
    }
}

/// Reads one action in `encoding`; a version 1 action is migrated to the actions it now takes.
fn action_from(
    encoding: ActionEncoding,
    item: &Value,
    path: &str,
    default_input: impl FnOnce(StepId) -> Option<Value>,
) -> Result<Vec<Action>, InputError> {
    let fields = Fields::new(item, path)?;
    let kinds: &[&str] = match encoding {
        ActionEncoding::V1 => &["run", "remaining", "input"],
        ActionEncoding::V2 => &["run", "remaining", "input", "risk", "attest"],
    };
    let role_of = |key: &str| {
        fields.str(key).and_then(|id| {
            Role::from_id(id).ok_or_else(|| fields.error(key, "is not one of the five roles"))
        })
    };
    match fields.choice("a", kinds)? {
        "risk" => {
            let risk = match fields.raw("risk") {
                None | Some(Value::Null) => None,
                Some(risk) => Some(inputs::accepted_risk(&Fields::new(
                    risk,
                    &format!("{path}.risk"),
                )?)?),
            };
            return Ok(vec![Action::RecordRisk {
                role: role_of("role")?,
                risk,
                at: fields.time("at")?,
            }]);
        }
        "attest" => {
            return Ok(vec![Action::Attest {
                role: role_of("role")?,
                at: fields.time("at")?,
            }])
        }
        _ => {}
    }
    let action = v1_action_from(item, path, default_input)?;
    Ok(match (encoding, action) {
        // Version 1's step 4 run was the request and the decision in one act.
        (
            ActionEncoding::V1,
            Action::Run {
                step: StepId::RetentionReview,
                role,
                input,
                at,
            },
        ) => vec![
            Action::Run {
                step: StepId::RetentionReview,
                role,
                input: input.clone(),
                at,
            },
            Action::Run {
                step: StepId::RetentionReview,
                role: Role::SecurityArchitect,
                input,
                at,
            },
        ],
        // Version 1's live step 9 run carried a typed approver; now it rests on an approval record.
        (
            ActionEncoding::V1,
            Action::Run {
                step: StepId::RetryWorker,
                role,
                input,
                at,
            },
        ) if input.get("dry_run").and_then(Value::as_bool) == Some(false) => vec![
            Action::Run {
                step: StepId::RetryWorker,
                role: Role::ReleaseManager,
                input: input.clone(),
                at,
            },
            Action::Run {
                step: StepId::RetryWorker,
                role,
                input,
                at,
            },
        ],
        (_, action) => vec![action],
    })
}

/// Reads one version 1 action; `default_input` gives a run's input when the JSON leaves it out.
fn v1_action_from(
    item: &Value,
    path: &str,
    default_input: impl FnOnce(StepId) -> Option<Value>,
) -> Result<Action, InputError> {
    let fields = Fields::new(item, path)?;
    // The one place an encoded step number becomes a step.
    let step_at = |key: &str| {
        StepId::from_number(fields.int(key, 1, 10)? as u8)
            .ok_or_else(|| fields.error(key, "is not one of the ten steps"))
    };
    Ok(match fields.choice("a", &["run", "remaining", "input"])? {
        "run" => {
            let step = step_at("step")?;
            let role = Role::from_id(fields.str("role")?)
                .ok_or_else(|| fields.error("role", "is not one of the five roles"))?;
            let input = match fields.raw("input") {
                Some(input) => input.clone(),
                None => default_input(step).ok_or_else(|| fields.error("input", "is missing"))?,
            };
            Action::Run {
                step,
                role,
                input,
                at: fields.time("at")?,
            }
        }
        "remaining" => Action::RunRemaining {
            at: fields.time("at")?,
        },
        _ => Action::SetInput {
            step: step_at("step")?,
            input: fields.present("input")?.clone(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    /// Every kind of action: runs with their own and with edited inputs, a saved input, the rest.
    fn worked() -> Session {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let start = scenario.generated_at;
        let mut session = Session::start(scenario);
        for step in [
            StepId::ReadinessBundle,
            StepId::ArchiveManifest,
            StepId::CloseoutSummary,
        ] {
            let input = session.input_for(step);
            session
                .run_step(
                    step,
                    step.owner(),
                    &input,
                    start.plus_minutes(i64::from(step.number())),
                )
                .unwrap();
        }
        let mut review = session.input_for(StepId::RetentionReview);
        review.set("notes", Value::from("Edited before running."));
        session
            .run_step(
                StepId::RetentionReview,
                Role::ReleaseManager,
                &review,
                start.plus_minutes(60),
            )
            .unwrap();
        let mut decision = session.input_for(StepId::FinalDecision);
        decision.set("audit_case_ref", Value::from("AUD-LOG"));
        session.set_input(StepId::FinalDecision, decision).unwrap();
        session.run_remaining(start.plus_days(1));
        session
    }

    #[test]
    fn encoding_numbers_round_trip_and_unknown_ones_are_not_guessed() {
        for encoding in ActionEncoding::ALL {
            assert_eq!(
                ActionEncoding::from_version(encoding.version()),
                Some(encoding)
            );
        }
        assert_eq!(ActionEncoding::V1.version(), 1);
        assert_eq!(ActionEncoding::from_version(0), None);
        assert_eq!(ActionEncoding::V2.version(), 2);
        assert_eq!(ActionEncoding::from_version(3), None);
    }

    #[test]
    fn the_full_log_reads_back_as_the_same_actions() {
        let session = worked();
        let value = to_value(session.history());
        let text = json::compact_string(&value);
        assert!(text.starts_with(r#"[{"a":"run","step":1,"role":"release-manager","at":"#));
        let read = from_value(ActionEncoding::V2, &value, "$.history").unwrap();
        assert_eq!(read, session.history());
    }

    #[test]
    fn a_version_1_log_is_migrated_to_the_acts_it_now_takes() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let at = scenario.generated_at;
        // Written before actors were bound: step 4 was one run of the release manager's, and a live
        // worker run carried a typed approver.
        let mut review = scenario.input_for("retention_review");
        review.set("decided_by", Value::from("anyone typed this"));
        let mut live = scenario.input_for("retry_worker");
        live.set("dry_run", Value::from(false));
        live.set("approved_by", Value::from("typed approver"));
        let mut log = Vec::new();
        for step in 1..=3 {
            log.push(format!(
                r#"{{"a":"run","step":{step},"role":"release-manager","at":"{}"}}"#,
                at.isoformat()
            ));
        }
        log.push(format!(
            r#"{{"a":"run","step":4,"role":"release-manager","at":"{}","input":{}}}"#,
            at.isoformat(),
            json::compact_string(&review)
        ));
        let v1 = json::parse(&format!("[{}]", log.join(","))).unwrap();
        let session = replay_compact(ActionEncoding::V1, &scenario, &v1, "$.history").unwrap();
        let decision = session
            .log()
            .latest(
                crate::record::RecordKind::RetentionDecision,
                session.release_record_ref(),
            )
            .unwrap();
        assert_eq!(decision.actor_role, Role::SecurityArchitect);
        assert_eq!(
            decision.record.str_at("decided_by"),
            "demo-security-architect"
        );
        assert_eq!(
            session.status(StepId::RetentionReview),
            &crate::flow::StepStatus::Done
        );
        // The migrated history is in version 2's terms: two acts at step 4.
        let roles: Vec<Role> = session
            .history()
            .iter()
            .filter_map(|a| match a {
                Action::Run {
                    step: StepId::RetentionReview,
                    role,
                    ..
                } => Some(*role),
                _ => None,
            })
            .collect();
        assert_eq!(roles, [Role::ReleaseManager, Role::SecurityArchitect]);
        let item = json::parse(&format!(
            r#"{{"a":"run","step":9,"role":"platform-owner","at":"{}","input":{}}}"#,
            at.isoformat(),
            json::compact_string(&live)
        ))
        .unwrap();
        let acts = action_from(ActionEncoding::V1, &item, "$", |_| None).unwrap();
        assert!(matches!(
            acts.as_slice(),
            [
                Action::Run {
                    role: Role::ReleaseManager,
                    ..
                },
                Action::Run {
                    role: Role::PlatformOwner,
                    ..
                }
            ]
        ));
    }

    #[test]
    fn the_compact_log_leaves_out_only_inputs_replay_knows_and_replays_to_the_same_records() {
        let session = worked();
        let compact = to_compact_value(&session.scenario, session.history());
        let items = compact.as_array().unwrap();
        // Steps 1-3 ran with their scenario inputs (left out); step 4 with edited notes (kept).
        assert!(items[..3].iter().all(|item| item.get("input").is_none()));
        assert!(items[3].get("input").is_some());
        assert_eq!(items[4].str_at("a"), "input");
        let replayed =
            replay_compact(ActionEncoding::V2, &session.scenario, &compact, "$.history").unwrap();
        assert_eq!(replayed.head_digest(), session.head_digest());
        assert_eq!(replayed.log().entries(), session.log().entries());
        assert_eq!(replayed.history(), session.history());
        // A full log replays too: every input is there.
        let full = to_value(session.history());
        let again =
            replay_compact(ActionEncoding::V2, &session.scenario, &full, "$.history").unwrap();
        assert_eq!(again.head_digest(), session.head_digest());
    }

    #[test]
    fn a_full_log_refuses_what_it_never_writes_and_names_the_path() {
        let refuse = |text: &str| {
            from_value(ActionEncoding::V1, &json::parse(text).unwrap(), "$.history").unwrap_err()
        };
        assert_eq!(refuse("{}").path, "$.history");
        assert_eq!(refuse("{}").problem, "must be an array");
        assert!(refuse(r#"[{"a":"fly"}]"#).path.starts_with("$.history[0]"));
        let no_input =
            refuse(r#"[{"a":"run","step":1,"role":"release-manager","at":"2026-05-31"}]"#);
        assert_eq!(no_input.path, "$.history[0].input");
        let bad_role =
            refuse(r#"[{"a":"run","step":1,"role":"intern","at":"2026-05-31","input":{}}]"#);
        assert_eq!(bad_role.path, "$.history[0].role");
        assert!(refuse(r#"[{"a":"input","step":11,"input":{}}]"#)
            .path
            .starts_with("$.history[0].step"));
    }

    #[test]
    fn a_compact_log_that_cannot_be_replayed_says_which_action() {
        let scenario = Scenario::built_in("ready").unwrap();
        let replay = |text: &str| {
            replay_compact(
                ActionEncoding::V1,
                &scenario,
                &json::parse(text).unwrap(),
                "$.history",
            )
            .unwrap_err()
        };
        assert_eq!(replay("{}"), ReplayError::NotAList);
        assert_eq!(replay("{}").to_string(), "the history is not a list");
        assert!(matches!(
            replay(r#"[{"a":"fly"}]"#),
            ReplayError::Invalid(_)
        ));
        // Step 2 before step 1: its prerequisite is missing.
        let out_of_order = replay(
            r#"[{"a":"run","step":2,"role":"release-manager","at":"2026-06-01T00:00:00Z"}]"#,
        );
        assert!(matches!(out_of_order, ReplayError::Step { index: 0, .. }));
        assert!(out_of_order.to_string().starts_with("action 0: step 2"));
        let token =
            r#"[{"a":"input","step":4,"input":{"notes":"xoxb-123456789012-abcdefABCDEF"}}]"#;
        assert!(matches!(replay(token), ReplayError::Unsafe(_)));
    }

    #[test]
    fn only_a_session_saved_before_the_log_was_kept_is_unaccounted_for() {
        let scenario = Scenario::built_in("ready").unwrap();
        let fresh = Session::start(scenario.clone());
        assert!(accounts_for_records(&fresh));
        assert!(accounts_for_records(&worked()));
        let mut ran = Session::start(scenario.clone());
        ran.run_remaining(scenario.generated_at);
        let legacy = Session::restore(
            scenario,
            ran.inputs().clone(),
            ran.log().clone(),
            ran.statuses().to_vec(),
            Vec::new(),
        );
        assert!(!accounts_for_records(&legacy));
    }
}
