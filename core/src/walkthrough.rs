//! The trial walkthrough for trainees: a lesson and a task per step, checked from the session itself,
//! and the trial success checklist, ticked by what the trainee actually did or opened.

use crate::flow::Session;
use crate::guard::check_text;
use crate::guide::step_guide;
use crate::json::{self, strings, Value};
use crate::record::{field, RecordKind};
use crate::states::{CloseoutState, RetentionDecisionState, SignatureState};
use crate::steps::StepId;
use crate::time::Timestamp;
use std::collections::BTreeSet;

/// The task of a step, as the trainee reads it.
pub fn task(step: StepId) -> &'static str {
    match step {
        StepId::ReadinessBundle => {
            "Run step 1 as the release manager and read the evidence index in its record."
        }
        StepId::ArchiveManifest => {
            "Run step 2 with the external signature reference, so the manifest is signed."
        }
        StepId::CloseoutSummary => {
            "Run step 3: close the summary and deliver it; note which provider failed."
        }
        StepId::RetentionReview => "Request the retention review as the release manager, then approve it as the security architect (step 4).",
        StepId::ArtifactBundle => "Produce the closeout artifact bundle for the auditor (step 5).",
        StepId::RetentionHealth => "Run retention health (step 6) and read its findings.",
        StepId::RetentionAlerts => "Send the retention alerts as the platform owner (step 7).",
        StepId::RetryPlan => {
            "Plan the retry of the failed delivery as the platform owner (step 8)."
        }
        StepId::RetryWorker => "Dry-run the retry worker (step 9) before anyone tries a live run.",
        StepId::FinalDecision => "Record the final decision with its accepted risk (step 10).",
    }
}

/// What the trainee has opened and written, kept between visits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Steps whose panel the trainee opened.
    pub viewed_steps: BTreeSet<StepId>,
    /// Parts of the page the trainee opened: `files`, `not-included`.
    pub opened: BTreeSet<String>,
    /// How the closeout package maps to the trainee's own release or audit process.
    pub mapping: String,
}

/// The storage format of [`Progress`].
pub const PROGRESS_FORMAT: &str = "closeout-sandbox.walkthrough.v1";

impl Progress {
    pub fn to_text(&self) -> String {
        json::compact_string(&Value::object([
            ("format", Value::from(PROGRESS_FORMAT)),
            (
                "viewed_steps",
                Value::Array(
                    self.viewed_steps
                        .iter()
                        .map(|s| Value::from(u32::from(s.number())))
                        .collect(),
                ),
            ),
            ("opened", strings(&self.opened)),
            ("mapping", Value::from(self.mapping.as_str())),
        ]))
    }

    /// Reads saved progress; anything unreadable starts over (progress is convenience, not evidence).
    pub fn from_text(text: &str) -> Progress {
        let Ok(value) = json::parse(text) else {
            return Progress::default();
        };
        if value.str_at("format") != PROGRESS_FORMAT {
            return Progress::default();
        }
        let list = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_array)
                .unwrap_or_default()
                .to_vec()
        };
        // Inserted one by one: collecting into a set sorts first, and a sort of steps was one more
        // copy of the standard library's sort in the app's first load. A number that names no step
        // is dropped.
        let mut viewed_steps = BTreeSet::new();
        for step in list("viewed_steps")
            .iter()
            .filter_map(Value::as_i64)
            .filter_map(|n| u8::try_from(n).ok())
            .filter_map(StepId::from_number)
        {
            viewed_steps.insert(step);
        }
        Progress {
            viewed_steps,
            opened: list("opened")
                .iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect(),
            mapping: value.str_at("mapping").to_string(),
        }
    }

    /// Sets the mapping text after the public-safe guard.
    pub fn set_mapping(&mut self, text: &str) -> Result<(), String> {
        check_text(text, "$.mapping").map_err(|e| e.to_string())?;
        self.mapping = text.to_string();
        Ok(())
    }
}

fn latest(session: &Session, kind: RecordKind) -> Option<&Value> {
    session
        .log()
        .latest(kind, session.release_record_ref())
        .map(|e| &e.record)
}

/// Whether a step's task is done, read from the session's records.
pub fn task_done(session: &Session, step: StepId) -> bool {
    let has = |kind| latest(session, kind).is_some();
    match step {
        StepId::ReadinessBundle => has(RecordKind::ReadinessBundle),
        StepId::ArchiveManifest => latest(session, RecordKind::ArchiveManifest).is_some_and(|m| {
            SignatureState::parse(m.str_at(field::SIGNATURE_STATE))
                == Some(SignatureState::ExternalSignatureAttached)
        }),
        StepId::CloseoutSummary => {
            latest(session, RecordKind::CloseoutSummary).is_some_and(|s| {
                CloseoutState::parse(s.str_at(field::CLOSEOUT_STATE)) == Some(CloseoutState::Closed)
            }) && session
                .log()
                .all(RecordKind::ConnectorDelivery, session.release_record_ref())
                .any(|d| d.record.get(field::SUMMARY_ID).is_some())
        }
        StepId::RetentionReview => {
            latest(session, RecordKind::RetentionDecision).is_some_and(|decision| {
                RetentionDecisionState::parse(decision.str_at(field::DECISION_STATE))
                    == Some(RetentionDecisionState::Approved)
                    && session
                        .log()
                        .by_id(decision.str_at(field::REVIEW_ID))
                        .is_some_and(|r| r.actor_role == crate::roles::Role::ReleaseManager)
            })
        }
        StepId::ArtifactBundle => has(RecordKind::ArtifactBundle),
        StepId::RetentionHealth => has(RecordKind::RetentionHealth),
        StepId::RetentionAlerts => has(RecordKind::AlertPlan),
        StepId::RetryPlan => has(RecordKind::RetryPlan),
        StepId::RetryWorker => session
            .log()
            .all(RecordKind::WorkerRun, session.release_record_ref())
            .any(|run| run.record.get(field::DRY_RUN).and_then(Value::as_bool) == Some(true)),
        StepId::FinalDecision => has(RecordKind::FinalDecision),
    }
}

