//! The trial walkthrough for trainees: a lesson and a task per step, checked from the session itself,
//! and the trial success checklist, ticked by what the trainee actually did or opened.

use crate::flow::Session;
use crate::guard::check_text;
use crate::guide::step_guide;
use crate::json::{self, strings, Value};
use crate::record::RecordKind;
use crate::states::{CloseoutState, RetentionDecisionState, SignatureState};
use crate::time::Timestamp;
use std::collections::BTreeSet;

/// The task of each step, as the trainee reads it.
pub const TASKS: [&str; 10] = [
    "Run step 1 as the release manager and read the evidence index in its record.",
    "Run step 2 with the external signature reference, so the manifest is signed.",
    "Run step 3: close the summary and deliver it; note which provider failed.",
    "Approve the retention review as the release manager (step 4).",
    "Produce the closeout artifact bundle for the auditor (step 5).",
    "Run retention health (step 6) and read its findings.",
    "Send the retention alerts as the platform owner (step 7).",
    "Plan the retry of the failed delivery as the platform owner (step 8).",
    "Dry-run the retry worker (step 9) before anyone tries a live run.",
    "Record the final decision with its accepted risk (step 10).",
];

/// What the trainee has opened and written, kept between visits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Steps whose panel the trainee opened.
    pub viewed_steps: BTreeSet<u8>,
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
                        .map(|s| Value::from(u32::from(*s)))
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
        // Inserted one by one: collecting into a set sorts first, and a sort of `u8`s was one more
        // copy of the standard library's sort in the app's first load.
        let mut viewed_steps = BTreeSet::new();
        for step in list("viewed_steps")
            .iter()
            .filter_map(Value::as_i64)
            .filter_map(|n| u8::try_from(n).ok())
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

/// Whether each step's task is done, read from the session's records.
pub fn tasks_done(session: &Session) -> [bool; 10] {
    let has = |kind| latest(session, kind).is_some();
    let review_by_manager =
        latest(session, RecordKind::RetentionDecision).is_some_and(|decision| {
            RetentionDecisionState::parse(decision.str_at("decision_state"))
                == Some(RetentionDecisionState::Approved)
                && session
                    .log()
                    .by_id(decision.str_at("review_id"))
                    .is_some_and(|r| r.record.str_at("requested_by") == "release-manager")
        });
    [
        has(RecordKind::ReadinessBundle),
        latest(session, RecordKind::ArchiveManifest).is_some_and(|m| {
            SignatureState::parse(m.str_at("signature_state"))
                == Some(SignatureState::ExternalSignatureAttached)
        }),
        latest(session, RecordKind::CloseoutSummary).is_some_and(|s| {
            CloseoutState::parse(s.str_at("closeout_state")) == Some(CloseoutState::Closed)
        }) && session
            .log()
            .all(RecordKind::ConnectorDelivery, session.release_record_ref())
            .any(|d| d.record.get("summary_id").is_some()),
        review_by_manager,
        has(RecordKind::ArtifactBundle),
        has(RecordKind::RetentionHealth),
        has(RecordKind::AlertPlan),
        has(RecordKind::RetryPlan),
        session
            .log()
            .all(RecordKind::WorkerRun, session.release_record_ref())
            .any(|run| run.record.get("dry_run").and_then(Value::as_bool) == Some(true)),
        has(RecordKind::FinalDecision),
    ]
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
    let tasks = tasks_done(session);
    let boundary_panels = progress
        .viewed_steps
        .iter()
        .filter(|s| step_guide(**s).is_some_and(|g| g.boundary.is_some()))
        .count();
    let item = |id, label, done| CheckItem { id, label, done };
    vec![
        item("evidence", "The evidence recorded before closeout", tasks[0] && progress.viewed_steps.contains(&1)),
        item("public-safe", "Which artifacts are public-safe", tasks[4] && progress.opened.contains("files")),
        item("enterprise", "Which controls need Enterprise or an operator-owned system", boundary_panels >= 3),
        item(
            "health-retry",
            "Retention health and retry evidence reviewed",
            tasks[5] && tasks[7] && progress.viewed_steps.contains(&6) && progress.viewed_steps.contains(&8),
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
                TASKS
                    .iter()
                    .zip(tasks)
                    .map(|(task, done)| {
                        Value::object([("task", Value::from(*task)), ("done", Value::from(done))])
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
        progress.viewed_steps.extend([1, 2, 3, 6, 8, 9]);
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
            .set_mapping("token xoxb-1234567890-abcdefghijkl")
            .is_err());
        assert_eq!(
            summary(&session, &progress, now).str_at("decision"),
            "ready_with_accepted_risk"
        );
    }
}
