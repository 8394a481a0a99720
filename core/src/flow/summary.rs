//! Step 3: the closeout summary, and its first delivery through the simulated connector when it is
//! closed.

use super::connector::event::{closeout_event, closeout_public_summary, DEFAULT_MAX_SUMMARY_CHARS};
use super::connector::{self, Event};
use super::delivery::closeout_calls;
use super::inputs;
use super::StepError;
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::{strings, Value};
use crate::record::{field, seal, RecordKind};
use crate::scenario::Scenario;
use crate::states::{CloseoutState, ReadinessState, SignatureState};
use crate::time::Timestamp;

/// What step 3 sums up: the blockers, sorted and unique, and the bundle and manifest it names (empty
/// when there is none).
struct SummaryBlockers {
    blockers: Vec<String>,
    bundle_id: String,
    manifest_id: String,
}

/// The summary blockers of step 3, from the latest bundle and manifest.
fn summary_blockers(log: &EvidenceLog, reference: &str) -> SummaryBlockers {
    let mut blockers: Vec<String> = Vec::new();
    let bundle = log.latest(RecordKind::ReadinessBundle, reference);
    let manifest = log.latest(RecordKind::ArchiveManifest, reference);
    match bundle {
        None => blockers.push("readiness_bundle_missing".into()),
        Some(bundle)
            if ReadinessState::parse(bundle.record.str_at(field::CLOSEOUT_STATE))
                != Some(ReadinessState::ReadyForCloseout) =>
        {
            blockers.push("readiness_bundle_not_ready".into());
            for blocker in bundle
                .record
                .get(field::BLOCKERS)
                .and_then(Value::as_array)
                .unwrap_or_default()
            {
                blockers.push(blocker.as_str().unwrap_or_default().to_string());
            }
        }
        Some(_) => {}
    }
    match manifest {
        None => blockers.push("archive_manifest_missing".into()),
        Some(manifest) => {
            if manifest
                .record
                .get(field::ARCHIVE_OBJECTS)
                .and_then(Value::as_array)
                .is_none_or(<[Value]>::is_empty)
            {
                blockers.push("archive_manifest_has_no_archive_objects".into());
            }
            if SignatureState::parse(manifest.record.str_at(field::SIGNATURE_STATE))
                != Some(SignatureState::ExternalSignatureAttached)
            {
                blockers.push("archive_manifest_external_signature_missing".into());
            }
            // D-3: a manifest that names another bundle does not close this one.
            if bundle.is_some_and(|b| b.id() != manifest.record.str_at(field::BUNDLE_ID)) {
                blockers.push("archive_manifest_bundle_mismatch".into());
            }
        }
    }
    blockers.sort();
    blockers.dedup();
    SummaryBlockers {
        blockers,
        bundle_id: bundle.map(|b| b.id().to_string()).unwrap_or_default(),
        manifest_id: manifest.map(|m| m.id().to_string()).unwrap_or_default(),
    }
}

/// Whether a closeout summary record is closed.
pub(super) fn is_closed(summary: &Value) -> bool {
    CloseoutState::parse(summary.str_at(field::CLOSEOUT_STATE)) == Some(CloseoutState::Closed)
}

/// Step 3: the closeout summary, then its delivery through the simulated connector when it is closed.
pub fn closeout_summary(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let routing = inputs::delivery(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let SummaryBlockers {
        blockers,
        bundle_id,
        manifest_id,
    } = summary_blockers(log, reference);
    let closeout_state = if blockers.is_empty() {
        CloseoutState::Closed
    } else {
        CloseoutState::Open
    };
    let record = Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::BUNDLE_ID, Value::from(bundle_id)),
        (field::MANIFEST_ID, Value::from(manifest_id)),
        (field::BLOCKERS, strings(&blockers)),
        (field::CLOSEOUT_STATE, Value::from(closeout_state.as_str())),
        (field::BLOCKER_COUNT, Value::from(blockers.len())),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
    ]);
    let summary = seal(RecordKind::CloseoutSummary, record);
    let summary_id = summary.str_at(field::SUMMARY_ID).to_string();
    if !blockers.is_empty() {
        log.append(RecordKind::CloseoutSummary, summary);
        return Ok(Some(format!(
            "the summary is open ({}); only a closed summary is delivered",
            blockers.join(", ")
        )));
    }
    // Only the step's owner may run it, so the owner is the acting role.
    let generated_by = log.actor_identity().to_string();
    let sent = closeout_delivery_event(log, &summary, &generated_by, now);
    log.append(RecordKind::CloseoutSummary, summary);
    // D-4: the delivery is its own record; the summary is never edited.
    let prior = |provider: &str| closeout_calls(log, reference, &summary_id, provider);
    let delivery = connector::deliver(
        &Event {
            event_id: &summary_id,
            event_type: "release_closeout_summary",
            link: (field::SUMMARY_ID, &summary_id),
            release_record_ref: reference,
            sent: &sent,
        },
        &routing,
        prior,
        now,
    );
    log.append(RecordKind::ConnectorDelivery, delivery);
    Ok(None)
}

/// The closeout summary event for a closed summary (`docs/domain.md#41-delivery-events`), from it and
/// the bundle and manifest it names, made at `now` by `generated_by` (the acting role's identity, D-12). Step 3's
/// delivery and step 9's live redeliveries send it.
pub(super) fn closeout_delivery_event(
    log: &EvidenceLog,
    summary: &Value,
    generated_by: &str,
    now: Timestamp,
) -> Value {
    let linked = |key: &str| log.by_id(summary.str_at(key)).map(|entry| &entry.record);
    let public_summary = closeout_public_summary(
        summary,
        linked(field::BUNDLE_ID),
        linked(field::MANIFEST_ID),
    );
    closeout_event(public_summary, generated_by, now, DEFAULT_MAX_SUMMARY_CHARS)
}
