//! A record's identity: its material, the id and hash derived from it, and sealing a freshly built record
//! with them (`docs/domain.md#27-records`).
//!
//! A record's id is `prefix + first 16 hex` of the digest of its material; its hash field, where it has
//! one, is the full digest. A connector delivery's id is built differently, from its event id.

use super::field;
use super::{Material, RecordKind};
use crate::json::{digest, Value};
use sha2::{Digest, Sha256};

/// The material of a record of this kind: the object that is hashed.
pub fn material_of(kind: RecordKind, record: &Value) -> Value {
    let spec = kind.spec();
    match spec.material {
        Material::Keys(keys) => Value::object(
            keys.iter()
                .map(|key| (*key, record.get(key).cloned().unwrap_or(Value::Null))),
        ),
        Material::AllButIdentity | Material::ConnectorDelivery => {
            let mut material = record.clone();
            material.remove(spec.id_field);
            if let Some(hash_field) = spec.hash_field {
                material.remove(hash_field);
            }
            material
        }
    }
}

/// What a record's id and hash fields must hold: `(id, Some(hash))`.
pub fn identity_of(kind: RecordKind, record: &Value) -> (String, Option<String>) {
    let spec = kind.spec();
    if spec.material == Material::ConnectorDelivery {
        return (connector_delivery_id(record), None);
    }
    let hash = digest(&material_of(kind, record));
    let id = format!("{}{}", spec.prefix, &hash[..16]);
    (id, spec.hash_field.map(|_| hash))
}

/// Fills in a freshly built record's id and hash fields, at the front of the object.
pub fn seal(kind: RecordKind, mut record: Value) -> Value {
    let spec = kind.spec();
    let (id, hash) = identity_of(kind, &record);
    record.remove(spec.id_field);
    let mut sealed = vec![(spec.id_field.to_string(), Value::String(id))];
    if let (Some(field), Some(hash)) = (spec.hash_field, hash) {
        record.remove(field);
        sealed.push((field.to_string(), Value::String(hash)));
    }
    if let Value::Object(pairs) = record {
        sealed.extend(pairs);
    }
    Value::Object(sealed)
}

/// `rcd-{slug(event_id)}-{first 12 hex of sha256("{event_id}|{generated_at}|{providers comma-joined}")}`.
pub fn connector_delivery_id(record: &Value) -> String {
    let event_id = record.str_at(field::EVENT_ID);
    let generated_at = record.str_at(field::GENERATED_AT);
    let providers: Vec<&str> = record
        .get(field::PROVIDERS)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|p| p.str_at(field::PROVIDER))
        .collect();
    let material = format!("{event_id}|{generated_at}|{}", providers.join(","));
    let hash = hex::encode(Sha256::digest(material.as_bytes()));
    format!("rcd-{}-{}", slug(event_id), &hash[..12])
}

/// Lowercase, every non-alphanumeric character to `-`, trimmed of `-` (`docs/domain.md#27-records`).
///
/// Alphanumeric means ASCII letters and digits: the text slugged is an event id, and every event id the
/// spec defines is a record id (an ASCII prefix and hex digits). Unicode case mapping and letter tables
/// would cost the app's first load about 8 KB gzip for text no conforming chain holds; a non-ASCII
/// character becomes `-` like any other character outside `[a-z0-9]`.
pub fn slug(text: &str) -> String {
    let lowered: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    lowered.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn summary_id_matches_the_shared_vector() {
        let record = parse(
            r#"{"generated_at": "2026-05-31T08:30:00+00:00", "bundle_id": "gordackfinalbundle-0000000000000000",
                "manifest_id": "gordackfinalmanifest-0000000000000000", "blockers": [], "closeout_state": "closed",
                "delivery_state": "not_delivered"}"#,
        )
        .unwrap();
        let sealed = seal(RecordKind::CloseoutSummary, record);
        assert_eq!(
            sealed.str_at("summary_id"),
            "gordackfinalcloseout-a2735f16ec4f0d8c"
        );
        assert_eq!(
            sealed.str_at("summary_hash"),
            "a2735f16ec4f0d8c867e2fb8b2d447f69a2e3635481ab78e8cc406e0f800b87c"
        );
        assert_eq!(
            identity_of(RecordKind::CloseoutSummary, &sealed).0,
            sealed.str_at("summary_id")
        );
    }

    #[test]
    fn connector_delivery_id_follows_the_spec() {
        let record = parse(
            r#"{"event_id": "Closeout Summary/ABC!", "generated_at": "2026-05-31T08:30:00+00:00",
                "providers": [{"provider": "webhook"}, {"provider": "splunk"}]}"#,
        )
        .unwrap();
        let expected = hex::encode(Sha256::digest(
            b"Closeout Summary/ABC!|2026-05-31T08:30:00+00:00|webhook,splunk",
        ));
        assert_eq!(
            connector_delivery_id(&record),
            format!("rcd-closeout-summary-abc-{}", &expected[..12])
        );
        assert_eq!(slug("--A b--"), "a-b");
        // Only ASCII letters and digits are kept (see `slug`).
        assert_eq!(slug("Été-42"), "t--42");
    }
}
