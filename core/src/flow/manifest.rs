//! Step 2: the signed archive manifest. It records who signs the readiness bundle and where; the key
//! stays with the operator.

use super::inputs;
use super::{require, StepError};
use crate::evidence::EvidenceLog;
use crate::input::Fields;
use crate::json::Value;
use crate::record::{field, RecordKind};
use crate::scenario::Scenario;
use crate::states::SignatureState;
use crate::steps::StepId;
use crate::time::Timestamp;

/// Step 2: the signed archive manifest, from the latest bundle and external signature metadata.
pub fn archive_manifest(
    log: &mut EvidenceLog,
    scenario: &Scenario,
    fields: &Fields<'_>,
    now: Timestamp,
) -> Result<Option<String>, StepError> {
    let input = inputs::manifest(fields)?;
    let reference = scenario.release_record_ref.as_str();
    let bundle = require(
        log,
        RecordKind::ReadinessBundle,
        reference,
        StepId::ArchiveManifest,
        "a final readiness bundle (step 1)",
    )?;
    let signature_state = if input.signature.is_some() {
        SignatureState::ExternalSignatureAttached
    } else {
        SignatureState::ExternalSignatureRequired
    };
    let record = Value::object([
        (field::GENERATED_AT, Value::from(now.isoformat())),
        (field::BUNDLE_ID, Value::from(bundle.id())),
        (field::BUNDLE_HASH, Value::from(bundle.record.str_at(field::BUNDLE_HASH))),
        (field::RELEASE_RECORD_REF, Value::from(reference)),
        (field::ARCHIVE_OBJECTS, bundle.record.get(field::ARCHIVE_OBJECTS).cloned().unwrap_or(Value::Array(vec![]))),
        ("signature", Value::from(input.signature.clone())),
        (field::SIGNATURE_KEY_ID, Value::from(input.signature_key_id)),
        (field::SIGNATURE_ALGORITHM, Value::from(input.signature_algorithm)),
        (field::SIGNATURE_STATE, Value::from(signature_state.as_str())),
        (field::PRIVATE_KEY_STORED, Value::from(false)),
        (
            "verification_note",
            Value::from("Not cryptographically verified: the manifest records who signs and where. Key custody stays with the operator's KMS."),
        ),
    ]);
    log.append_sealed(RecordKind::ArchiveManifest, record);
    Ok(input
        .signature
        .is_none()
        .then(|| "no external signature reference was given".to_string()))
}
