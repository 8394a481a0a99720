//! Exporting a session as a trial package (`docs/domain.md#7-the-trial-package`) with real ids and
//! digests: one function per section, each mapping the step's latest record onto the package's fields,
//! written in the [section table](super::sections)'s order. A step that did not run is `null`.

use super::sections::{
    closeout_artifact_bundle as artifact_bundle, closeout_retry_plan as retry_plan,
    final_readiness_bundle as readiness, release_closeout_summary as summary, release_decision,
    retention_alert_delivery as alert, retention_health_report as health,
    retention_review as review, retry_worker_run as worker, scenario,
    signed_archive_manifest as manifest, Field, TABLE,
};
use super::PACKAGE_SCHEMA;
use crate::evidence::{Entry, EvidenceLog};
use crate::flow::inputs::AcceptedRisk;
use crate::flow::{closeout_deliveries, summary_delivery_state, Session};
use crate::json::{strings, Value};
use crate::record::{field, RecordKind};
use crate::states::{DeliveryState, ReadinessState, RetryAction};
use crate::time::Timestamp;

/// Exports a session as a trial package with real ids and digests. Steps that did not run are `null`.
pub fn export_session(session: &Session, now: Timestamp) -> Value {
    let source = Source {
        log: session.log(),
        reference: session.release_record_ref(),
    };
    let sections = [
        (scenario::SECTION.key, scenario_section(session)),
        (
            readiness::SECTION.key,
            final_readiness_bundle(&source).into(),
        ),
        (
            manifest::SECTION.key,
            signed_archive_manifest(&source).into(),
        ),
        (
            summary::SECTION.key,
            release_closeout_summary(&source).into(),
        ),
        (review::SECTION.key, retention_review(&source).into()),
        (
            artifact_bundle::SECTION.key,
            closeout_artifact_bundle(&source).into(),
        ),
        (health::SECTION.key, retention_health_report(&source).into()),
        (alert::SECTION.key, retention_alert_delivery(&source).into()),
        (retry_plan::SECTION.key, closeout_retry_plan(&source).into()),
        (worker::SECTION.key, retry_worker_run(&source).into()),
        (
            release_decision::SECTION.key,
            release_decision_section(session, now),
        ),
    ];
    let head = [
        ("schema_version", Value::from(PACKAGE_SCHEMA)),
        ("generated_at", Value::from(now.isoformat())),
    ];
    let sections = in_order(TABLE.iter().map(|s| s.key), sections);
    Value::object(head.into_iter().chain(sections))
}

/// Where a section's records come from: the session's log, for its release.
struct Source<'a> {
    log: &'a EvidenceLog,
    reference: &'a str,
}

impl Source<'_> {
    fn latest(&self, kind: RecordKind) -> Option<&Value> {
        self.log.latest(kind, self.reference).map(|e| &e.record)
    }
}

/// An object holding `values` in the order of `fields`; a field given no value is left out.
fn object(fields: &[Field], values: impl IntoIterator<Item = (Field, Value)>) -> Value {
    let values = values.into_iter().map(|(field, value)| (field.key, value));
    Value::object(in_order(fields.iter().map(|f| f.key), values))
}

