//! The closeout flow: a session that runs the ten steps as roles with inputs at a time, appending every
//! record to the evidence log.

mod action;
mod alerts;
mod artifact;
pub mod connector;
mod delivery;
mod error;
pub mod form;
mod health;
pub mod inputs;
mod manifest;
mod readiness;
mod retention;
mod retry;
mod status;
mod summary;
mod upstream;

pub use action::Action;
pub use delivery::{
    closeout_deliveries, failed_deliveries, summary_delivery_state, FailedDelivery,
};
pub use error::StepError;
pub use status::{StepOutcome, StepStatus};

use crate::decision::{self, Decision};
use crate::evidence::{Entry, EvidenceLog, GENESIS};
use crate::input::Fields;
use crate::json::Value;
use crate::record::RecordKind;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::StepId;
use crate::time::Timestamp;
use error::require;

/// A closeout in progress: the scenario, the current inputs, the evidence log, each step's status and
/// the actions that made them.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub scenario: Scenario,
    inputs: Value,
    log: EvidenceLog,
    status: Vec<StepStatus>,
    history: Vec<Action>,
}

impl Session {
    /// Starts a session: seeds the scenario's upstream evidence at its `generated_at`.
    pub fn start(scenario: Scenario) -> Session {
        let mut log = EvidenceLog::new();
        upstream::seed_upstream(&mut log, &scenario);
        Session {
            inputs: scenario.inputs.clone(),
            scenario,
            log,
            status: vec![StepStatus::Pending; StepId::ALL.len()],
            history: Vec::new(),
        }
    }

    /// Rebuilds a session from a verified log and saved statuses and inputs (for storage).
    pub fn restore(
        scenario: Scenario,
        inputs: Value,
        log: EvidenceLog,
        status: Vec<StepStatus>,
        history: Vec<Action>,
    ) -> Session {
        let mut status = status;
        status.resize(StepId::ALL.len(), StepStatus::Pending);
        Session {
            scenario,
            inputs,
            log,
            status,
            history,
        }
    }

    /// What the user did, in order.
    pub fn history(&self) -> &[Action] {
        &self.history
    }

    /// Applies one action, as the user did it; a run that fails now is an error.
    pub fn apply(&mut self, action: &Action) -> Result<(), StepError> {
        match action {
            Action::Run {
                step,
                role,
                input,
                at,
            } => self.run_step(*step, *role, input, *at).map(drop),
            Action::RunRemaining { at } => {
                self.run_remaining(*at);
                Ok(())
            }
            Action::SetInput { step, input } => self.set_input(*step, input.clone()),
        }
    }

    pub fn release_record_ref(&self) -> &str {
        &self.scenario.release_record_ref
    }

    pub fn log(&self) -> &EvidenceLog {
        &self.log
    }

    /// Each step's status, steps 1 to 10.
    pub fn statuses(&self) -> &[StepStatus] {
        &self.status
    }

    /// Where one step stands.
    pub fn status(&self, step: StepId) -> &StepStatus {
        &self.status[step.index()]
    }

    /// The current inputs of every step.
    pub fn inputs(&self) -> &Value {
        &self.inputs
    }

    /// The current input of one step (the scenario's until the user runs it with another).
    pub fn input_for(&self, step: StepId) -> Value {
        step.input_key()
            .and_then(|key| self.inputs.get(key).cloned())
            .unwrap_or_else(|| Value::Object(Vec::new()))
    }

    /// Replaces a step's current input without running it, after checking it as the step would.
    pub fn set_input(&mut self, step: StepId, input: Value) -> Result<(), StepError> {
        let key = step.input_key().ok_or(StepError::NoInput(step))?;
        let path = format!("$.inputs.{key}");
        inputs::check(step, &Fields::new(&input, &path)?)?;
        self.inputs.set(key, input.clone());
        self.history.push(Action::SetInput { step, input });
        Ok(())
    }

    /// The latest record of each kind the step appends (the main one first), as its panel shows them:
    /// a connector delivery is step 3's when it delivers a summary and step 7's when it delivers an
    /// alert plan. Read from the log's kind index, newest first, so it costs the step's own records.
    pub fn step_records(&self, step: StepId) -> Vec<&Entry> {
        let reference = self.release_record_ref();
        step.records()
            .iter()
            .filter_map(|record| match record.linked_by {
                None => self.log.latest(record.kind, reference),
                Some(field) => self
                    .log
                    .all(record.kind, reference)
                    .rev()
                    .find(|entry| entry.record.get(field).is_some()),
            })
            .collect()
    }

