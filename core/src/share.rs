//! Share links: the scenario, what the user did and the clock (never the records), in a URL fragment
//! that is versioned and compact. Opening one replays the actions on the same scenario, which yields
//! the same records with the same digests. Nothing is sent anywhere: the fragment never leaves the
//! browser.

use crate::flow::{Action, Session};
use crate::guard::check_value;
use crate::input::{Fields, InputError};
use crate::json::{self, Value};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::StepId;
use crate::stored::Snapshot;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::fmt;
use std::io::{Read, Write};

/// The link format this build writes and reads.
pub const SHARE_VERSION: u32 = 1;
/// The fragment's prefix: `#share=1.<data>`.
pub const PREFIX: &str = "share=";
/// The largest replay a link may carry, once inflated.
const MAX_INFLATED: u64 = 1024 * 1024;

/// Why a link cannot be opened. The session in the page is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    NotALink,
    NewerVersion(u32),
    Malformed(String),
    Invalid(InputError),
    UnknownScenario(String),
    Replay(String),
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NotALink => write!(f, "this is not a Closeout Sandbox share link"),
            ShareError::NewerVersion(v) => write!(
                f,
                "this share link was made by a newer version of the sandbox (link format {v}; this one reads up to {SHARE_VERSION}); open it with that version"
            ),
            ShareError::Malformed(problem) => write!(f, "this share link is damaged: {problem}"),
            ShareError::Invalid(error) => write!(f, "this share link is not valid: {error}"),
            ShareError::UnknownScenario(name) => write!(f, "this share link names a scenario this sandbox does not have ({name:?})"),
            ShareError::Replay(problem) => write!(f, "this share link could not be replayed: {problem}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The actions as JSON, every input included (for storage).
pub fn actions_to_value(actions: &[Action]) -> Value {
    Value::Array(
        actions
            .iter()
            .map(|action| action_value(action, true))
            .collect(),
    )
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
    }
}

