//! Share links: the scenario, what the user did and the clock (never the records), in a URL fragment
//! that is versioned and compact. Opening one replays the actions on the same scenario, which yields
//! the same records with the same digests. Nothing is sent anywhere: the fragment never leaves the
//! browser.

use crate::action_log::{self, ActionEncoding, ReplayError};
use crate::flow::Session;
use crate::input::{Fields, InputError};
use crate::json::{self, Value};
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::snapshot::Snapshot;
use base64::Engine;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::fmt;
use std::io::{Read, Write};

/// The link format this build writes and reads.
pub const SHARE_VERSION: u32 = 2;
/// The action encoding of a [`SHARE_VERSION`] link's `history` (compact: inputs replay knows are left
/// out). Shortening links is a new encoding and a new [`SHARE_VERSION`]; storage is not affected.
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

/// Whether a link made of this session would replay to it: not when it was saved before share links
/// existed (records beyond the upstream evidence, but no actions to replay).
pub fn can_share(session: &Session) -> bool {
    action_log::accounts_for_records(session)
}

/// The action encoding a link of this format carries (its `history`), if this build reads it.
fn history_encoding(link_version: u32) -> Option<ActionEncoding> {
    match link_version {
        // A version 1 link was made before actors were bound; its actions are migrated as they are read.
        1 => Some(ActionEncoding::V1),
        2 => Some(ActionEncoding::V2),
        _ => None,
    }
}

/// Replays a link's actions on a fresh session of the scenario.
fn replay(
    encoding: ActionEncoding,
    scenario: &Scenario,
    actions: &Value,
) -> Result<Session, ShareError> {
    action_log::replay_compact(encoding, scenario, actions, "$.history").map_err(
        |error| match error {
            ReplayError::Unsafe(_) | ReplayError::NotAList => {
                ShareError::Malformed(error.to_string())
            }
            ReplayError::Invalid(error) => ShareError::Invalid(error),
            ReplayError::Step { .. } => ShareError::Replay(error.to_string()),
        },
    )
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
            action_log::to_compact_value(&session.scenario, session.history()),
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
    let encoding = history_encoding(version)
        .ok_or_else(|| ShareError::Malformed(format!("unknown link format {version}")))?;
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
        encoding,
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
    use crate::steps::StepId;

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
        assert!(link.starts_with("share=2."));
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
        let newer = link.replacen("share=2.", "share=3.", 1);
        assert_eq!(decode(&newer).unwrap_err(), ShareError::NewerVersion(3));
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

    #[test]
    fn a_link_format_without_an_action_encoding_is_refused_not_guessed() {
        let link = encode(&worked_session());
        let older = link.replacen("share=2.", "share=0.", 1);
        assert_eq!(
            decode(&older).unwrap_err(),
            ShareError::Malformed("unknown link format 0".into())
        );
    }

    #[test]
    fn a_link_that_does_not_replay_says_which_action() {
        let payload = r#"{"scenario":"ready","clock":"2026-05-31T08:30:00+00:00","role":"auditor","history":[{"a":"run","step":2,"role":"release-manager","at":"2026-06-01T00:00:00Z"}]}"#;
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(payload.as_bytes()).unwrap();
        let data =
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(encoder.finish().unwrap());
        match decode(&format!("share=1.{data}")) {
            Err(ShareError::Replay(problem)) => assert!(problem.starts_with("action 0: step 2")),
            other => panic!("a link that cannot replay opened: {other:?}"),
        }
    }
}