/// Whether each step's task is done, steps 1 to 10.
pub fn tasks_done(session: &Session) -> [bool; 10] {
    StepId::ALL.map(|step| task_done(session, step))
}

/// One item of the trial success checklist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckItem {
    pub id: &'static str,
    pub label: &'static str,
    pub done: bool,
}

/// The trial success checklist.
pub fn checklist(session: &Session, progress: &Progress) -> Vec<CheckItem> {
    let done = |step| task_done(session, step);
    let viewed = |step| progress.viewed_steps.contains(&step);
    let boundary_panels = progress
        .viewed_steps
        .iter()
        .filter(|s| step_guide(**s).boundary.is_some())
        .count();
    let item = |id, label, done| CheckItem { id, label, done };
    vec![
        item("evidence", "The evidence recorded before closeout", done(StepId::ReadinessBundle) && viewed(StepId::ReadinessBundle)),
        item("public-safe", "Which artifacts are public-safe", done(StepId::ArtifactBundle) && progress.opened.contains("files")),
        item("enterprise", "Which controls need Enterprise or an operator-owned system", boundary_panels >= 3),
        item(
            "health-retry",
            "Retention health and retry evidence reviewed",
            done(StepId::RetentionHealth)
                && done(StepId::RetryPlan)
                && viewed(StepId::RetentionHealth)
                && viewed(StepId::RetryPlan),
        ),
        item("mapped", "The closeout package mapped to your own release or audit process", progress.mapping.trim().chars().count() >= 20),
        item(
            "not-included",
            "What the public project does not contain (live connectors, licence checks, archive writes, customer templates)",
            progress.opened.contains("not-included"),
        ),
    ]
}

/// The downloadable summary of a finished walkthrough.
pub fn summary(session: &Session, progress: &Progress, now: Timestamp) -> Value {
    let tasks = tasks_done(session);
    Value::object([
        (
            "format",
            Value::from("closeout-sandbox.walkthrough-summary.v1"),
        ),
        ("scenario", Value::from(session.scenario.name.as_str())),
        (
            "release_record_ref",
            Value::from(session.release_record_ref()),
        ),
        ("completed_at", Value::from(now.isoformat())),
        ("decision", Value::from(session.decision(now).state.code())),
        ("evidence_head_digest", Value::from(session.head_digest())),
        (
            "tasks",
            Value::Array(
                StepId::ALL
                    .into_iter()
                    .zip(tasks)
                    .map(|(step, done)| {
                        Value::object([
                            ("task", Value::from(task(step))),
                            ("done", Value::from(done)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "checklist",
            Value::Array(
                checklist(session, progress)
                    .into_iter()
                    .map(|c| {
                        Value::object([
                            ("item", Value::from(c.label)),
                            ("done", Value::from(c.done)),
                        ])
                    })
                    .collect(),
            ),
        ),
        ("mapping", Value::from(progress.mapping.as_str())),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;

    #[test]
    fn tasks_follow_the_session_and_the_checklist_follows_the_trainee() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        assert_eq!(tasks_done(&session), [false; 10]);
        session.run_remaining(now);
        assert_eq!(tasks_done(&session), [true; 10]);
        let mut progress = Progress::default();
        assert!(checklist(&session, &progress).iter().all(|c| !c.done));
        progress.viewed_steps.extend([
            StepId::ReadinessBundle,
            StepId::ArchiveManifest,
            StepId::CloseoutSummary,
            StepId::RetentionHealth,
            StepId::RetryPlan,
            StepId::RetryWorker,
        ]);
        progress
            .opened
            .extend(["files".to_string(), "not-included".to_string()]);
        progress
            .set_mapping("Maps to our CAB release ticket and the SOX audit folder.")
            .unwrap();
        assert!(
            checklist(&session, &progress).iter().all(|c| c.done),
            "{:?}",
            checklist(&session, &progress)
        );
        assert_eq!(Progress::from_text(&progress.to_text()), progress);
        assert!(progress
            .to_text()
            .contains(r#""viewed_steps":[1,2,3,6,8,9]"#));
        assert!(progress
            .set_mapping("token xoxb-1234567890-abcdefghijkl")
            .is_err());
        assert_eq!(
            summary(&session, &progress, now).str_at("decision"),
            "ready_with_accepted_risk"
        );
    }

    #[test]
    fn saved_progress_keeps_only_numbers_that_name_a_step() {
        let text = format!(
            r#"{{"format":"{PROGRESS_FORMAT}","viewed_steps":[3,0,11,300,-1,1,3],"opened":[],"mapping":""}}"#
        );
        let progress = Progress::from_text(&text);
        assert_eq!(
            progress.viewed_steps.into_iter().collect::<Vec<_>>(),
            vec![StepId::ReadinessBundle, StepId::CloseoutSummary]
        );
    }
}
