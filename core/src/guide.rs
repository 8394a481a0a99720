//! Plain words for people: what each step does and why, and where a real deployment crosses the
//! Community/Enterprise boundary (`docs/domain.md#12-the-edition-boundary`). The app shows these; they
//! live here so the CLI and any other front end say the same thing.

use crate::steps::StepId;

/// What a step does, why, and what a real deployment needs beyond Community.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepGuide {
    /// What the step does and why, in two or three sentences.
    pub what: &'static str,
    /// Where the step would need Enterprise or an operator-owned system, if anywhere.
    pub boundary: Option<&'static str>,
}

/// The guide for a step.
pub fn step_guide(step: StepId) -> StepGuide {
    let (what, boundary) = match step {
        StepId::ReadinessBundle => (
            "Collects the upstream evidence (readiness approval, release record attachment, closure packet, auditor export, archive references and their health) into one final readiness bundle. Each missing piece becomes a named blocker, so nobody closes out a release on partial evidence.",
            None,
        ),
        StepId::ArchiveManifest => (
            "Pins the readiness bundle's hash in an archive manifest and records who signs it and with which external key reference. The sandbox never accepts key material: a pasted private key is refused, and nothing is cryptographically verified here.",
            Some("Signing happens in the operator's KMS; Community only records the external signature reference."),
        ),
        StepId::CloseoutSummary => (
            "Closes the summary when the bundle is ready and the manifest is signed and names the same bundle, then delivers it to the chosen providers through a simulated connector. The delivery is its own record, so a failure never rewrites the summary.",
            Some("Real delivery goes through live connectors holding secrets, which need Enterprise or an operator-owned system."),
        ),
        StepId::RetentionReview => (
            "Requests retention for the closed summary (until when, and whether legal hold applies) and records the decision: approved, denied, deferred or expired. Without an approved decision no artifact bundle can be made.",
            Some("Private retention is enforced by Enterprise or the operator's archive; Community records the decision only."),
        ),
        StepId::ArtifactBundle => (
            "Packages the summary, the readiness bundle and the signed manifest into the artifact bundle an auditor downloads, each file with its sha256. It needs a closed summary and an approved retention decision.",
            Some("Writing or deleting archive objects is done by the operator's archive, not by Community."),
        ),
        StepId::RetentionHealth => (
            "Checks every artifact bundle's retention: not approved or expired is critical, expiring soon or undated is a warning; a closeout delivery that failed without a later success is a warning too. Move the clock forward to watch retention expire.",
            None,
        ),
        StepId::RetentionAlerts => (
            "Sends retention alerts when health is not healthy (or when forced), through the simulated connector; a healthy report records that nothing needed sending. An operator may also suppress alerts with a written reason.",
            Some("Live alert routing to real providers needs connectors holding secrets: Enterprise or operator-owned."),
        ),
        StepId::RetryPlan => (
            "Decides, for each failed closeout delivery, whether to retry now, wait for the retry delay, or suppress after too many attempts. Attempts count delivery calls, not the connector's internal tries, so a first failure is retryable.",
            None,
        ),
        StepId::RetryWorker => (
            "Runs the retry worker over the plan's retry decisions. A dry run records what would be retried without delivering; a live run is refused until a dry run of the same plan has completed, and needs the release manager's approval.",
            Some("The live path here goes to the simulated non-production connector; real redelivery needs Enterprise or an operator-owned connector."),
        ),
        StepId::FinalDecision => (
            "Records the release decision with every blocking and warning code, the ten release criteria and the records each rests on, the accepted risk if any, and the audit case reference. Anyone can re-check it from the exported package.",
            Some("SSO/RBAC for who may accept risk, and paid policy packs, are Enterprise features."),
        ),
    };
    StepGuide { what, boundary }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_a_guide_of_two_or_three_sentences() {
        for step in StepId::ALL {
            let guide = step_guide(step);
            let sentences = guide.what.matches(". ").count() + 1;
            assert!(
                (2..=3).contains(&sentences),
                "step {}: {sentences} sentences",
                step.number()
            );
        }
        // Outside 1 to 10 there is no step, so no guide.
        assert!(StepId::from_number(11).is_none());
    }
}
