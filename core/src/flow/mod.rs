//! The closeout flow: a session that runs the ten steps as roles with inputs at a time, appending every
//! record to the evidence log.

pub mod connector;
mod evidence_steps;
pub mod inputs;
mod operations;

pub use evidence_steps::closeout_deliveries;
pub use operations::{failed_deliveries, summary_delivery_state, FailedDelivery};

use crate::decision::{self, Decision};
use crate::evidence::{EvidenceLog, GENESIS};
use crate::input::{Fields, InputError};
use crate::json::Value;
use crate::record::RecordKind;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::{step, STEPS};
use crate::time::Timestamp;
use std::fmt;

/// The key of each step's input in a scenario's `inputs` and in a session (`None`: the step has none).
pub const INPUT_KEYS: [Option<&str>; 10] = [
    None,
    Some("signed_archive_manifest"),
    Some("closeout_summary"),
    Some("retention_review"),
    None,
    Some("retention_health"),
    Some("retention_alerts"),
    Some("retry_plan"),
    Some("retry_worker"),
    Some("final_decision"),
];

/// The latest record of a kind a step rests on, or the error that names what is missing.
fn require<'a>(
    log: &'a EvidenceLog,
    kind: RecordKind,
    reference: &str,
    step: u8,
    missing: &str,
) -> Result<&'a crate::evidence::Entry, StepError> {
    log.latest(kind, reference)
        .ok_or_else(|| StepError::MissingPrerequisite {
            step,
            missing: missing.to_string(),
        })
}

/// The kinds of record each step appends, the main one first (for showing a step's result).
pub fn step_record_kinds(number: u8) -> &'static [RecordKind] {
    match number {
        1 => &[RecordKind::ReadinessBundle],
        2 => &[RecordKind::ArchiveManifest],
        3 => &[RecordKind::CloseoutSummary, RecordKind::ConnectorDelivery],
        4 => &[RecordKind::RetentionReview, RecordKind::RetentionDecision],
        5 => &[RecordKind::ArtifactBundle],
        6 => &[RecordKind::RetentionHealth],
        7 => &[RecordKind::AlertPlan, RecordKind::ConnectorDelivery],
        8 => &[RecordKind::RetryPlan],
        9 => &[RecordKind::WorkerRun, RecordKind::Execution],
        10 => &[RecordKind::FinalDecision],
        _ => &[],
    }
}

/// Where a step stands in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Done,
    /// It could not run, or ran and could not finish its job; the reason says why.
    Blocked(String),
}

impl StepStatus {
    /// `pending`, `done` or `blocked`.
    pub fn code(&self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Done => "done",
            StepStatus::Blocked(_) => "blocked",
        }
    }

    /// Whether the step has not run yet.
    pub fn is_pending(&self) -> bool {
        matches!(self, StepStatus::Pending)
    }
}

/// Why a step did not run. Nothing was appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    UnknownStep(u8),
    /// The step belongs to another role.
    WrongRole {
        step: u8,
        owner: Role,
        role: Role,
    },
    /// Something the step rests on is not there yet.
    MissingPrerequisite {
        step: u8,
        missing: String,
    },
    /// An input is wrong; the path names it.
    Input(InputError),
    /// The step refuses on a rule (D-7, D-11).
    Refused {
        step: u8,
        reason: String,
    },
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = |n: &u8| step(*n).map_or("?", |s| s.name);
        match self {
            StepError::UnknownStep(n) => {
                write!(f, "there is no step {n}; steps are numbered 1 to 10")
            }
            StepError::WrongRole { step, owner, role } => write!(
                f,
                "step {step} ({}) is run by the {}; you are acting as the {}",
                name(step),
                owner.title(),
                role.title()
            ),
            StepError::MissingPrerequisite { step, missing } => {
                write!(f, "step {step} ({}) needs {missing} first", name(step))
            }
            StepError::Input(error) => write!(f, "input {error}"),
            StepError::Refused { step, reason } => {
                write!(f, "step {step} ({}) refused: {reason}", name(step))
            }
        }
    }
}

impl std::error::Error for StepError {}

impl From<InputError> for StepError {
    fn from(error: InputError) -> Self {
        StepError::Input(error)
    }
}

/// What a step appended: the records' ids, and a status note when it ran but could not finish its job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepOutcome {
    pub step: u8,
    pub record_ids: Vec<String>,
    pub blocked_reason: Option<String>,
}

