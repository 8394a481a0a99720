//! The closeout flow: a session that runs the ten steps as roles with inputs at a time, appending every
//! record to the evidence log.

mod act;
mod action;
mod alerts;
mod artifact;
pub mod connector;
mod delivery;
mod error;
pub mod form;
pub mod governance;
mod health;
pub mod inputs;
mod manifest;
mod readiness;
mod remaining;
mod retention;
mod retry;
mod status;
mod summary;
mod upstream;

pub use act::{role_duties, who_does, Act};
pub use action::Action;
pub use delivery::{
    closeout_deliveries, failed_deliveries, summary_delivery_state, FailedDelivery,
};
pub use error::StepError;
pub use remaining::{ActRun, RemainingRun};
pub use status::{StepOutcome, StepStatus};

use crate::decision::{self, Decision};
use crate::evidence::{Entry, EvidenceLog, GENESIS};
use crate::input::Fields;
use crate::json::Value;
use crate::record::{field, RecordKind};
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
        let mut log = EvidenceLog::with_identities(scenario.identities.clone());
        // The release manager brings the upstream evidence into the closeout.
        log.set_actor(Role::ReleaseManager);
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
            Action::RecordRisk { role, risk, at } => {
                self.record_risk(*role, risk.as_ref(), *at).map(drop)
            }
            Action::Attest { role, at } => self.attest(*role, *at).map(drop),
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
        let act = Act::for_role(step, role).ok_or(StepError::WrongRole {
            step,
            owner: step.owner(),
            role,
        })?;
        let path = format!("$.inputs.{}", step.input_key().unwrap_or("step"));
        let fields = Fields::new(input, &path)?;
        let before = self.log.len();
        // Every record of this act names `role` as its actor (D-12); no input can say otherwise.
        self.log.set_actor(role);
        // The step appends straight to the log; if it fails part-way, what it appended is rolled back.
        // (Cloning the log per step made every step cost the whole log.)
        let blocked_reason =
            match append_act_records(&mut self.log, &self.scenario, step, act, &fields, now) {
                Ok(reason) => reason,
                Err(error) => {
                    self.log.roll_back_to(before);
                    return Err(error);
                }
            };
        if let Some(key) = step.input_key() {
            let kept = match act {
                // Each role's act keeps only its own fields of step 4's input, so what the release
                // manager typed into the decision never becomes the security architect's decision.
                Act::RequestReview | Act::DecideReview => {
                    let mut kept = self.input_for(step);
                    for field in act.fields() {
                        match input.get(field) {
                            Some(value) => kept.set(field, value.clone()),
                            None => {
                                kept.remove(field);
                            }
                        }
                    }
                    kept
                }
                _ => input.clone(),
            };
            self.inputs.set(key, kept);
        }
        let status = &mut self.status[step.index()];
        *status = match (act, &blocked_reason) {
            // An approval leaves the worker step where it stood: the platform owner runs it.
            (Act::ApproveRedelivery, _) => status.clone(),
            (Act::RequestReview, Some(reason)) => StepStatus::Waiting(reason.clone()),
            (_, Some(reason)) => StepStatus::Blocked(reason.clone()),
            (_, None) => StepStatus::Done,
        };
        let blocked_reason = match act {
            Act::RequestReview | Act::ApproveRedelivery => None,
            _ => blocked_reason,
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

    /// Runs a step's acts as their roles, in order, as "Run remaining steps" would (step 4: request,
    /// then decision; step 9 live: approval, then the run); each act is recorded as the role that did it.
    /// Returns the last act's outcome; on an error, the acts before it stay done.
    pub fn run_step_by_owners(
        &mut self,
        step: StepId,
        input: &Value,
        now: Timestamp,
    ) -> Result<StepOutcome, StepError> {
        let mut last = None;
        for &(role, act) in Act::of_step(step) {
            if self.act_needed(act, input) {
                last = Some(self.run_step(step, role, input, now)?);
            }
        }
        last.ok_or(StepError::Refused {
            step,
            reason: "there is nothing left to do at this step".into(),
        })
    }

    /// Runs every step not yet done, in order, each act as its role with the session's inputs (step 4:
    /// the release manager's request, then the security architect's decision; step 9 live: the release
    /// manager's approval, then the platform owner's run). A step that cannot run is marked blocked with
    /// its reason and the run goes on; step 10 always runs. What ran as whom is in the result.
    pub fn run_remaining(&mut self, now: Timestamp) -> RemainingRun {
        let mut acts = Vec::new();
        for step in StepId::ALL {
            if *self.status(step) == StepStatus::Done && step != StepId::FinalDecision {
                continue;
            }
            let input = self.input_for(step);
            for &(role, act) in Act::of_step(step) {
                if !self.act_needed(act, &input) {
                    continue;
                }
                let result = self.run_step_unrecorded(step, role, &input, now);
                let failed = result.is_err();
                if let Err(error) = &result {
                    self.status[step.index()] = StepStatus::Blocked(error.to_string());
                }
                acts.push(ActRun {
                    step,
                    role,
                    act,
                    result,
                });
                if failed {
                    break;
                }
            }
        }
        self.history.push(Action::RunRemaining { at: now });
        RemainingRun { acts }
    }

    /// Whether "Run remaining steps" does this act: a request already waiting is not made again, and a
    /// dry run (or a live run already approved) needs no approval.
    fn act_needed(&self, act: Act, input: &Value) -> bool {
        let reference = self.release_record_ref();
        match act {
            Act::RequestReview => {
                !matches!(self.status(StepId::RetentionReview), StepStatus::Waiting(_))
                    || retention::pending_request(&self.log, reference).is_none()
            }
            Act::ApproveRedelivery => {
                let live = input.get("dry_run").and_then(Value::as_bool) == Some(false);
                let plan = self.log.latest(RecordKind::RetryPlan, reference);
                live && plan.is_some_and(|plan| {
                    governance::approval_of(&self.log, reference, plan.id()).is_none()
                })
            }
            Act::Run | Act::DecideReview | Act::RunWorker => true,
        }
    }

    /// Records an accepted risk (`None`: withdraws the one in force) as `role` at `now` (D-14): the
    /// release manager's final acceptance of a residual risk, or the security architect's exception for
    /// a critical finding. Returns the new record's id, or `None` when it is already the one in force.
    pub fn record_risk(
        &mut self,
        role: Role,
        risk: Option<&inputs::AcceptedRisk>,
        now: Timestamp,
    ) -> Result<Option<String>, StepError> {
        if !crate::record::actors::appended_by(RecordKind::AcceptedRisk).contains(&role) {
            return Err(StepError::NotYourAct(format!(
                "An accepted risk is recorded by the release manager (final acceptance) or the security architect (an exception for a critical finding); you are acting as the {}. Choose one of those roles under Acting as.",
                role.noun()
            )));
        }
        self.log.set_actor(role);
        let id = governance::record_risk(&mut self.log, &self.scenario, risk, now);
        let mut input = self.input_for(StepId::FinalDecision);
        input.set(
            field::ACCEPTED_RISK,
            risk.map_or(Value::Null, inputs::AcceptedRisk::to_value),
        );
        self.inputs.set("final_decision", input);
        self.history.push(Action::RecordRisk {
            role,
            risk: risk.cloned(),
            at: now,
        });
        Ok(id)
    }

    /// The auditor verifies the chain as it stands and appends an attestation (head, count, ending,
    /// time, identity). Returns the attestation's id.
    pub fn attest(&mut self, role: Role, now: Timestamp) -> Result<String, StepError> {
        if role != Role::Auditor {
            return Err(StepError::NotYourAct(format!(
                "Only the auditor attests the chain; you are acting as the {}. Choose Auditor under Acting as.",
                role.noun()
            )));
        }
        self.log.set_actor(role);
        let id = governance::attest(&mut self.log, &self.scenario, now)?;
        self.history.push(Action::Attest { role, at: now });
        Ok(id)
    }

    /// The accepted risk in force: the latest `accepted_risk` record's, unless it was withdrawn.
    pub fn current_risk(&self) -> Option<(&Entry, inputs::AcceptedRisk)> {
        governance::current_risk(&self.log, self.release_record_ref())
    }

    /// Where a step stands at `now`, as the page, the report and the CLI show it: its stored status,
    /// except that a done step 10 whose recorded decision no longer holds is `stale` (D-15).
    pub fn shown_status(&self, step: StepId, now: Timestamp) -> StepStatus {
        if step != StepId::FinalDecision || *self.status(step) != StepStatus::Done {
            return self.status(step).clone();
        }
        self.shown_status_with(step, &self.decision(now))
    }

    /// [`Session::shown_status`] given the live decision, for a caller that already holds it (the page
    /// computes it once per clock move, for every view that shows it).
    pub fn shown_status_with(&self, step: StepId, live: &Decision) -> StepStatus {
        let status = self.status(step).clone();
        if step != StepId::FinalDecision || status != StepStatus::Done {
            return status;
        }
        let Some(recorded) = self
            .log
            .latest(RecordKind::FinalDecision, self.release_record_ref())
        else {
            return status;
        };
        let recorded_state = recorded.record.str_at(field::STATE);
        let same_codes = |key: &str, live_codes: &[&str]| {
            let recorded_codes = recorded.record.get(key).and_then(Value::as_array);
            recorded_codes
                .unwrap_or_default()
                .iter()
                .map(Value::as_str)
                .eq(live_codes.iter().map(|code| Some(*code)))
        };
        let recorded_risk = recorded
            .record
            .get(field::ACCEPTED_RISK_ID)
            .and_then(Value::as_str);
        let same = recorded_state == live.state.code()
            && same_codes(field::BLOCKING, &live.blocking)
            && same_codes(field::WARNINGS, &live.warnings)
            && recorded_risk == live.accepted_risk_id.as_deref();
        if same {
            return status;
        }
        let now = live.evaluated_at.isoformat();
        let reason = if recorded_state == live.state.code() {
            format!(
                "the recorded decision ({recorded_state}) rests on other codes or another accepted risk than the records give at {now}; run step 10 again to record the decision that holds now"
            )
        } else {
            let live_words = if live.blocking.is_empty() {
                live.state.code().to_string()
            } else {
                format!("{} ({})", live.state.code(), live.blocking.join(", "))
            };
            format!(
                "the recorded decision is {recorded_state}, but at {now} the records give {live_words}; run step 10 again to record the decision that holds now"
            )
        };
        StepStatus::Stale(reason)
    }

    /// Every step's [`Session::shown_status`] at `now`, steps 1 to 10.
    pub fn shown_statuses(&self, now: Timestamp) -> Vec<StepStatus> {
        StepId::ALL
            .iter()
            .map(|step| self.shown_status(*step, now))
            .collect()
    }

    /// The release decision at `now`, from the latest records and the accepted risk in force (the
    /// latest `accepted_risk` record, D-14).
    pub fn decision(&self, now: Timestamp) -> Decision {
        decision::decide_log(&self.log, &self.scenario.release_record_ref, now)
    }
}