/// Reads actions as [`actions_to_value`] or [`compact_actions`] wrote them; `default_input` gives a
/// run's input when the JSON leaves it out.
fn action_from(
    item: &Value,
    path: &str,
    default_input: impl FnOnce(StepId) -> Option<Value>,
) -> Result<Action, InputError> {
    let fields = Fields::new(item, path)?;
    // The one place a link's step number becomes a step.
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

/// Reads stored actions (every input included).
pub fn actions_from_value(value: &Value) -> Result<Vec<Action>, InputError> {
    let items = value.as_array().ok_or_else(|| InputError {
        path: "$.history".into(),
        problem: "must be an array".into(),
    })?;
    items
        .iter()
        .enumerate()
        .map(|(index, item)| action_from(item, &format!("$.history[{index}]"), |_| None))
        .collect()
}

/// The actions as JSON for a link: a run's input is left out when it equals the session's input at
/// that point, which replay knows; that keeps links short.
fn compact_actions(scenario: &Scenario, actions: &[Action]) -> Value {
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

/// Replays actions (as a link carries them) on a fresh session of the scenario.
pub fn replay(scenario: &Scenario, actions: &Value) -> Result<Session, ShareError> {
    check_value(actions, "$.history").map_err(|e| ShareError::Malformed(e.to_string()))?;
    let items = actions
        .as_array()
        .ok_or_else(|| ShareError::Malformed("the history is not a list".into()))?;
    let mut session = Session::start(scenario.clone());
    for (index, item) in items.iter().enumerate() {
        let action = action_from(item, &format!("$.history[{index}]"), |step| {
            Some(session.input_for(step))
        })
        .map_err(ShareError::Invalid)?;
        session
            .apply(&action)
            .map_err(|e| ShareError::Replay(format!("action {index}: {e}")))?;
    }
    Ok(session)
}

/// The fragment (without `#`) that reopens this snapshot: `share=1.<base64url of deflated JSON>`.
pub fn encode(snapshot: &Snapshot) -> String {
    let session = &snapshot.session;
    let payload = Value::object([
        ("scenario", Value::from(session.scenario.name.as_str())),
        ("clock", Value::from(snapshot.clock.isoformat())),
        ("role", Value::from(snapshot.role.id())),
        (
            "history",
            compact_actions(&session.scenario, session.history()),
        ),
    ]);
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail.
    let _ = encoder.write_all(json::compact_string(&payload).as_bytes());
    let bytes = encoder.finish().unwrap_or_default();
    format!(
        "{PREFIX}{SHARE_VERSION}.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// Opens a fragment (with or without `#`): checks the version, inflates, validates and replays.
pub fn decode(fragment: &str) -> Result<Snapshot, ShareError> {
    let rest = fragment
        .trim_start_matches('#')
        .strip_prefix(PREFIX)
        .ok_or(ShareError::NotALink)?;
    let (version, data) = rest.split_once('.').ok_or(ShareError::NotALink)?;
    let version: u32 = version.parse().map_err(|_| ShareError::NotALink)?;
    if version > SHARE_VERSION {
        return Err(ShareError::NewerVersion(version));
    }
    if version != SHARE_VERSION {
        return Err(ShareError::Malformed(format!(
            "unknown link format {version}"
        )));
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| ShareError::Malformed("it is cut short or changed (not base64url)".into()))?;
    let mut inflated = Vec::new();
    DeflateDecoder::new(bytes.as_slice())
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut inflated)
        .map_err(|_| {
            ShareError::Malformed("it is cut short or changed (does not inflate)".into())
        })?;
    if inflated.len() as u64 > MAX_INFLATED {
        return Err(ShareError::Malformed("it is too large".into()));
    }
    let payload = json::parse_bytes(&inflated).map_err(|e| ShareError::Malformed(e.to_string()))?;
    let fields = Fields::new(&payload, "$").map_err(ShareError::Invalid)?;
    let name = fields.str("scenario").map_err(ShareError::Invalid)?;
    let scenario =
        Scenario::built_in(name).map_err(|_| ShareError::UnknownScenario(name.to_string()))?;
    let clock = fields.time("clock").map_err(ShareError::Invalid)?;
    let role = Role::from_id(fields.str("role").map_err(ShareError::Invalid)?)
        .ok_or_else(|| ShareError::Invalid(fields.error("role", "is not one of the five roles")))?;
    let session = replay(
        &scenario,
        fields.present("history").map_err(ShareError::Invalid)?,
    )?;
    Ok(Snapshot {
        session,
        clock,
        role,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn worked_session() -> Snapshot {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let start = scenario.generated_at;
        let mut session = Session::start(scenario);
        for step in [
            StepId::ReadinessBundle,
            StepId::ArchiveManifest,
            StepId::CloseoutSummary,
        ] {
            session
                .run_step(
                    step,
                    step.owner(),
                    &session.input_for(step),
                    start.plus_minutes(i64::from(step.number())),
                )
                .unwrap();
        }
        let mut review = session.input_for(StepId::RetentionReview);
        review.set(
            "notes",
            Value::from("Edited before running: kept in the link."),
        );
        session
            .run_step(
                StepId::RetentionReview,
                Role::ReleaseManager,
                &review,
                start.plus_days(1),
            )
            .unwrap();
        let mut decision = session.input_for(StepId::FinalDecision);
        decision.set("audit_case_ref", Value::from("AUD-SHARED"));
        session.set_input(StepId::FinalDecision, decision).unwrap();
        session.run_remaining(start.plus_days(2));
        Snapshot {
            session,
            clock: start.plus_days(3),
            role: Role::Auditor,
        }
    }

    #[test]
    fn a_link_replays_to_the_same_records_and_digests() {
        let original = worked_session();
        let link = encode(&original);
        assert!(link.starts_with("share=1."));
        assert!(link.len() < 1500, "the link is {} characters", link.len());
        let opened = decode(&format!("#{link}")).unwrap();
        assert_eq!(opened.session.head_digest(), original.session.head_digest());
        assert_eq!(
            opened.session.log().entries(),
            original.session.log().entries()
        );
        assert_eq!(opened.session.statuses(), original.session.statuses());
        assert_eq!((opened.clock, opened.role), (original.clock, original.role));
    }

    #[test]
    fn newer_damaged_and_foreign_links_are_refused_clearly() {
        let link = encode(&worked_session());
        let newer = link.replacen("share=1.", "share=2.", 1);
        assert_eq!(decode(&newer).unwrap_err(), ShareError::NewerVersion(2));
        assert!(decode(&newer)
            .unwrap_err()
            .to_string()
            .contains("newer version"));
        assert_eq!(decode("#flow").unwrap_err(), ShareError::NotALink);
        let cut = &link[..link.len() / 2];
        assert!(matches!(decode(cut), Err(ShareError::Malformed(_))));
        assert!(matches!(
            decode("share=1.!!!"),
            Err(ShareError::Malformed(_))
        ));
    }
}
