//! The release decision's blocking and warning codes (`docs/domain.md#52-blocking-codes`,
//! `docs/domain.md#53-warning-codes`): their listed order and what each means.

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

/// `codes` in the order of `listed` (codes not listed first, as found), each as often as it occurs: what
/// a stable sort by position in `listed` gives. Written out because each sort instantiation costs the
/// first load about 4 KB of Wasm, and these lists hold a handful of codes.
pub(super) fn in_listed_order(codes: &[&'static str], listed: &[&str]) -> Vec<&'static str> {
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

    #[test]
    fn every_code_is_explained_and_listed_once() {
        let all: Vec<&str> = BLOCKING_CODES
            .iter()
            .chain(&WARNING_CODES)
            .copied()
            .collect();
        for code in &all {
            assert_ne!(explain(code), "Unknown code.", "{code}");
            assert_eq!(all.iter().filter(|c| *c == code).count(), 1, "{code}");
        }
        assert_eq!(explain("no_such_code"), "Unknown code.");
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
