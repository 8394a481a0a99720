//! Demo mode for sales engineers: a talk track and discovery questions per step, a 30-minute plan,
//! and one-click presets that put the sandbox in the state a story needs.

use crate::flow::{Session, StepError};
use crate::json::Value;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::stored::Snapshot;
use crate::time::Timestamp;

/// What to say at a step, and what to ask the prospect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TalkTrack {
    pub say: &'static str,
    pub ask: [&'static str; 2],
}

/// The talk track for step 1 to 10.
pub fn talk_track(step: u8) -> Option<TalkTrack> {
    let (say, ask) = match step {
        1 => ("Closeout starts from evidence you already have: approvals, the release record, the closure packet, archive references. Missing pieces become named blockers, not surprises at audit time.", ["Where does your release evidence live today?", "Who chases missing approvals before a release closes?"]),
        2 => ("The manifest pins the bundle's hash and records who signs it with which external key. Keys never enter the sandbox: paste one and it is refused.", ["Who owns signing keys for release artefacts?", "Do auditors ask how evidence was signed?"]),
        3 => ("The summary closes only when the bundle is ready and the manifest is signed for the same bundle. Delivery is its own record, so a failed webhook never rewrites history.", ["Where should closeout summaries land: SIEM, ticketing, chat?", "What happens today when a delivery fails silently?"]),
        4 => ("Retention is a decision with an owner and an external reference, and it must lie in the future. No approval, no artifact bundle.", ["How long must release evidence be kept, and who decides?", "Is any of your evidence under legal hold?"]),
        5 => ("The auditor gets one bundle: summary, readiness bundle and manifest, each with its sha256. Download it and verify it offline with the closeout CLI.", ["How do auditors receive release evidence now?", "How long does an evidence request take to answer?"]),
        6 => ("Health checks retention per bundle. Move the clock forward a year and watch it go critical: that is the moment to escalate.", ["Who is told when retention is about to lapse?", "What is the cost of evidence expiring early?"]),
        7 => ("Alerts go out only when something is wrong, or when forced; a healthy report records that nothing needed sending.", ["Which channel gets operational alerts?", "How do you avoid alert fatigue?"]),
        8 => ("Every failed delivery gets a decision: retry, wait or suppress. Attempts count real delivery calls, so a first failure is retryable.", ["Who owns redelivery when a connector fails?", "Do you have a retry policy written down?"]),
        9 => ("A dry run shows what would be retried; a live run is refused until a dry run of the same plan exists. In Community the live path is simulated; real connectors are Enterprise.", ["Would you allow automated redelivery in production?", "Who approves live retries?"]),
        10 => ("The decision names every blocking and warning code, the ten criteria and the records behind them. Accepted risk needs an owner, a reason and an expiry.", ["Who signs off a release with known risk?", "How would this decision feed your audit case?"]),
        _ => return None,
    };
    Some(TalkTrack { say, ask })
}

/// The demo's sections and their planned minutes (30 in all).
pub const SECTIONS: [(&str, u32); 5] = [
    ("Why closeout evidence matters (steps 1-2)", 5),
    ("Closing and delivering (steps 3-5)", 8),
    ("Time travel: retention and health (steps 6-7)", 6),
    ("Failures and retries (steps 8-9)", 6),
    ("The decision and the edition boundary (step 10)", 5),
];

/// The presets, by id, with their labels.
pub const PRESETS: [(&str, &str); 6] = [
    ("ready", "Scenario: ready"),
    ("accepted-risk", "Scenario: accepted risk"),
    ("blocked", "Scenario: blocked"),
    ("retention-expiry", "Time travel to retention expiry"),
    ("alert-failed", "Alert delivery failed"),
    (
        "live-before-dry-run",
        "Live retry attempted before a dry run",
    ),
];

fn start(name: &str) -> Result<(Session, Timestamp), String> {
    let scenario = Scenario::built_in(name).map_err(|e| e.to_string())?;
    let at = scenario.generated_at;
    Ok((Session::start(scenario), at))
}

