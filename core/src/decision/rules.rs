//! The release decision (`docs/domain.md#5-the-release-decision`): one set of rules over [`Facts`],
//! which come either from a live session's latest records or from a `cavra.final_closeout_trial.v1`
//! package, so both get the same codes.

use crate::evidence::EvidenceLog;
use crate::flow::inputs::AcceptedRisk;
use crate::json::{strings, Value};
use crate::record::{seal, RecordKind};
use crate::states::{
    HealthLevel, ReadinessState, RetentionDecisionState, RetryAction, SignatureState,
};
use crate::time::Timestamp;

use super::facts::{facts_from_log, Facts};
#[cfg(test)]
use super::facts::{ArtifactFacts, HealthFacts, WorkerFacts};
pub use crate::states::ReleaseState;

/// Blocking codes in their listed order (`docs/domain.md#52-blocking-codes`), the two the accepted risk
/// adds last.
pub const BLOCKING_CODES: [&str; 15] = [
    "readiness_incomplete",
    "signature_missing",
    "private_key_stored",
    "closeout_open",
    "retention_not_approved",
    "retention_expired",
    "artifact_bundle_incomplete",
    "retention_health_missing",
    "critical_health_finding",
    "failed_delivery_without_retry_plan",
    "retry_worker_missing",
    "live_retry_without_dry_run",
    "alert_not_delivered",
    "undocumented_risk",
    "accepted_risk_expired",
];

/// Warning codes in their listed order (`docs/domain.md#53-warning-codes`).
pub const WARNING_CODES: [&str; 6] = [
    "critical_finding_excepted",
    "health_warning",
    "delivery_failed_with_retry_plan",
    "retry_suppressed",
    "retention_expiring",
    "retention_expiry_missing",
];

/// One sentence on what a code means, for people.
pub fn explain(code: &str) -> &'static str {
    match code {
        "readiness_incomplete" => "There is no final readiness bundle, or it is not ready for closeout.",
        "signature_missing" => "The signed archive manifest is missing or has no external signature attached.",
        "private_key_stored" => "The manifest says a private key is stored with the evidence; keys must stay in the operator's KMS.",
        "closeout_open" => "The closeout summary is missing, not closed, or still has blockers.",
        "retention_not_approved" => "The retention review has no decision, or the decision is not approved.",
        "retention_expired" => "The approved retention date has passed.",
        "artifact_bundle_incomplete" => "The closeout artifact bundle is missing, has no files, has a malformed file digest, or rests on an unapproved retention decision.",
        "retention_health_missing" => "No retention health report has been made.",
        "critical_health_finding" => "Retention health has a critical finding, and no accepted risk with an external reference and a compensating control covers it.",
        "failed_delivery_without_retry_plan" => "A closeout delivery failed and there is no retry decision for it.",
        "retry_worker_missing" => "The retry plan says retry, but no retry worker run has completed.",
        "live_retry_without_dry_run" => "A live retry ran without a completed dry run before it.",
        "alert_not_delivered" => "Retention health is not healthy, yet no alert was delivered and no suppression reason was recorded.",
        "undocumented_risk" => "There are warnings, but no accepted risk with an owner, a reason and an expiry date.",
        "accepted_risk_expired" => "The accepted risk has expired.",
        "critical_finding_excepted" => "A critical finding is covered by an accepted risk with an external reference and a compensating control.",
        "health_warning" => "Retention health has a warning finding.",
        "delivery_failed_with_retry_plan" => "A closeout delivery failed; a retry plan covers it.",
        "retry_suppressed" => "A retry was suppressed after the maximum number of attempts.",
        "retention_expiring" => "Retention ends within 30 days.",
        "retention_expiry_missing" => "The retention date is missing or cannot be read.",
        _ => "Unknown code.",
    }
}

/// The ten release criteria, each with the blocking codes that fail it.
pub const CRITERIA: [(&str, &[&str]); 10] = [
    ("Final readiness bundle is ready", &["readiness_incomplete"]),
    (
        "Archive manifest has an external signature and no key material",
        &["signature_missing", "private_key_stored"],
    ),
    ("Closeout summary is closed", &["closeout_open"]),
    (
        "Retention is approved and in force",
        &["retention_not_approved", "retention_expired"],
    ),
    (
        "Closeout artifact bundle is complete",
        &["artifact_bundle_incomplete"],
    ),
    (
        "Retention health is reported with no uncovered critical finding",
        &["retention_health_missing", "critical_health_finding"],
    ),
    (
        "Alerts were delivered or their suppression recorded",
        &["alert_not_delivered"],
    ),
    (
        "Every failed delivery has a retry decision",
        &["failed_delivery_without_retry_plan"],
    ),
    (
        "Retries ran, dry run before live",
        &["retry_worker_missing", "live_retry_without_dry_run"],
    ),
    (
        "Any accepted risk is documented and current",
        &["undocumented_risk", "accepted_risk_expired"],
    ),
];

/// One release criterion's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Criterion {
    pub number: u8,
    pub name: &'static str,
    pub passed: bool,
    /// The blocking codes that failed it.
    pub failed_by: Vec<&'static str>,
    /// The records (or package sections) it rests on.
    pub evidence_refs: Vec<String>,
}

