//! Demo mode for sales engineers: a talk track and discovery questions per step, a 30-minute plan,
//! and one-click presets that put the sandbox in the state a story needs.

use crate::flow::{Session, StepError};
use crate::json::Value;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::StepId;
use crate::stored::Snapshot;
use crate::time::Timestamp;

/// What to say at a step, and what to ask the prospect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TalkTrack {
    /// What the presenter says while the step runs.
    pub say: &'static str,
    /// Discovery questions for the prospect.
    pub ask: [&'static str; 2],
}

/// The talk track for a step.
pub fn talk_track(step: StepId) -> TalkTrack {
    let (say, ask) = match step {
        StepId::ReadinessBundle => ("Closeout starts from evidence you already have: approvals, the release record, the closure packet, archive references. Missing pieces become named blockers, not surprises at audit time.", ["Where does your release evidence live today?", "Who chases missing approvals before a release closes?"]),
        StepId::ArchiveManifest => ("The manifest pins the bundle's hash and records who signs it with which external key. Keys never enter the sandbox: paste one and it is refused.", ["Who owns signing keys for release artefacts?", "Do auditors ask how evidence was signed?"]),
        StepId::CloseoutSummary => ("The summary closes only when the bundle is ready and the manifest is signed for the same bundle. Delivery is its own record, so a failed webhook never rewrites history.", ["Where should closeout summaries land: SIEM, ticketing, chat?", "What happens today when a delivery fails silently?"]),
        StepId::RetentionReview => ("Retention is a decision with an owner and an external reference, and it must lie in the future. No approval, no artifact bundle.", ["How long must release evidence be kept, and who decides?", "Is any of your evidence under legal hold?"]),
        StepId::ArtifactBundle => ("The auditor gets one bundle: summary, readiness bundle and manifest, each with its sha256. Download it and verify it offline with the closeout CLI.", ["How do auditors receive release evidence now?", "How long does an evidence request take to answer?"]),
        StepId::RetentionHealth => ("Health checks retention per bundle. Move the clock forward a year and watch it go critical: that is the moment to escalate.", ["Who is told when retention is about to lapse?", "What is the cost of evidence expiring early?"]),
        StepId::RetentionAlerts => ("Alerts go out only when something is wrong, or when forced; a healthy report records that nothing needed sending.", ["Which channel gets operational alerts?", "How do you avoid alert fatigue?"]),
        StepId::RetryPlan => ("Every failed delivery gets a decision: retry, wait or suppress. Attempts count real delivery calls, so a first failure is retryable.", ["Who owns redelivery when a connector fails?", "Do you have a retry policy written down?"]),
        StepId::RetryWorker => ("A dry run shows what would be retried; a live run is refused until a dry run of the same plan exists. In Community the live path is simulated; real connectors are Enterprise.", ["Would you allow automated redelivery in production?", "Who approves live retries?"]),
        StepId::FinalDecision => ("The decision names every blocking and warning code, the ten criteria and the records behind them. Accepted risk needs an owner, a reason and an expiry.", ["Who signs off a release with known risk?", "How would this decision feed your audit case?"]),
    };
    TalkTrack { say, ask }
}

/// The demo's sections and their planned minutes (30 in all).
pub const SECTIONS: [(&str, u32); 5] = [
    ("Why closeout evidence matters (steps 1-2)", 5),
    ("Closing and delivering (steps 3-5)", 8),
    ("Time travel: retention and health (steps 6-7)", 6),
    ("Failures and retries (steps 8-9)", 6),
    ("The decision and the edition boundary (step 10)", 5),
];

/// A one-click preset: the state a story needs, and the step the presenter opens on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    /// The id [`preset`] takes (and the page's `preset-<id>` button).
    pub id: &'static str,
    pub label: &'static str,
    /// The step whose panel opens once the preset is applied: where its story is told.
    pub first_step: StepId,
}

const fn preset_opening(id: &'static str, label: &'static str, first_step: StepId) -> Preset {
    Preset {
        id,
        label,
        first_step,
    }
}

