//! What each role does at a step (D-13): most steps are one act of their owner, two take two roles.
//!
//! Step 4: the release manager requests the retention review and the security architect decides it, so
//! nobody decides their own request. Step 9: the release manager approves a live redelivery (an approval
//! record) and the platform owner runs the worker.

use crate::roles::Role;
use crate::steps::StepId;

/// One role's act at a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    /// The step's one act, by its owner.
    Run,
    /// Step 4, release manager: the retention review request.
    RequestReview,
    /// Step 4, security architect: the decision on the latest request.
    DecideReview,
    /// Step 9, release manager: approval of a live redelivery of the latest retry plan.
    ApproveRedelivery,
    /// Step 9, platform owner: the retry worker run.
    RunWorker,
}

const REVIEW: [(Role, Act); 2] = [
    (Role::ReleaseManager, Act::RequestReview),
    (Role::SecurityArchitect, Act::DecideReview),
];
const WORKER: [(Role, Act); 2] = [
    (Role::ReleaseManager, Act::ApproveRedelivery),
    (Role::PlatformOwner, Act::RunWorker),
];

impl Act {
    /// The acts of a step, in the order they are done, with the role of each.
    pub fn of_step(step: StepId) -> &'static [(Role, Act)] {
        match step {
            StepId::RetentionReview => &REVIEW,
            StepId::RetryWorker => &WORKER,
            _ => match step.owner() {
                Role::ReleaseManager => &[(Role::ReleaseManager, Act::Run)],
                Role::PlatformOwner => &[(Role::PlatformOwner, Act::Run)],
                Role::SecurityArchitect => &[(Role::SecurityArchitect, Act::Run)],
                Role::Auditor => &[(Role::Auditor, Act::Run)],
                Role::TrialOwner => &[(Role::TrialOwner, Act::Run)],
            },
        }
    }

    /// What `role` does at `step`, if anything.
    pub fn for_role(step: StepId, role: Role) -> Option<Act> {
        Act::of_step(step)
            .iter()
            .find(|(r, _)| *r == role)
            .map(|(_, act)| *act)
    }

    /// The fields of the step's input this act reads and keeps (`None` for all of them): step 4's request
    /// and decision each keep their own, so one role's draft never becomes the other's record.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Act::RequestReview => &["retention_until", "legal_hold", "review_reason"],
            Act::DecideReview => &["decision", "external_ref", "notes"],
            Act::Run | Act::ApproveRedelivery | Act::RunWorker => &[],
        }
    }

    /// The button's words, for example "Decide the retention review".
    pub fn label(self, step: StepId) -> String {
        match self {
            Act::Run => format!("Run step {}", step.number()),
            Act::RequestReview => "Request the retention review".into(),
            Act::DecideReview => "Decide the retention review".into(),
            Act::ApproveRedelivery => "Approve live redelivery".into(),
            Act::RunWorker => "Run the retry worker".into(),
        }
    }

    /// The act in words for a sentence, for example "decided the retention review".
    pub fn done_words(self, step: StepId) -> String {
        match self {
            Act::Run => format!("ran step {}", step.number()),
            Act::RequestReview => "requested the retention review (step 4)".into(),
            Act::DecideReview => "decided the retention review (step 4)".into(),
            Act::ApproveRedelivery => "approved live redelivery (step 9)".into(),
            Act::RunWorker => "ran the retry worker (step 9)".into(),
        }
    }
}

/// Who does what at a step, in words: "requested by the release manager and decided by the security
/// architect".
pub fn who_does(step: StepId) -> String {
    let title = |role: Role| role.noun();
    match step {
        StepId::RetentionReview => format!(
            "requested by the {} and decided by the {}",
            title(Role::ReleaseManager),
            title(Role::SecurityArchitect)
        ),
        StepId::RetryWorker => format!(
            "run by the {} (a live redelivery needs the {}'s approval first)",
            title(Role::PlatformOwner),
            title(Role::ReleaseManager)
        ),
        _ => format!("run by the {}", title(step.owner())),
    }
}

/// What each role may do in the sandbox, in words (the page shows it beside the role picker).
pub fn role_duties(role: Role) -> &'static str {
    match role {
        Role::ReleaseManager => "Runs steps 1-3, 5, 6 and 10, requests the retention review (step 4), approves a live redelivery (step 9) and gives final acceptance of a residual risk.",
        Role::PlatformOwner => "Runs steps 7-9: retention alerts, the retry plan and the retry worker.",
        Role::SecurityArchitect => "Decides the retention review (step 4) and approves an exception for a critical finding (an accepted risk with an external reference and a compensating control).",
        Role::Auditor => "Reads everything, downloads the bundle and the chain, and verifies the chain: each verification is appended as an attestation record.",
        Role::TrialOwner => "Reads everything and explains what Community records and what Enterprise enforces; appends nothing of their own (Run remaining steps still runs each step as its owner, and says so).",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_an_act_of_its_owner_and_two_steps_take_two_roles() {
        for step in StepId::ALL {
            let acts = Act::of_step(step);
            assert!(
                acts.iter().any(|(role, _)| *role == step.owner()),
                "{step:?}"
            );
            let two = matches!(step, StepId::RetentionReview | StepId::RetryWorker);
            assert_eq!(acts.len(), if two { 2 } else { 1 }, "{step:?}");
        }
        assert_eq!(
            Act::for_role(StepId::RetentionReview, Role::SecurityArchitect),
            Some(Act::DecideReview)
        );
        assert_eq!(Act::for_role(StepId::RetentionReview, Role::Auditor), None);
        assert_eq!(
            Act::for_role(StepId::ReadinessBundle, Role::PlatformOwner),
            None
        );
    }
}