/// Appends one act's records to the log; `Some(reason)` when it ran but could not finish its job (or,
/// for a request, whose decision it waits for). On an error, records it already appended stay in the
/// log for the caller to roll back.
fn append_act_records(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    step: StepId,
    act: Act,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    Ok(match (step, act) {
        (StepId::RetentionReview, Act::DecideReview) => {
            retention::decide_review(log, scenario, fields, now)?
        }
        (StepId::RetentionReview, _) => retention::request_review(log, scenario, fields, now)?,
        (StepId::RetryWorker, Act::ApproveRedelivery) => {
            governance::approve_redelivery(log, scenario, now)?
        }
        (StepId::ReadinessBundle, _) => readiness::readiness_bundle(log, scenario, now),
        (StepId::ArchiveManifest, _) => manifest::archive_manifest(log, scenario, fields, now)?,
        (StepId::CloseoutSummary, _) => summary::closeout_summary(log, scenario, fields, now)?,
        (StepId::ArtifactBundle, _) => artifact::artifact_bundle(log, scenario, now)?,
        (StepId::RetentionHealth, _) => health::retention_health(log, scenario, fields, now)?,
        (StepId::RetentionAlerts, _) => alerts::retention_alerts(log, scenario, fields, now)?,
        (StepId::RetryPlan, _) => retry::retry_plan(log, scenario, fields, now)?,
        (StepId::RetryWorker, _) => retry::retry_worker(log, scenario, fields, now)?,
        (StepId::FinalDecision, _) => {
            let input = inputs::final_decision(fields)?;
            let reference = &scenario.release_record_ref;
            // The risk the release manager submits with the decision is recorded first (D-14), so the
            // decision names an accepted-risk record, never a risk that lives only inside it.
            governance::record_risk(log, scenario, input.accepted_risk.as_ref(), now);
            let decision = decision::decide_log(log, reference, now);
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