/// `values` in the order of `keys`, leaving out any key given no value.
fn in_order(
    keys: impl Iterator<Item = &'static str>,
    values: impl IntoIterator<Item = (&'static str, Value)>,
) -> Vec<(&'static str, Value)> {
    let mut values: Vec<_> = values.into_iter().collect();
    keys.filter_map(|key| {
        let at = values.iter().position(|(k, _)| *k == key)?;
        Some((key, values.swap_remove(at).1))
    })
    .collect()
}

fn scenario_section(session: &Session) -> Value {
    use scenario::*;
    let scenario = &session.scenario;
    object(
        SECTION.fields,
        [
            (NAME, Value::from(scenario.name.as_str())),
            (EDITION, Value::from("community")),
            (PURPOSE, Value::from(scenario.title.as_str())),
            (DATA_CLASSIFICATION, Value::from("synthetic_public_demo")),
            (BOUNDARY_NOTE, Value::from(crate::BOUNDARY_NOTE)),
            (
                RELEASE_RECORD_REF,
                Value::from(session.release_record_ref()),
            ),
            (EVIDENCE_HEAD_DIGEST, Value::from(session.head_digest())),
        ],
    )
}

/// Step 1: the package has two readiness states, ready or incomplete.
fn final_readiness_bundle(source: &Source<'_>) -> Option<Value> {
    use readiness::*;
    let bundle = source.latest(RecordKind::ReadinessBundle)?;
    let ready = ReadinessState::parse(bundle.str_at("closeout_state"))
        == Some(ReadinessState::ReadyForCloseout);
    let state = if ready {
        ReadinessState::ReadyForCloseout
    } else {
        ReadinessState::Incomplete
    };
    let refs = bundle.get("public_evidence_refs").cloned();
    Some(object(
        SECTION.fields,
        [
            (BUNDLE_ID, Value::from(bundle.str_at("bundle_id"))),
            (RELEASE_ID, Value::from(source.reference)),
            (STATE, Value::from(state.package_str())),
            (EVIDENCE_REFS, refs.unwrap_or(Value::Array(vec![]))),
        ],
    ))
}

/// Step 2: the private key is never stored, so the package says so.
fn signed_archive_manifest(source: &Source<'_>) -> Option<Value> {
    use manifest::*;
    let m = source.latest(RecordKind::ArchiveManifest)?;
    Some(object(
        SECTION.fields,
        [
            (MANIFEST_ID, Value::from(m.str_at("manifest_id"))),
            (SIGNATURE_STATE, Value::from(m.str_at("signature_state"))),
            (
                SIGNATURE_ALGORITHM,
                Value::from(m.str_at("signature_algorithm")),
            ),
            (KEY_REFERENCE, Value::from(m.str_at("signature_key_id"))),
            (PRIVATE_KEY_STORED, Value::from(false)),
            (
                MANIFEST_DIGEST,
                Value::from(format!("sha256:{}", m.str_at("manifest_hash"))),
            ),
        ],
    ))
}

/// Step 3: the summary's evidence is itself and each of its deliveries.
fn release_closeout_summary(source: &Source<'_>) -> Option<Value> {
    use summary::*;
    let s = source.latest(RecordKind::CloseoutSummary)?;
    let (log, reference) = (source.log, source.reference);
    let id = s.str_at("summary_id");
    let mut refs = vec![id.to_string()];
    refs.extend(closeout_deliveries(log, reference, id).map(|d| d.id().to_string()));
    let blockers = s
        .get("blockers")
        .and_then(Value::as_array)
        .map_or(0, <[Value]>::len);
    let delivery_state = summary_delivery_state(log, reference, id);
    let events = delivery_events(closeout_deliveries(log, reference, id));
    Some(object(
        SECTION.fields,
        [
            (CLOSEOUT_ID, Value::from(id)),
            (CLOSEOUT_STATE, Value::from(s.str_at("closeout_state"))),
            (BLOCKER_COUNT, Value::from(blockers)),
            (DELIVERY_STATE, Value::from(delivery_state.as_str())),
            (PUBLIC_EVIDENCE_REFS, strings(&refs)),
            (DELIVERY_EVENTS, events),
        ],
    ))
}

/// `[{delivery_id, event}]` for each delivery record, in the order they were made: the event each one
/// sent, whose `provider_payloads` are the bodies its providers received. A delivery made before the
/// sandbox kept events has `event: null`.
fn delivery_events<'a>(deliveries: impl Iterator<Item = &'a Entry>) -> Value {
    Value::Array(
        deliveries
            .map(|d| {
                Value::object([
                    (field::DELIVERY_ID, Value::from(d.id())),
                    (
                        field::EVENT,
                        d.record.get(field::EVENT).cloned().unwrap_or(Value::Null),
                    ),
                ])
            })
            .collect(),
    )
}

/// Step 4: the latest decision, with the request it decided.
fn retention_review(source: &Source<'_>) -> Option<Value> {
    use review::*;
    let decision = source.latest(RecordKind::RetentionDecision)?;
    let request = source.log.by_id(decision.str_at("review_id"))?;
    let legal_hold = request.record.get("legal_hold").cloned();
    Some(object(
        SECTION.fields,
        [
            (REVIEW_ID, Value::from(request.id())),
            (REQUEST_STATE, Value::from("submitted")),
            (
                DECISION_STATE,
                Value::from(decision.str_at("decision_state")),
            ),
            (APPROVED_BY, Value::from(decision.str_at("decided_by"))),
            (
                RETENTION_UNTIL,
                Value::from(request.record.str_at("retention_until")),
            ),
            (LEGAL_HOLD, legal_hold.unwrap_or(Value::Bool(false))),
            (NOTES, Value::from(decision.str_at("notes"))),
        ],
    ))
}

