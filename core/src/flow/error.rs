//! Why a step did not run: the one error of the step boundary, in words that say what to do.

use crate::evidence::{Entry, EvidenceLog};
use crate::input::InputError;
use crate::record::RecordKind;
use crate::roles::Role;
use crate::steps::StepId;
use std::fmt;

/// Why a step did not run. Nothing was appended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// An input was given to a step that takes none (steps 1 and 5 work from the log alone).
    NoInput(StepId),
    /// The step belongs to another role.
    WrongRole {
        step: StepId,
        owner: Role,
        role: Role,
    },
    /// Something the step rests on is not there yet.
    MissingPrerequisite { step: StepId, missing: String },
    /// An input is wrong; the path names it.
    Input(InputError),
    /// The step refuses on a rule (D-7, D-11).
    Refused { step: StepId, reason: String },
    /// An act that is not the acting role's (an accepted risk, an attestation); the reason says whose it is.
    NotYourAct(String),
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NoInput(step) => write!(
                f,
                "step {} ({}) takes no input: it works from the records already in the evidence log",
                step.number(),
                step.name()
            ),
            StepError::WrongRole { step, owner, role } => write!(
                f,
                "step {} ({}) is run by the {}; you are acting as the {}",
                step.number(),
                step.name(),
                owner.title(),
                role.title()
            ),
            StepError::MissingPrerequisite { step, missing } => write!(
                f,
                "step {} ({}) needs {missing} first",
                step.number(),
                step.name()
            ),
            StepError::Input(error) => write!(f, "input {error}"),
            StepError::Refused { step, reason } => write!(
                f,
                "step {} ({}) refused: {reason}",
                step.number(),
                step.name()
            ),
            StepError::NotYourAct(reason) => f.write_str(reason),
        }
    }
}

impl std::error::Error for StepError {}

impl From<InputError> for StepError {
    fn from(error: InputError) -> Self {
        StepError::Input(error)
    }
}

/// The latest record of a kind a step rests on, or the error that names what is missing.
pub(super) fn require<'a>(
    log: &'a EvidenceLog,
    kind: RecordKind,
    reference: &str,
    step: StepId,
    missing: &str,
) -> Result<&'a Entry, StepError> {
    log.latest(kind, reference)
        .ok_or_else(|| StepError::MissingPrerequisite {
            step,
            missing: missing.to_string(),
        })
}