/// The presets, in the order the presenter sees them.
pub const PRESETS: [Preset; 6] = [
    preset_opening("ready", "Scenario: ready", StepId::ReadinessBundle),
    preset_opening(
        "accepted-risk",
        "Scenario: accepted risk",
        StepId::ReadinessBundle,
    ),
    preset_opening("blocked", "Scenario: blocked", StepId::ReadinessBundle),
    preset_opening(
        "retention-expiry",
        "Time travel to retention expiry",
        StepId::ReadinessBundle,
    ),
    preset_opening(
        "alert-failed",
        "Alert delivery failed",
        StepId::ReadinessBundle,
    ),
    // The refusal is the story: open the retry worker, whose live run was refused.
    preset_opening(
        "live-before-dry-run",
        "Live retry attempted before a dry run",
        StepId::RetryWorker,
    ),
];

/// The step a preset opens on (the first step for an id that is not a preset).
pub fn first_step(preset_id: &str) -> StepId {
    PRESETS
        .iter()
        .find(|preset| preset.id == preset_id)
        .map_or(StepId::ReadinessBundle, |preset| preset.first_step)
}

/// `mm:ss`, as the presenter's timer shows a number of seconds.
pub fn clock_text(seconds: u32) -> String {
    format!("{:02}:{:02}", seconds / 60, seconds % 60)
}

/// How the demo is doing against the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pace {
    /// Over the current section's minutes, or over the plan's minutes up to the end of it.
    pub running_long: bool,
    /// What the timer says, for example `On time: 02:10 of 5 min in “…”`.
    pub text: String,
}

/// The pace at `elapsed` seconds into the demo, in section `section` (an index into [`SECTIONS`]; past
/// the end is the last section), which began at `section_started` seconds. The demo runs long when the
/// section has taken more than its minutes, or the whole demo more than the plan's minutes up to the
/// end of this section; the text then says by how much (the larger overrun).
pub fn pace(elapsed: u32, section: usize, section_started: u32) -> Pace {
    let section = section.min(SECTIONS.len() - 1);
    let (name, planned) = SECTIONS[section];
    let in_section = elapsed.saturating_sub(section_started);
    let planned_total: u32 = SECTIONS[..=section].iter().map(|(_, m)| m * 60).sum();
    let over_section = in_section.saturating_sub(planned * 60);
    let over_total = elapsed.saturating_sub(planned_total);
    let running_long = over_total > 0 || over_section > 0;
    let text = if running_long {
        format!(
            "Running long: {} over the plan for “{name}”",
            clock_text(over_section.max(over_total))
        )
    } else {
        format!(
            "On time: {} of {planned} min in “{name}”",
            clock_text(in_section)
        )
    };
    Pace { running_long, text }
}

/// The section after `section`, or `None` at the last one.
pub fn next_section(section: usize) -> Option<usize> {
    (section + 1 < SECTIONS.len()).then_some(section + 1)
}

fn start(name: &str) -> Result<(Session, Timestamp), String> {
    let scenario = Scenario::built_in(name).map_err(|e| e.to_string())?;
    let at = scenario.generated_at;
    Ok((Session::start(scenario), at))
}