/// Step 5: the bundle carries the state of the retention decision it names.
fn closeout_artifact_bundle(source: &Source<'_>) -> Option<Value> {
    use artifact_bundle::*;
    let a = source.latest(RecordKind::ArtifactBundle)?;
    let decision_state = source
        .log
        .by_id(a.str_at("retention_decision_id"))
        .map_or("", |d| d.record.str_at("decision_state"));
    let files = a.get("files").and_then(Value::as_array).unwrap_or_default();
    let files = files.iter().map(|f| {
        object(
            FILES.fields(),
            [
                (file::NAME, Value::from(f.str_at("path"))),
                (file::SHA256, Value::from(f.str_at("sha256"))),
            ],
        )
    });
    Some(object(
        SECTION.fields,
        [
            (
                ARTIFACT_BUNDLE_ID,
                Value::from(a.str_at("artifact_bundle_id")),
            ),
            (DOWNLOAD_STATE, Value::from(a.str_at("download_state"))),
            (RETENTION_DECISION_STATE, Value::from(decision_state)),
            (FILES, Value::Array(files.collect())),
        ],
    ))
}

/// Step 6: the report's summary is copied whole; its findings name their fields as the package does.
fn retention_health_report(source: &Source<'_>) -> Option<Value> {
    use health::*;
    let h = source.latest(RecordKind::RetentionHealth)?;
    let findings = h
        .get("findings")
        .and_then(Value::as_array)
        .unwrap_or_default();
    let findings = findings.iter().map(|finding| {
        let fields = FINDINGS.fields();
        object(
            fields,
            fields
                .iter()
                .map(|field| (*field, Value::from(finding.str_at(field.key)))),
        )
    });
    Some(object(
        SECTION.fields,
        [
            (REPORT_ID, Value::from(h.str_at("health_id"))),
            (HEALTH_STATE, Value::from(h.str_at("alert_level"))),
            (SUMMARY, h.get("summary").cloned().unwrap_or(Value::Null)),
            (FINDINGS, Value::Array(findings.collect())),
        ],
    ))
}

/// Step 7: alerts count only for the latest health report, as the live decision reads them.
fn retention_alert_delivery(source: &Source<'_>) -> Option<Value> {
    use alert::*;
    let latest_health_id = source
        .latest(RecordKind::RetentionHealth)
        .map(|h| h.str_at("health_id"));
    let plan = source
        .latest(RecordKind::AlertPlan)
        .filter(|plan| Some(plan.str_at("health_id")) == latest_health_id)?;
    let plan_id = plan.str_at("plan_id");
    let deliveries = || {
        source.log.linked(
            RecordKind::ConnectorDelivery,
            source.reference,
            "plan_id",
            plan_id,
        )
    };
    let providers: Vec<Value> = deliveries()
        .flat_map(|d| {
            d.record
                .get("providers")
                .and_then(Value::as_array)
                .unwrap_or_default()
                .to_vec()
        })
        .map(|p| {
            let state = if p.get("success").and_then(Value::as_bool) == Some(true) {
                DeliveryState::Delivered
            } else {
                DeliveryState::Failed
            };
            object(
                PROVIDERS.fields(),
                [
                    (provider::PROVIDER, Value::from(p.str_at("provider"))),
                    (provider::ROUTE, Value::from(p.str_at("route"))),
                    (provider::DELIVERY_STATE, Value::from(state.as_str())),
                    (provider::REDACTED, Value::from(true)),
                ],
            )
        })
        .collect();
    let mut values = vec![
        (ALERT_ID, Value::from(plan_id)),
        (PROVIDERS, Value::Array(providers)),
    ];
    if let Some(reason) = plan.get("suppressed_reason").and_then(Value::as_str) {
        values.push((SUPPRESSED_REASON, Value::from(reason)));
    }
    values.push((DELIVERY_EVENTS, delivery_events(deliveries())));
    Some(object(SECTION.fields, values))
}

/// Step 8: the package names one decision: a retry if any, else a wait, else the first other.
fn closeout_retry_plan(source: &Source<'_>) -> Option<Value> {
    use retry_plan::*;
    let plan = source.latest(RecordKind::RetryPlan)?;
    let decisions = plan
        .get("decisions")
        .and_then(Value::as_array)
        .unwrap_or_default();
    let rank = |d: &&Value| match RetryAction::parse(d.str_at("decision")) {
        Some(RetryAction::Retry) => 0,
        Some(RetryAction::Wait) => 1,
        _ => 2,
    };
    let first = decisions.iter().min_by_key(rank);
    Some(object(
        SECTION.fields,
        [
            (RETRY_PLAN_ID, Value::from(plan.str_at("retry_plan_id"))),
            (
                SOURCE_DELIVERY_ID,
                Value::from(first.map_or("", |d| d.str_at("delivery_id"))),
            ),
            (
                DECISION,
                Value::from(first.map_or("none", |d| d.str_at("decision"))),
            ),
            (MODE, Value::from(plan.str_at("mode"))),
            (OWNER, Value::from(plan.str_at("generated_by"))),
            (
                TARGET_RESOLUTION_DATE,
                Value::from(plan.str_at("target_resolution_date")),
            ),
        ],
    ))
}