    /// The digest of the last entry: the head of the chain.
    pub fn head_digest(&self) -> &str {
        self.log
            .entries()
            .last()
            .map_or(GENESIS, |e| e.entry_digest.as_str())
    }

    /// Runs one step as `role` with `input` at `now`. On success the step's records are appended and its
    /// input becomes the session's current input for it; on error nothing changes.
    pub fn run_step(
        &mut self,
        step: StepId,
        role: Role,
        input: &Value,
        now: Timestamp,
    ) -> Result<StepOutcome, StepError> {
        let outcome = self.run_step_unrecorded(step, role, input, now)?;
        self.history.push(Action::Run {
            step,
            role,
            input: input.clone(),
            at: now,
        });
        Ok(outcome)
    }

    fn run_step_unrecorded(
        &mut self,
        step: StepId,
        role: Role,
        input: &Value,
        now: Timestamp,
    ) -> Result<StepOutcome, StepError> {
        let owner = step.owner();
        if role != owner {
            return Err(StepError::WrongRole { step, owner, role });
        }
        let path = format!("$.inputs.{}", step.input_key().unwrap_or("step"));
        let fields = Fields::new(input, &path)?;
        let before = self.log.len();
        // The step appends straight to the log; if it fails part-way, what it appended is rolled back.
        // (Cloning the log per step made every step cost the whole log.)
        let blocked_reason =
            match append_step_records(&mut self.log, &self.scenario, step, role, &fields, now) {
                Ok(reason) => reason,
                Err(error) => {
                    self.log.roll_back_to(before);
                    return Err(error);
                }
            };
        if let Some(key) = step.input_key() {
            self.inputs.set(key, input.clone());
        }
        self.status[step.index()] = match &blocked_reason {
            Some(reason) => StepStatus::Blocked(reason.clone()),
            None => StepStatus::Done,
        };
        let record_ids = self.log.entries()[before..]
            .iter()
            .map(|e| e.id().to_string())
            .collect();
        Ok(StepOutcome {
            step,
            record_ids,
            blocked_reason,
        })
    }

    /// Runs every step not yet done, in order, as its owner with the session's inputs. A step that cannot
    /// run is marked blocked with its reason and the run goes on; step 10 always runs.
    pub fn run_remaining(
        &mut self,
        now: Timestamp,
    ) -> Vec<(StepId, Result<StepOutcome, StepError>)> {
        let mut results = Vec::new();
        for step in StepId::ALL {
            if *self.status(step) == StepStatus::Done && step != StepId::FinalDecision {
                continue;
            }
            let input = self.input_for(step);
            let result = self.run_step_unrecorded(step, step.owner(), &input, now);
            if let Err(error) = &result {
                self.status[step.index()] = StepStatus::Blocked(error.to_string());
            }
            results.push((step, result));
        }
        self.history.push(Action::RunRemaining { at: now });
        results
    }

    /// The release decision at `now`, from the latest records and the current accepted risk.
    pub fn decision(&self, now: Timestamp) -> Decision {
        let risk = Fields::new(
            &self.input_for(StepId::FinalDecision),
            "$.inputs.final_decision",
        )
        .and_then(|fields| inputs::final_decision(&fields))
        .ok()
        .and_then(|input| input.accepted_risk);
        decision::decide_log(
            &self.log,
            &self.scenario.release_record_ref,
            risk.as_ref(),
            now,
        )
    }
}