/// Runs every step before `until`, each as its owner with the session's inputs.
fn run_steps_before(session: &mut Session, until: StepId, at: Timestamp) -> Result<(), StepError> {
    for step in StepId::ALL.into_iter().take_while(|step| *step != until) {
        let input = session.input_for(step);
        session.run_step_by_owners(step, &input, at)?;
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
            let health = session.input_for(StepId::RetentionHealth);
            session
                .run_step(
                    StepId::RetentionHealth,
                    Role::ReleaseManager,
                    &health,
                    expired,
                )
                .map_err(error)?;
            Ok((
                Snapshot { session, clock: expired, role: Role::ReleaseManager },
                "A year on: retention expired on 2027-05-31, health is critical and the release is blocked.".to_string(),
            ))
        }
        "alert-failed" => {
            let (mut session, at) = start("accepted-risk")?;
            let mut alerts = session.input_for(StepId::RetentionAlerts);
            alerts.set(
                "outcomes",
                Value::object([("webhook", Value::from("failed"))]),
            );
            session
                .set_input(StepId::RetentionAlerts, alerts)
                .map_err(error)?;
            session.run_remaining(at);
            Ok((
                Snapshot { session, clock: at, role: Role::PlatformOwner },
                "The retention alert could not be delivered: the decision is blocked and the release manager is escalated to.".to_string(),
            ))
        }
        "live-before-dry-run" => {
            let (mut session, at) = start("accepted-risk")?;
            run_steps_before(&mut session, StepId::RetryWorker, at).map_err(error)?;
            let mut live = session.input_for(StepId::RetryWorker);
            live.set("dry_run", Value::from(false));
            session
                .run_step(StepId::RetryWorker, Role::ReleaseManager, &live, at)
                .map_err(error)?;
            let refusal =
                match session.run_step(StepId::RetryWorker, Role::PlatformOwner, &live, at) {
                    Err(refused) => refused.to_string(),
                    Ok(_) => {
                        return Err("a live retry before a dry run ran; D-7 must refuse it".into())
                    }
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
        for step in StepId::ALL {
            let track = talk_track(step);
            assert!(!track.say.is_empty() && track.ask.iter().all(|q| q.ends_with('?')));
        }
        assert_eq!(SECTIONS.iter().map(|(_, m)| m).sum::<u32>(), 30);
    }

    #[test]
    fn each_preset_opens_on_the_step_of_its_story() {
        assert_eq!(first_step("live-before-dry-run"), StepId::RetryWorker);
        for id in [
            "ready",
            "accepted-risk",
            "blocked",
            "retention-expiry",
            "alert-failed",
            "not-a-preset",
        ] {
            assert_eq!(first_step(id), StepId::ReadinessBundle, "{id}");
        }
        let ids: Vec<&str> = PRESETS.iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [
                "ready",
                "accepted-risk",
                "blocked",
                "retention-expiry",
                "alert-failed",
                "live-before-dry-run"
            ]
        );
    }

    #[test]
    fn the_timer_is_on_time_within_the_plan() {
        assert_eq!(clock_text(0), "00:00");
        assert_eq!(clock_text(61), "01:01");
        assert_eq!(clock_text(1800), "30:00");
        assert_eq!(
            pace(0, 0, 0),
            Pace {
                running_long: false,
                text: "On time: 00:00 of 5 min in “Why closeout evidence matters (steps 1-2)”"
                    .into()
            }
        );
        // Exactly at the section's minutes is still on time.
        assert!(!pace(300, 0, 0).running_long);
        // The second section, begun early at 4:00: 5:30 in, within both its 8 and the plan's 13 minutes.
        assert_eq!(
            pace(570, 1, 240).text,
            "On time: 05:30 of 8 min in “Closing and delivering (steps 3-5)”"
        );
    }

    #[test]
    fn the_timer_runs_long_over_the_section_or_over_the_plan() {
        // Over the section: one second past its five minutes.
        assert_eq!(
            pace(301, 0, 0),
            Pace {
                running_long: true,
                text: "Running long: 00:01 over the plan for “Why closeout evidence matters (steps 1-2)”"
                    .into()
            }
        );
        // Over the plan but not the section: the second section began at 10:00, 4:00 ago, and the plan
        // had 13:00 for the first two sections; 14:00 is a minute over.
        let late = pace(840, 1, 600);
        assert!(late.running_long);
        assert_eq!(
            late.text,
            "Running long: 01:00 over the plan for “Closing and delivering (steps 3-5)”"
        );
        // Over both, 10:30 into an 8-minute section (2:30 over) and at 14:30 against the plan's 13:00
        // (1:30 over): the larger overrun shows.
        assert_eq!(
            pace(870, 1, 240).text,
            "Running long: 02:30 over the plan for “Closing and delivering (steps 3-5)”"
        );
        // Past the last section the last one's plan applies.
        let overtime = pace(1801, 9, 1500);
        assert!(overtime.running_long);
        assert!(overtime
            .text
            .contains("The decision and the edition boundary"));
    }

    #[test]
    fn the_sections_advance_to_the_last_and_stop() {
        assert_eq!(next_section(0), Some(1));
        assert_eq!(next_section(3), Some(4));
        assert_eq!(next_section(4), None);
        assert_eq!(next_section(9), None);
    }

    #[test]
    fn every_preset_sets_up_its_story() {
        for Preset { id, .. } in PRESETS {
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
                    assert_eq!(
                        snapshot.session.status(StepId::RetryWorker).code(),
                        "pending"
                    );
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
