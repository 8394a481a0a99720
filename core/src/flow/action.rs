//! What the user did to a session, kept so a session can be replayed exactly.

use crate::flow::inputs::AcceptedRisk;
use crate::json::Value;
use crate::roles::Role;
use crate::steps::StepId;
use crate::time::Timestamp;

/// Something the user did to a session. Replaying a session's actions on its scenario rebuilds it,
/// record for record (share links rest on this).
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A step run that succeeded.
    Run {
        step: StepId,
        role: Role,
        input: Value,
        at: Timestamp,
    },
    /// "Run remaining steps".
    RunRemaining { at: Timestamp },
    /// An input saved without running its step.
    SetInput { step: StepId, input: Value },
    /// An accepted risk recorded (or, `None`, withdrawn) by a role (D-14).
    RecordRisk {
        role: Role,
        risk: Option<AcceptedRisk>,
        at: Timestamp,
    },
    /// The auditor's attestation of the chain.
    Attest { role: Role, at: Timestamp },
}