fn run_steps(
    session: &mut Session,
    steps: std::ops::RangeInclusive<u8>,
    at: Timestamp,
) -> Result<(), StepError> {
    for step in steps {
        let owner = crate::steps::step(step)
            .ok_or(StepError::UnknownStep(step))?
            .owner;
        let input = session.input_for(step);
        session.run_step(step, owner, &input, at)?;
    }
    Ok(())
}

/// The state a preset sets up, and what to point at (for a preset that shows a refusal, its message).
pub fn preset(id: &str) -> Result<(Snapshot, String), String> {
    let error = |e: StepError| e.to_string();
    match id {
        "ready" | "accepted-risk" | "blocked" => {
            let (session, at) = start(id)?;
            Ok((
                Snapshot {
                    session,
                    clock: at,
                    role: Role::ReleaseManager,
                },
                format!("Fresh {id} scenario: run the steps with the prospect."),
            ))
        }
        "retention-expiry" => {
            let (mut session, at) = start("accepted-risk")?;
            session.run_remaining(at);
            let expired = Timestamp::parse("2027-06-01").ok_or("the expiry date does not parse")?;
            let health = session.input_for(6);
            session
                .run_step(6, Role::ReleaseManager, &health, expired)
                .map_err(error)?;
            Ok((
                Snapshot { session, clock: expired, role: Role::ReleaseManager },
                "A year on: retention expired on 2027-05-31, health is critical and the release is blocked.".to_string(),
            ))
        }
        "alert-failed" => {
            let (mut session, at) = start("accepted-risk")?;
            let mut alerts = session.input_for(7);
            alerts.set(
                "outcomes",
                Value::object([("webhook", Value::from("failed"))]),
            );
            session.set_input(7, alerts).map_err(error)?;
            session.run_remaining(at);
            Ok((
                Snapshot { session, clock: at, role: Role::PlatformOwner },
                "The retention alert could not be delivered: the decision is blocked and the release manager is escalated to.".to_string(),
            ))
        }
        "live-before-dry-run" => {
            let (mut session, at) = start("accepted-risk")?;
            run_steps(&mut session, 1..=8, at).map_err(error)?;
            let mut live = session.input_for(9);
            live.set("dry_run", Value::from(false));
            live.set(
                "approved_by",
                Value::from("release-manager approval CHG-DEMO"),
            );
            let refusal = match session.run_step(9, Role::PlatformOwner, &live, at) {
                Err(refused) => refused.to_string(),
                Ok(_) => return Err("a live retry before a dry run ran; D-7 must refuse it".into()),
            };
            Ok((
                Snapshot {
                    session,
                    clock: at,
                    role: Role::PlatformOwner,
                },
                format!("Live retry refused: {refusal}"),
            ))
        }
        other => Err(format!("no preset {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_talk_track_and_the_plan_is_thirty_minutes() {
        assert!((1..=10).all(|s| talk_track(s).is_some()));
        assert_eq!(SECTIONS.iter().map(|(_, m)| m).sum::<u32>(), 30);
    }

    #[test]
    fn every_preset_sets_up_its_story() {
        for (id, _) in PRESETS {
            let (snapshot, message) = preset(id).unwrap_or_else(|e| panic!("{id}: {e}"));
            let decision = snapshot.session.decision(snapshot.clock);
            match id {
                "retention-expiry" => assert!(
                    decision.blocking.contains(&"retention_expired"),
                    "{decision:?}"
                ),
                "alert-failed" => assert!(
                    decision.blocking.contains(&"alert_not_delivered"),
                    "{decision:?}"
                ),
                "live-before-dry-run" => {
                    assert!(message.contains("dry run"), "{message}");
                    assert_eq!(snapshot.session.statuses()[8].code(), "pending");
                }
                _ => assert!(snapshot
                    .session
                    .statuses()
                    .iter()
                    .all(|s| s.code() == "pending")),
            }
        }
        assert!(preset("nope").is_err());
    }
}