/// Step 9: the sandbox's worker never uses a live connector.
fn retry_worker_run(source: &Source<'_>) -> Option<Value> {
    use worker::*;
    let run = source.latest(RecordKind::WorkerRun)?;
    let selected = run.get("selected").cloned();
    let mut values = vec![
        (WORKER_RUN_ID, Value::from(run.str_at("run_id"))),
        (MODE, Value::from(run.str_at("mode"))),
        (STATE, Value::from(run.str_at("state"))),
        (
            WOULD_RETRY_DELIVERY_IDS,
            selected.unwrap_or(Value::Array(vec![])),
        ),
        (LIVE_CONNECTOR_USED, Value::from(false)),
    ];
    if let Some(dry) = run.get("preceded_by_dry_run_id").and_then(Value::as_str) {
        values.push((PRECEDED_BY_DRY_RUN_ID, Value::from(dry)));
    }
    Some(object(SECTION.fields, values))
}

/// Step 10: the session's own decision at `now`, always written.
fn release_decision_section(session: &Session, now: Timestamp) -> Value {
    use release_decision::*;
    let decision = session.decision(now);
    let risk = decision.accepted_risk.as_ref();
    object(
        SECTION.fields,
        [
            (CRITERIA_DOCUMENT, Value::from(super::CRITERIA_DOCUMENT)),
            (STATE, Value::from(decision.state.code())),
            (
                ACCEPTED_RISK,
                risk.map_or(Value::Null, AcceptedRisk::to_value),
            ),
            (EVALUATED_AT, Value::from(now.isoformat())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::package::sections::Kind;
    use crate::scenario::{Scenario, BUILT_IN};

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .unwrap_or_default()
            .iter()
            .map(|(key, _)| key.as_str())
            .collect()
    }

    /// The keys `fields` lists that `value` holds, in the table's order.
    fn table_keys<'a>(fields: &'a [Field], value: &Value) -> Vec<&'a str> {
        let present = keys(value);
        fields
            .iter()
            .map(|f| f.key)
            .filter(|key| present.contains(key))
            .collect()
    }

    /// Every object in `value` holds only the table's fields, in its order, and every required one.
    fn check_object(fields: &[Field], value: &Value, path: &str) {
        assert_eq!(keys(value), table_keys(fields, value), "{path}");
        for field in fields {
            let optional = matches!(field.kind, Kind::OptionalText);
            assert!(
                optional || value.get(field.key).is_some(),
                "{path}.{}",
                field.key
            );
            let inner = field.fields();
            match (field.kind, value.get(field.key)) {
                (Kind::Objects(_), Some(Value::Array(items))) => {
                    for item in items {
                        check_object(inner, item, &format!("{path}.{}[]", field.key));
                    }
                }
                (Kind::OptionalObject(_), Some(Value::Null)) => {}
                // The health report's summary is the record's, copied whole.
                (Kind::Object(_), Some(item)) => {
                    assert!(inner.iter().all(|f| item.get(f.key).is_some()), "{path}");
                }
                (Kind::OptionalObject(_), Some(item)) => {
                    check_object(inner, item, &format!("{path}.{}", field.key));
                }
                _ => {}
            }
        }
    }

    #[test]
    fn every_section_writes_the_tables_fields_in_its_order() {
        for (name, _) in BUILT_IN {
            let scenario = Scenario::built_in(name).unwrap();
            let now = scenario.generated_at;
            let mut session = Session::start(scenario);
            session.run_remaining(now);
            let document = export_session(&session, now);
            let mut expected = vec!["schema_version", "generated_at"];
            expected.extend(TABLE.iter().map(|s| s.key));
            assert_eq!(keys(&document), expected, "{name}");
            for section in TABLE {
                let value = document.get(section.key).unwrap();
                if !value.is_null() {
                    check_object(section.fields, value, &format!("{name}: $.{}", section.key));
                }
            }
        }
    }

    #[test]
    fn steps_that_did_not_run_are_null_and_the_decision_is_always_written() {
        let scenario = Scenario::built_in("ready").unwrap();
        let now = scenario.generated_at;
        let document = export_session(&Session::start(scenario), now);
        for section in TABLE {
            let value = document.get(section.key).unwrap();
            let written = section.step.is_none() || section.key == release_decision::SECTION.key;
            assert_eq!(!value.is_null(), written, "{}", section.key);
        }
        let decision = document.get(release_decision::SECTION.key).unwrap();
        assert_eq!(
            decision.str_at(release_decision::CRITERIA_DOCUMENT.key),
            super::super::CRITERIA_DOCUMENT
        );
        assert_eq!(
            decision.str_at(release_decision::EVALUATED_AT.key),
            now.isoformat()
        );
    }
}
