//! What the user did to a session, kept so a session can be replayed exactly.

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
    /// An input saved without running its step (the accepted-risk form).
    SetInput { step: StepId, input: Value },
}