/// Something the user did to a session. Replaying a session's actions on its scenario rebuilds it,
/// record for record (share links rest on this).
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A step run that succeeded.
    Run {
        step: u8,
        role: Role,
        input: Value,
        at: Timestamp,
    },
    /// "Run remaining steps".
    RunRemaining { at: Timestamp },
    /// An input saved without running its step (the accepted-risk form).
    SetInput { step: u8, input: Value },
}

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
        evidence_steps::seed_upstream(&mut log, &scenario);
        Session {
            inputs: scenario.inputs.clone(),
            scenario,
            log,
            status: vec![StepStatus::Pending; 10],
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
        status.resize(10, StepStatus::Pending);
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

    /// The current inputs of every step.
    pub fn inputs(&self) -> &Value {
        &self.inputs
    }

    /// The current input of one step (the scenario's until the user runs it with another).
    pub fn input_for(&self, number: u8) -> Value {
        INPUT_KEYS
            .get(usize::from(number).wrapping_sub(1))
            .copied()
            .flatten()
            .and_then(|key| self.inputs.get(key).cloned())
            .unwrap_or_else(|| Value::Object(Vec::new()))
    }

    /// Replaces a step's current input without running it, after checking it as the step would.
    pub fn set_input(&mut self, number: u8, input: Value) -> Result<(), StepError> {
        let key = INPUT_KEYS
            .get(usize::from(number).wrapping_sub(1))
            .copied()
            .flatten()
            .ok_or(StepError::UnknownStep(number))?;
        let path = format!("$.inputs.{key}");
        let fields = Fields::new(&input, &path)?;
        match number {
            2 => inputs::manifest(&fields).map(drop),
            3 => inputs::delivery(&fields).map(drop),
            4 => inputs::retention(&fields).map(drop),
            6 => inputs::expiry_warning_days(&fields).map(drop),
            7 => inputs::alerts(&fields).map(drop),
            8 => inputs::retry_policy(&fields).map(drop),
            9 => inputs::worker(&fields).map(drop),
            _ => inputs::final_decision(&fields).map(drop),
        }?;
        self.inputs.set(key, input.clone());
        self.history.push(Action::SetInput {
            step: number,
            input,
        });
        Ok(())
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
        number: u8,
        role: Role,
        input: &Value,
        now: Timestamp,
    ) -> Result<StepOutcome, StepError> {
        let outcome = self.run_step_unrecorded(number, role, input, now)?;
        self.history.push(Action::Run {
            step: number,
            role,
            input: input.clone(),
            at: now,
        });
        Ok(outcome)
    }

    fn run_step_unrecorded(
        &mut self,
        number: u8,
        role: Role,
        input: &Value,
        now: Timestamp,
    ) -> Result<StepOutcome, StepError> {
        let catalog = step(number).ok_or(StepError::UnknownStep(number))?;
        if role != catalog.owner {
            return Err(StepError::WrongRole {
                step: number,
                owner: catalog.owner,
                role,
            });
        }
        let path = format!(
            "$.inputs.{}",
            INPUT_KEYS[usize::from(number) - 1].unwrap_or("step")
        );
        let fields = Fields::new(input, &path)?;
        let before = self.log.len();
        // The step appends straight to the log; if it fails part-way, what it appended is rolled back.
        // (Cloning the log per step made every step cost the whole log.)
        let blocked_reason =
            match append_step_records(&mut self.log, &self.scenario, number, role, &fields, now) {
                Ok(reason) => reason,
                Err(error) => {
                    self.log.roll_back_to(before);
                    return Err(error);
                }
            };
        if let Some(key) = INPUT_KEYS[usize::from(number) - 1] {
            self.inputs.set(key, input.clone());
        }
        self.status[usize::from(number) - 1] = match &blocked_reason {
            Some(reason) => StepStatus::Blocked(reason.clone()),
            None => StepStatus::Done,
        };
        let record_ids = self.log.entries()[before..]
            .iter()
            .map(|e| e.id().to_string())
            .collect();
        Ok(StepOutcome {
            step: number,
            record_ids,
            blocked_reason,
        })
    }

    /// Runs every step not yet done, in order, as its owner with the session's inputs. A step that cannot
    /// run is marked blocked with its reason and the run goes on; step 10 always runs.
    pub fn run_remaining(&mut self, now: Timestamp) -> Vec<(u8, Result<StepOutcome, StepError>)> {
        let mut results = Vec::new();
        for catalog in STEPS {
            let index = usize::from(catalog.number) - 1;
            if self.status[index] == StepStatus::Done && catalog.number != 10 {
                continue;
            }
            let input = self.input_for(catalog.number);
            let result = self.run_step_unrecorded(catalog.number, catalog.owner, &input, now);
            if let Err(error) = &result {
                self.status[index] = StepStatus::Blocked(error.to_string());
            }
            results.push((catalog.number, result));
        }
        self.history.push(Action::RunRemaining { at: now });
        results
    }

    /// The release decision at `now`, from the latest records and the current accepted risk.
    pub fn decision(&self, now: Timestamp) -> Decision {
        let risk = Fields::new(&self.input_for(10), "$.inputs.final_decision")
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
    number: u8,
    role: Role,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    Ok(match number {
        1 => evidence_steps::readiness_bundle(log, scenario, now),
        2 => evidence_steps::archive_manifest(log, scenario, fields, now)?,
        3 => evidence_steps::closeout_summary(log, scenario, fields, now)?,
        4 => evidence_steps::retention_review(log, scenario, role, fields, now)?,
        5 => evidence_steps::artifact_bundle(log, scenario, now)?,
        6 => operations::retention_health(log, scenario, fields, now)?,
        7 => operations::retention_alerts(log, scenario, fields, now)?,
        8 => operations::retry_plan(log, scenario, role, fields, now)?,
        9 => operations::retry_worker(log, scenario, role, fields, now)?,
        _ => {
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
    use super::StepStatus;

    #[test]
    fn only_a_pending_step_is_pending() {
        assert!(StepStatus::Pending.is_pending());
        assert!(!StepStatus::Done.is_pending());
        assert!(!StepStatus::Blocked("no bundle".into()).is_pending());
    }
}