/// Appends one step's records to the log; `Some(reason)` when it ran but could not finish its job. On
/// an error, records it already appended stay in the log for the caller to roll back.
fn append_step_records(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    step: StepId,
    role: Role,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    Ok(match step {
        StepId::ReadinessBundle => readiness::readiness_bundle(log, scenario, now),
        StepId::ArchiveManifest => manifest::archive_manifest(log, scenario, fields, now)?,
        StepId::CloseoutSummary => summary::closeout_summary(log, scenario, fields, now)?,
        StepId::RetentionReview => retention::retention_review(log, scenario, role, fields, now)?,
        StepId::ArtifactBundle => artifact::artifact_bundle(log, scenario, now)?,
        StepId::RetentionHealth => health::retention_health(log, scenario, fields, now)?,
        StepId::RetentionAlerts => alerts::retention_alerts(log, scenario, fields, now)?,
        StepId::RetryPlan => retry::retry_plan(log, scenario, role, fields, now)?,
        StepId::RetryWorker => retry::retry_worker(log, scenario, role, fields, now)?,
        StepId::FinalDecision => {
            let input = inputs::final_decision(fields)?;
            let reference = &scenario.release_record_ref;
            let decision = decision::decide_log(log, reference, input.accepted_risk.as_ref(), now);
            let record = decision::final_decision_record(
                &decision,
                log,
                reference,
                &input.audit_case_ref,
                now,
            );
            log.append(RecordKind::FinalDecision, record);
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the app's step panel showed before the rule moved here: for each kind the step appends,
    /// the newest entry of the whole log of that kind and release, a connector delivery counting for
    /// step 3 when it names a summary and for step 7 when it names an alert plan.
    fn shown_by_scanning_the_log(session: &Session, step: StepId) -> Vec<&Entry> {
        let reference = session.release_record_ref();
        let belongs_to = |entry: &Entry| match (step.number(), entry.kind) {
            (3, RecordKind::ConnectorDelivery) => entry.record.get("summary_id").is_some(),
            (7, RecordKind::ConnectorDelivery) => entry.record.get("plan_id").is_some(),
            _ => true,
        };
        step.records()
            .iter()
            .filter_map(|record| {
                session.log().entries().iter().rev().find(|e| {
                    e.kind == record.kind
                        && e.record.str_at("release_record_ref") == reference
                        && belongs_to(e)
                })
            })
            .collect()
    }

    fn assert_same_records(session: &Session, when: &str) {
        for step in StepId::ALL {
            let found: Vec<usize> = session.step_records(step).iter().map(|e| e.seq).collect();
            let scanned: Vec<usize> = shown_by_scanning_the_log(session, step)
                .iter()
                .map(|e| e.seq)
                .collect();
            assert_eq!(found, scanned, "step {} {when}", step.number());
        }
    }

    #[test]
    fn a_step_shows_its_latest_records_as_a_scan_of_the_log_would() {
        for (name, _) in crate::scenario::BUILT_IN {
            let scenario = Scenario::built_in(name).unwrap();
            let now = scenario.generated_at;
            let mut session = Session::start(scenario);
            assert!(StepId::ALL
                .iter()
                .all(|step| session.step_records(*step).is_empty()));
            assert_same_records(&session, "before any step");
            session.run_remaining(now);
            assert_same_records(&session, &format!("after {name} ran"));
        }
        // A session that lived on: summaries redelivered, retries planned and run, alerts resent.
        let (session, _) = crate::synthetic::session(400).unwrap();
        assert_same_records(&session, "in a synthetic session");
    }

    #[test]
    fn deliveries_are_shown_with_the_step_that_made_them() {
        let scenario = Scenario::built_in("accepted-risk").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        let mut alerts = session.input_for(StepId::RetentionAlerts);
        alerts.set("force", Value::Bool(true));
        session.set_input(StepId::RetentionAlerts, alerts).unwrap();
        session.run_remaining(now);
        let kinds = |step| -> Vec<RecordKind> {
            session.step_records(step).iter().map(|e| e.kind).collect()
        };
        assert_eq!(
            kinds(StepId::CloseoutSummary),
            [RecordKind::CloseoutSummary, RecordKind::ConnectorDelivery]
        );
        assert_eq!(
            kinds(StepId::RetentionAlerts),
            [RecordKind::AlertPlan, RecordKind::ConnectorDelivery]
        );
        let summary = &session.step_records(StepId::CloseoutSummary)[1].record;
        let alert = &session.step_records(StepId::RetentionAlerts)[1].record;
        assert!(summary.get("summary_id").is_some() && summary.get("plan_id").is_none());
        assert!(alert.get("plan_id").is_some() && alert.get("summary_id").is_none());
    }

    #[test]
    fn an_input_for_a_step_that_takes_none_is_refused_by_name() {
        let mut session = Session::start(Scenario::built_in("ready").unwrap());
        let error = session
            .set_input(StepId::ArtifactBundle, Value::Object(Vec::new()))
            .unwrap_err();
        assert_eq!(error, StepError::NoInput(StepId::ArtifactBundle));
        assert_eq!(
            error.to_string(),
            "step 5 (Closeout artifact bundle) takes no input: it works from the records already in the evidence log"
        );
        assert!(session.history().is_empty());
        assert_eq!(
            session.input_for(StepId::ReadinessBundle),
            Value::Object(Vec::new())
        );
    }
}
