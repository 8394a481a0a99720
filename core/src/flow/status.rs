//! Where a step stands in a session, and what a run of it appended.

use crate::steps::StepId;

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

/// What a step appended: the records' ids, and a status note when it ran but could not finish its job.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepOutcome {
    pub step: StepId,
    pub record_ids: Vec<String>,
    pub blocked_reason: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_pending_step_is_pending() {
        assert!(StepStatus::Pending.is_pending());
        assert!(!StepStatus::Done.is_pending());
        assert!(!StepStatus::Blocked("no bundle".into()).is_pending());
    }
}