impl Criterion {
    /// `pass`, `fail`, or `no_evidence` when nothing failed it only because the records it rests on do
    /// not exist yet (criterion 10, on the accepted risk, rests on no record).
    pub fn status(&self) -> &'static str {
        if !self.passed {
            "fail"
        } else if self.evidence_refs.is_empty() && self.number != 10 {
            "no_evidence"
        } else {
            "pass"
        }
    }
}

/// The release decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub state: ReleaseState,
    pub blocking: Vec<&'static str>,
    pub warnings: Vec<&'static str>,
    pub criteria: Vec<Criterion>,
    pub evaluated_at: Timestamp,
    pub accepted_risk: Option<AcceptedRisk>,
}

impl Decision {
    /// `{"state", "blocking", "warnings", "evaluated_at"}` as the CLI prints it.
    pub fn summary_value(&self) -> Value {
        Value::object([
            ("state", Value::from(self.state.code())),
            ("blocking", strings(&self.blocking)),
            ("warnings", strings(&self.warnings)),
            ("evaluated_at", Value::from(self.evaluated_at.isoformat())),
        ])
    }

    pub fn criteria_value(&self) -> Value {
        Value::Array(
            self.criteria
                .iter()
                .map(|c| {
                    Value::object([
                        ("criterion", Value::from(c.number as u32)),
                        ("name", Value::from(c.name)),
                        ("passed", Value::from(c.passed)),
                        ("failed_by", strings(&c.failed_by)),
                        ("evidence_refs", strings(&c.evidence_refs)),
                    ])
                })
                .collect(),
        )
    }
}

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
                let covered = risk_valid
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
    if blocking.is_empty() && !warnings.is_empty() {
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
    let criteria = CRITERIA
        .iter()
        .enumerate()
        .map(|(index, (name, codes))| {
            let failed_by: Vec<&'static str> = blocking
                .iter()
                .copied()
                .filter(|code| codes.contains(code))
                .collect();
            Criterion {
                number: index as u8 + 1,
                name,
                passed: failed_by.is_empty(),
                failed_by,
                evidence_refs: facts.evidence_refs.get(index).cloned().unwrap_or_default(),
            }
        })
        .collect();
    Decision {
        state,
        blocking,
        warnings,
        criteria,
        evaluated_at: now,
        accepted_risk: facts.accepted_risk.clone(),
    }
}

/// The decision for a live session's log.
pub fn decide_log(
    log: &EvidenceLog,
    reference: &str,
    accepted_risk: Option<&AcceptedRisk>,
    now: Timestamp,
) -> Decision {
    decide(&facts_from_log(log, reference, accepted_risk.cloned()), now)
}

/// Step 10's record: the decision, linked to every record it rests on.
pub fn final_decision_record(
    decision: &Decision,
    log: &EvidenceLog,
    reference: &str,
    audit_case_ref: &str,
    now: Timestamp,
) -> Value {
    let mut rests_on: Vec<String> = decision
        .criteria
        .iter()
        .flat_map(|c| c.evidence_refs.iter().cloned())
        .collect();
    rests_on.sort();
    rests_on.dedup();
    let record = Value::object([
        ("release_record_ref", Value::from(reference)),
        ("audit_case_ref", Value::from(audit_case_ref)),
        ("generated_at", Value::from(now.isoformat())),
        ("state", Value::from(decision.state.code())),
        ("blocking", strings(&decision.blocking)),
        ("warnings", strings(&decision.warnings)),
        ("criteria", decision.criteria_value()),
        (
            "accepted_risk",
            decision
                .accepted_risk
                .as_ref()
                .map_or(Value::Null, AcceptedRisk::to_value),
        ),
        ("rests_on", strings(&rests_on)),
        (
            "evidence_head_digest",
            Value::from(log.entries().last().map_or("", |e| e.entry_digest.as_str())),
        ),
    ]);
    seal(RecordKind::FinalDecision, record)
}

/// `codes` in the order of `listed` (codes not listed first, as found), each as often as it occurs: what
/// a stable sort by position in `listed` gives. Written out because each sort instantiation costs the
/// first load about 4 KB of Wasm, and these lists hold a handful of codes.
fn in_listed_order(codes: &[&'static str], listed: &[&str]) -> Vec<&'static str> {
    let mut ordered: Vec<&'static str> = codes
        .iter()
        .copied()
        .filter(|code| !listed.contains(code))
        .collect();
    for wanted in listed {
        ordered.extend(codes.iter().copied().filter(|code| code == wanted));
    }
    ordered
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn listed_order_is_a_stable_sort_by_position() {
        let listed = ["c", "a", "b"];
        for codes in [
            vec![],
            vec!["a", "b", "c"],
            vec!["b", "x", "a", "b", "y", "c", "a"],
            vec!["z"],
        ] {
            let mut sorted = codes.clone();
            sorted.sort_by_key(|code| listed.iter().position(|c| c == code));
            assert_eq!(in_listed_order(&codes, &listed), sorted);
        }
    }
}
