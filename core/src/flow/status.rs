//! Where a step stands in a session, and what a run of it appended.

use crate::steps::StepId;

/// Where a step stands in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepStatus {
    Pending,
    Done,
    /// It could not run, or ran and could not finish its job; the reason says why.
    Blocked(String),
    /// Part of it is done and another role's act is awaited (step 4: the request waits for the security
    /// architect's decision); the reason says whose.
    Waiting(String),
    /// It is done, but what it recorded no longer holds (step 10: the live decision differs from the
    /// recorded one, after time travel or a later record); the reason says how. Never stored: it is
    /// derived at a time (`Session::shown_status`).
    Stale(String),
}

impl StepStatus {
    /// `pending`, `done`, `blocked`, `waiting` or `stale`.
    pub fn code(&self) -> &'static str {
        match self {
            StepStatus::Pending => "pending",
            StepStatus::Done => "done",
            StepStatus::Blocked(_) => "blocked",
            StepStatus::Waiting(_) => "waiting",
            StepStatus::Stale(_) => "stale",
        }
    }

    /// Why the step is blocked, waiting or stale.
    pub fn reason(&self) -> Option<&str> {
        match self {
            StepStatus::Blocked(reason)
            | StepStatus::Waiting(reason)
            | StepStatus::Stale(reason) => Some(reason),
            StepStatus::Pending | StepStatus::Done => None,
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
