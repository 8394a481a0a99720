//! The release decision's rules (`docs/domain.md#5-the-release-decision`): which blocking and warning
//! codes a set of facts gives at a time, and the state they make.

use super::codes::{in_listed_order, BLOCKING_CODES, WARNING_CODES};
use super::criteria::criteria;
use super::facts::Facts;
use super::{Decision, ReleaseState};
use crate::flow::inputs::AcceptedRisk;
use crate::roles::Role;
use crate::states::{
    HealthLevel, ReadinessState, RetentionDecisionState, RetryAction, SignatureState,
};
use crate::time::Timestamp;

/// Whether a file digest is 64 hex digits, with or without the `sha256:` prefix.
fn is_digest(text: &str) -> bool {
    let hex = text.strip_prefix("sha256:").unwrap_or(text);
    hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Applies the release decision's rules (`docs/domain.md#5-the-release-decision`) to the facts at `now`.
pub fn decide(facts: &Facts, now: Timestamp) -> Decision {
    let mut blocking: Vec<&'static str> = Vec::new();
    let mut warnings: Vec<&'static str> = Vec::new();
    if facts.readiness != Some(ReadinessState::ReadyForCloseout) {
        blocking.push("readiness_incomplete");
    }
    if facts.signature_state != Some(SignatureState::ExternalSignatureAttached) {
        blocking.push("signature_missing");
    }
    if facts.private_key_stored {
        blocking.push("private_key_stored");
    }
    if !facts.closeout_closed() {
        blocking.push("closeout_open");
    }
    if facts.retention_decision != Some(RetentionDecisionState::Approved) {
        blocking.push("retention_not_approved");
    }
    let retention_until = facts.retention_until.as_deref().and_then(Timestamp::parse);
    match retention_until {
        Some(until) if until <= now => blocking.push("retention_expired"),
        Some(until) if until <= now.plus_days(30) => warnings.push("retention_expiring"),
        Some(_) => {}
        None => warnings.push("retention_expiry_missing"),
    }
    let bundle_complete = facts.artifact_bundle.as_ref().is_some_and(|bundle| {
        !bundle.file_digests.is_empty()
            && bundle.file_digests.iter().all(|d| is_digest(d))
            && bundle.retention_decision_state == Some(RetentionDecisionState::Approved)
    });
    if !bundle_complete {
        blocking.push("artifact_bundle_incomplete");
    }
    let risk_expiry = facts.accepted_risk.as_ref().and_then(AcceptedRisk::expiry);
    let risk_valid = risk_expiry.is_some_and(|expiry| expiry > now);
    match &facts.health {
        None => blocking.push("retention_health_missing"),
        Some(health) => {
            if health.has(HealthLevel::Critical) {
                // An exception for a critical finding is the security architect's (D-13): where the
                // records name who recorded the risk, only theirs covers one.
                let excepted_by_security = facts
                    .accepted_risk_role
                    .is_none_or(|role| role == Role::SecurityArchitect);
                let covered = risk_valid
                    && excepted_by_security
                    && facts.accepted_risk.as_ref().is_some_and(|r| {
                        r.external_ref
                            .as_deref()
                            .is_some_and(|s| !s.trim().is_empty())
                            && r.compensating_control
                                .as_deref()
                                .is_some_and(|s| !s.trim().is_empty())
                    });
                if covered {
                    warnings.push("critical_finding_excepted");
                } else {
                    blocking.push("critical_health_finding");
                }
            }
            if health.has(HealthLevel::Warning) {
                warnings.push("health_warning");
            }
        }
    }
    let delivery_failed = facts.delivery_failed();
    let has_retry_decision = facts.retry_decisions.iter().any(Option::is_some);
    if delivery_failed {
        if has_retry_decision {
            warnings.push("delivery_failed_with_retry_plan");
        } else {
            blocking.push("failed_delivery_without_retry_plan");
        }
    }
    if facts.retry_decisions.contains(&Some(RetryAction::Retry))
        && !facts.worker_runs.iter().any(|run| run.completed)
    {
        blocking.push("retry_worker_missing");
    }
    if facts
        .worker_runs
        .iter()
        .any(|run| run.live && !run.preceded_by_dry_run)
    {
        blocking.push("live_retry_without_dry_run");
    }
    if facts.retry_decisions.contains(&Some(RetryAction::Suppress)) {
        warnings.push("retry_suppressed");
    }
    let healthy = facts
        .health
        .as_ref()
        .is_some_and(|h| h.state == Some(HealthLevel::Healthy));
    if facts.health.is_some() && !healthy {
        let alerted = facts.alert.as_ref().is_some_and(|a| {
            a.any_delivered
                || a.suppressed_reason
                    .as_deref()
                    .is_some_and(|r| !r.is_empty())
        });
        if !alerted {
            blocking.push("alert_not_delivered");
        }
    }
    // Every warning needs a current accepted risk (D-15). CAVRA checks this only when nothing else
    // blocks; the sandbox checks it whenever there are warnings, so criterion 10 never passes with an
    // expired or undocumented risk. The state is the same either way: blocked.
    if !warnings.is_empty() {
        match (&facts.accepted_risk, risk_expiry) {
            (Some(_), Some(expiry)) if expiry <= now => blocking.push("accepted_risk_expired"),
            (Some(_), Some(_)) => {}
            _ => blocking.push("undocumented_risk"),
        }
    }
    let blocking = in_listed_order(&blocking, &BLOCKING_CODES);
    let warnings = in_listed_order(&warnings, &WARNING_CODES);
    let state = if !blocking.is_empty() {
        ReleaseState::Blocked
    } else if !warnings.is_empty() {
        ReleaseState::ReadyWithAcceptedRisk
    } else {
        ReleaseState::ReadyForRelease
    };
    let criteria = criteria(&blocking, &facts.evidence_refs);
    Decision {
        state,
        blocking,
        warnings,
        criteria,
        evaluated_at: now,
        accepted_risk: facts.accepted_risk.clone(),
        accepted_risk_id: facts.accepted_risk_id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decision::{ArtifactFacts, HealthFacts, WorkerFacts};
    use crate::states::{CloseoutState, DeliveryState};

    fn now() -> Timestamp {
        Timestamp::parse("2026-03-01T12:00:00+00:00").unwrap()
    }

    /// Facts every rule passes: the decision is `ready_for_release`.
    fn passing() -> Facts {
        Facts {
            readiness: Some(ReadinessState::ReadyForCloseout),
            signature_state: Some(SignatureState::ExternalSignatureAttached),
            closeout: Some((Some(CloseoutState::Closed), 0)),
            delivery_state: Some(DeliveryState::Delivered),
            retention_decision: Some(RetentionDecisionState::Approved),
            retention_until: Some(now().plus_days(365).isoformat()),
            artifact_bundle: Some(ArtifactFacts {
                file_digests: vec![format!("sha256:{}", "a".repeat(64))],
                retention_decision_state: Some(RetentionDecisionState::Approved),
            }),
            health: Some(HealthFacts {
                state: Some(HealthLevel::Healthy),
                severities: vec![],
            }),
            evidence_refs: vec![Vec::new(); 10],
            ..Facts::default()
        }
    }

    /// The blocking and warning codes of the facts `change` makes from the passing ones.
    fn codes(change: impl FnOnce(&mut Facts)) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut facts = passing();
        change(&mut facts);
        let decision = decide(&facts, now());
        (decision.blocking, decision.warnings)
    }

    fn blocks(change: impl FnOnce(&mut Facts), code: &str) -> bool {
        codes(change).0.contains(&code)
    }

    #[test]
    fn the_passing_facts_are_ready_for_release() {
        let decision = decide(&passing(), now());
        assert_eq!(decision.state, ReleaseState::ReadyForRelease);
        assert!(decision.blocking.is_empty() && decision.warnings.is_empty());
    }

    // Each rule below was a string comparison; every state of its vocabulary, and `None` (missing
    // evidence or a string the spec does not name), gives the code the string test gave.

    #[test]
    fn only_a_bundle_ready_for_closeout_passes_readiness() {
        for state in ReadinessState::ALL.iter().copied().map(Some).chain([None]) {
            let ready = state == Some(ReadinessState::ReadyForCloseout);
            assert_eq!(
                blocks(|f| f.readiness = state, "readiness_incomplete"),
                !ready,
                "{state:?}"
            );
        }
    }

    #[test]
    fn only_an_attached_signature_passes() {
        for state in SignatureState::ALL.iter().copied().map(Some).chain([None]) {
            let attached = state == Some(SignatureState::ExternalSignatureAttached);
            assert_eq!(
                blocks(|f| f.signature_state = state, "signature_missing"),
                !attached,
                "{state:?}"
            );
        }
    }

    #[test]
    fn only_a_closed_summary_without_blockers_passes() {
        let cases = [
            (Some((Some(CloseoutState::Closed), 0)), false),
            (Some((Some(CloseoutState::Closed), 1)), true),
            (Some((Some(CloseoutState::Open), 0)), true),
            (Some((None, 0)), true),
            (None, true),
        ];
        for (closeout, open) in cases {
            assert_eq!(
                blocks(|f| f.closeout = closeout, "closeout_open"),
                open,
                "{closeout:?}"
            );
        }
    }

    #[test]
    fn only_an_approved_retention_decision_passes_review_and_bundle() {
        for state in RetentionDecisionState::ALL
            .iter()
            .copied()
            .map(Some)
            .chain([None])
        {
            let approved = state == Some(RetentionDecisionState::Approved);
            assert_eq!(
                blocks(|f| f.retention_decision = state, "retention_not_approved"),
                !approved,
                "{state:?}"
            );
            let bundle = |f: &mut Facts| {
                if let Some(bundle) = &mut f.artifact_bundle {
                    bundle.retention_decision_state = state;
                }
            };
            assert_eq!(
                blocks(bundle, "artifact_bundle_incomplete"),
                !approved,
                "{state:?}"
            );
        }
    }

    #[test]
    fn a_critical_level_or_finding_blocks_and_a_warning_warns() {
        let health = |state, severities: Vec<HealthLevel>| {
            move |f: &mut Facts| f.health = Some(HealthFacts { state, severities })
        };
        let critical = |change| blocks(change, "critical_health_finding");
        let warns = |change| codes(change).1.contains(&"health_warning");
        assert!(critical(health(Some(HealthLevel::Critical), vec![])));
        assert!(critical(health(
            Some(HealthLevel::Warning),
            vec![HealthLevel::Critical]
        )));
        assert!(!critical(health(Some(HealthLevel::Warning), vec![])));
        assert!(warns(health(Some(HealthLevel::Warning), vec![])));
        assert!(warns(health(
            Some(HealthLevel::Healthy),
            vec![HealthLevel::Warning]
        )));
        assert!(!warns(health(
            Some(HealthLevel::Critical),
            vec![HealthLevel::Healthy]
        )));
        // A level the spec does not name is neither critical nor warning, and not healthy either.
        let (blocking, warnings) = codes(health(None, vec![]));
        assert_eq!(blocking, ["alert_not_delivered"]);
        assert!(warnings.is_empty());
    }

    #[test]
    fn an_alert_is_needed_unless_health_is_healthy() {
        for level in HealthLevel::ALL.iter().copied().map(Some).chain([None]) {
            let change = |f: &mut Facts| {
                f.health = Some(HealthFacts {
                    state: level,
                    severities: vec![],
                })
            };
            assert_eq!(
                blocks(change, "alert_not_delivered"),
                level != Some(HealthLevel::Healthy),
                "{level:?}"
            );
        }
    }

    #[test]
    fn a_failed_or_partly_failed_delivery_needs_a_retry_decision() {
        for state in DeliveryState::ALL.iter().copied().map(Some).chain([None]) {
            let failed = matches!(
                state,
                Some(DeliveryState::Failed | DeliveryState::PartialFailure)
            );
            let without = |f: &mut Facts| f.delivery_state = state;
            assert_eq!(
                blocks(without, "failed_delivery_without_retry_plan"),
                failed,
                "{state:?}"
            );
            // A decision the spec does not name (a package's `none`) is no retry decision.
            let unnamed = |f: &mut Facts| {
                f.delivery_state = state;
                f.retry_decisions = vec![None];
            };
            assert_eq!(
                blocks(unnamed, "failed_delivery_without_retry_plan"),
                failed,
                "{state:?}"
            );
            for action in RetryAction::ALL {
                let planned = |f: &mut Facts| {
                    f.delivery_state = state;
                    f.retry_decisions = vec![Some(*action)];
                    f.worker_runs = vec![WorkerFacts {
                        live: false,
                        completed: true,
                        preceded_by_dry_run: false,
                    }];
                };
                let (blocking, warnings) = codes(planned);
                assert!(!blocking.contains(&"failed_delivery_without_retry_plan"));
                assert_eq!(
                    warnings.contains(&"delivery_failed_with_retry_plan"),
                    failed,
                    "{state:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn a_retry_needs_a_completed_run_and_a_suppression_warns() {
        for action in RetryAction::ALL.iter().copied().map(Some).chain([None]) {
            let (blocking, warnings) = codes(|f| f.retry_decisions = vec![action]);
            assert_eq!(
                blocking.contains(&"retry_worker_missing"),
                action == Some(RetryAction::Retry),
                "{action:?}"
            );
            assert_eq!(
                warnings.contains(&"retry_suppressed"),
                action == Some(RetryAction::Suppress),
                "{action:?}"
            );
        }
    }
}
