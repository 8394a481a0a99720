//! Delivery events (`docs/domain.md#41-delivery-events`): the one event a delivery sends, in CAVRA's
//! shapes and strings, whose `provider_payloads[provider]` is the body each provider receives.
//!
//! Two events: the closeout summary event (step 3, and a live redelivery in step 9) and the retention
//! health alert event (step 7). Each is built from a public summary of the records the step rests on, so
//! nothing outside that summary (no secret, no private endpoint) can reach a connector.

use super::payloads;
use crate::json::{canonical_string, strings, Value};
use crate::record::field;
use crate::states::HealthLevel;
use crate::time::Timestamp;

/// The closeout summary event's schema.
pub const CLOSEOUT_EVENT_SCHEMA: &str =
    "cavra.go-backend-pilot.rollback-drill-final-reporting-release-closeout-delivery-event.v1";
/// The closeout summary event's type.
pub const CLOSEOUT_EVENT_TYPE: &str =
    "cavra.go_backend.rollback_drill.final_reporting.release_closeout";
/// The retention health alert event's schema.
pub const ALERT_EVENT_SCHEMA: &str =
    "cavra.go-backend-pilot.rollback-drill-final-reporting-closeout-retention-health-alert-event.v1";
/// The retention health alert event's type.
pub const ALERT_EVENT_TYPE: &str =
    "cavra.go_backend.rollback_drill.final_reporting.closeout_retention_health_alert";

/// How much of the public summary's canonical JSON the closeout event's `payload` keeps, by default.
pub const DEFAULT_MAX_SUMMARY_CHARS: i64 = 12_000;
/// The least and most `max_summary_chars` may be; a value outside is clamped, as CAVRA does.
pub const MAX_SUMMARY_CHARS_BOUNDS: (i64, i64) = (1_000, 50_000);

/// The controls the closeout event lists.
const CLOSEOUT_CONTROLS: [&str; 3] = [
    "closeout-delivery-event-contains-public-safe-release-evidence-only",
    "connector-delivery-redacts-provider-credentials",
    "private-grc-siem-archive-side-effects-remain-outside-community-repository",
];

/// An object being built: one non-generic `push` for every field, so the builders below share one
/// code path rather than one per object literal (the app's first load carries them).
pub(super) struct Pairs(Vec<(String, Value)>);

impl Pairs {
    pub(super) fn new() -> Pairs {
        Pairs(Vec::new())
    }

    pub(super) fn push(&mut self, key: &str, value: Value) {
        self.0.push((key.to_string(), value));
    }

    /// Copies `keys` from `from` (`null` for a key it lacks).
    fn copy(&mut self, from: &Value, keys: &[&str]) {
        for key in keys {
            self.push(key, from.get(key).cloned().unwrap_or(Value::Null));
        }
    }

    pub(super) fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// The closeout event's fields copied from its public summary, after `generated_by`.
const CLOSEOUT_COPIED: [&str; 9] = [
    field::RELEASE_RECORD_REF,
    field::SUMMARY_ID,
    field::SUMMARY_HASH,
    field::BUNDLE_ID,
    field::MANIFEST_ID,
    field::CLOSEOUT_STATE,
    field::ARCHIVE_OBJECT_COUNT,
    field::EVIDENCE_COUNT,
    field::PUBLIC_EVIDENCE_REFS,
];

/// What step 3 sends, from the closed summary and the bundle and manifest it names (`None` when the log
/// does not hold them: their fields read as CAVRA's defaults).
pub fn closeout_public_summary(
    summary: &Value,
    bundle: Option<&Value>,
    manifest: Option<&Value>,
) -> Value {
    let signature_state = manifest
        .map(|m| m.str_at(field::SIGNATURE_STATE))
        .filter(|s| !s.is_empty())
        .unwrap_or("unknown");
    let archive_object_count = manifest
        .and_then(|m| m.get(field::ARCHIVE_OBJECTS))
        .and_then(Value::as_array)
        .map_or(0, <[Value]>::len);
    let evidence_count = bundle
        .and_then(|b| b.get(field::EVIDENCE_COUNT))
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let mut refs = Vec::new();
    for (scheme, key) in [
        ("readiness-bundle", field::BUNDLE_ID),
        ("archive-manifest", field::MANIFEST_ID),
        ("closeout-summary", field::SUMMARY_ID),
    ] {
        let id = summary.str_at(key);
        // A ref with no id after `://` names nothing; CAVRA drops it.
        if !id.is_empty() {
            refs.push(Value::from(format!(
                "go-rollback-drill-final-{scheme}://{id}"
            )));
        }
    }
    let mut executive = Pairs::new();
    executive.push("status", Value::from("final reporting is closed"));
    executive.push(
        "reason",
        Value::from("readiness bundle, archive manifest, and external signature are present"),
    );
    let mut out = Pairs::new();
    out.copy(
        summary,
        &[
            field::SUMMARY_ID,
            field::SUMMARY_HASH,
            field::RELEASE_RECORD_REF,
            field::CLOSEOUT_STATE,
        ],
    );
    // Only a closed summary is delivered, and CAVRA's closed summary is healthy.
    out.push(
        field::ALERT_LEVEL,
        Value::from(HealthLevel::Healthy.as_str()),
    );
    out.copy(summary, &[field::BUNDLE_ID, field::MANIFEST_ID]);
    out.push(field::SIGNATURE_STATE, Value::from(signature_state));
    out.push(
        field::ARCHIVE_OBJECT_COUNT,
        Value::from(archive_object_count),
    );
    out.push(field::EVIDENCE_COUNT, Value::from(evidence_count));
    out.push("executive_summary", executive.done());
    out.push(field::PUBLIC_EVIDENCE_REFS, Value::Array(refs));
    out.done()
}

/// The event's head: its schema, type, and `event_id = session_id = id`.
fn head(schema: &str, event_type: &str, id: &str) -> Pairs {
    let mut out = Pairs::new();
    out.push("schema_version", Value::from(schema));
    out.push(field::EVENT_TYPE, Value::from(event_type));
    out.push(field::EVENT_ID, Value::from(id));
    out.push(field::SESSION_ID, Value::from(id));
    out
}

/// The closeout summary event for a closed summary's public summary, made at `now` by `generated_by`
/// (the acting role's id). `payload` is the public summary's canonical JSON cut to `max_summary_chars`
/// (clamped to [`MAX_SUMMARY_CHARS_BOUNDS`]); `payload_truncated` says whether it was cut.
pub fn closeout_event(
    public_summary: Value,
    generated_by: &str,
    now: Timestamp,
    max_summary_chars: i64,
) -> Value {
    let (payload, payload_truncated) = cut(&public_summary, max_summary_chars);
    let texts = payloads::closeout_texts(&public_summary);
    let mut out = head(
        CLOSEOUT_EVENT_SCHEMA,
        CLOSEOUT_EVENT_TYPE,
        public_summary.str_at(field::SUMMARY_ID),
    );
    out.push(field::GENERATED_AT, Value::from(now.isoformat()));
    out.push(field::GENERATED_BY, Value::from(generated_by));
    out.copy(&public_summary, &CLOSEOUT_COPIED);
    out.push("payload", Value::from(payload));
    out.push("payload_truncated", Value::from(payload_truncated));
    out.push(
        field::PROVIDER_PAYLOADS,
        payloads::provider_payloads(public_summary, &texts),
    );
    out.push("controls", strings(CLOSEOUT_CONTROLS));
    out.done()
}

/// What step 7 sends: the alert plan's ids and level, with the health report's summary and findings.
pub fn alert_public_summary(plan: &Value, health: &Value) -> Value {
    let mut out = Pairs::new();
    out.copy(
        plan,
        &[field::PLAN_ID, field::HEALTH_ID, field::ALERT_LEVEL],
    );
    out.copy(health, &[field::SUMMARY, field::FINDINGS]);
    out.done()
}

/// The retention health alert event for an alert plan's public summary.
pub fn alert_event(public_summary: Value) -> Value {
    let texts = payloads::alert_texts(&public_summary);
    let mut out = head(
        ALERT_EVENT_SCHEMA,
        ALERT_EVENT_TYPE,
        public_summary.str_at(field::PLAN_ID),
    );
    out.copy(
        &public_summary,
        &[field::HEALTH_ID, field::PLAN_ID, field::ALERT_LEVEL],
    );
    out.push(
        field::PROVIDER_PAYLOADS,
        payloads::provider_payloads(public_summary, &texts),
    );
    out.done()
}

/// The body `provider` receives from `event`: its `provider_payloads[provider]`.
pub fn payload_for<'a>(event: &'a Value, provider: &str) -> Option<&'a Value> {
    event
        .get(field::PROVIDER_PAYLOADS)
        .and_then(|payloads| payloads.get(provider))
}

/// `max_summary_chars` clamped to its bounds.
pub fn clamp_max_summary_chars(max_summary_chars: i64) -> usize {
    let (least, most) = MAX_SUMMARY_CHARS_BOUNDS;
    usize::try_from(max_summary_chars.clamp(least, most)).unwrap_or(0)
}

/// The canonical JSON of `value` cut to `max_summary_chars` characters (as Python's slice counts
/// them), and whether it was cut.
fn cut(value: &Value, max_summary_chars: i64) -> (String, bool) {
    let text = canonical_string(value);
    let max = clamp_max_summary_chars(max_summary_chars);
    match text.char_indices().nth(max) {
        Some((end, _)) => (text[..end].to_string(), true),
        None => (text, false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A closed summary's public summary whose canonical JSON is exactly `len` characters long,
    /// padded through its release record ref.
    fn public_summary_of_length(len: usize) -> Value {
        let with = |reference: &str| {
            let summary = Value::object([
                (
                    field::SUMMARY_ID,
                    Value::from("gordackfinalcloseout-0123456789abcdef"),
                ),
                (field::CLOSEOUT_STATE, Value::from("closed")),
                (field::RELEASE_RECORD_REF, Value::from(reference)),
            ]);
            closeout_public_summary(&summary, None, None)
        };
        let base = canonical_string(&with("")).len();
        assert!(
            len >= base,
            "{len} is shorter than an empty summary ({base})"
        );
        let padded = with(&"r".repeat(len - base));
        assert_eq!(canonical_string(&padded).len(), len);
        padded
    }

    fn payload(public_summary: &Value, max: i64) -> (String, bool) {
        let now = Timestamp::parse("2026-05-31T08:30:00+00:00").unwrap();
        let event = closeout_event(public_summary.clone(), "release-manager", now, max);
        (
            event.str_at("payload").to_string(),
            event
                .get("payload_truncated")
                .and_then(Value::as_bool)
                .unwrap(),
        )
    }

    #[test]
    fn max_summary_chars_cuts_and_flags_the_payload_at_each_bound() {
        for bound in [1_000, DEFAULT_MAX_SUMMARY_CHARS, 50_000] {
            let limit = usize::try_from(bound).unwrap();
            // Exactly at the bound: whole, not flagged.
            let at = public_summary_of_length(limit);
            assert_eq!(
                payload(&at, bound),
                (canonical_string(&at), false),
                "{bound}"
            );
            // One character over: cut to the bound and flagged.
            let over = public_summary_of_length(limit + 1);
            let (text, truncated) = payload(&over, bound);
            assert!(truncated, "{bound}");
            assert_eq!(text.len(), limit);
            assert!(canonical_string(&over).starts_with(&text));
        }
    }

    #[test]
    fn max_summary_chars_outside_its_bounds_is_clamped() {
        let long = public_summary_of_length(60_000);
        assert_eq!(payload(&long, 0).0.len(), 1_000);
        assert_eq!(payload(&long, -5).0.len(), 1_000);
        assert_eq!(payload(&long, 999).0.len(), 1_000);
        assert_eq!(payload(&long, 50_001).0.len(), 50_000);
        assert_eq!(payload(&long, i64::MAX).0.len(), 50_000);
        let short = public_summary_of_length(900);
        assert_eq!(payload(&short, 0), (canonical_string(&short), false));
    }

    #[test]
    fn the_closeout_event_carries_cavras_fields_and_the_ids_of_its_records() {
        let summary = Value::object([
            (
                field::SUMMARY_ID,
                Value::from("gordackfinalcloseout-0123456789abcdef"),
            ),
            (field::SUMMARY_HASH, Value::from("ab".repeat(32))),
            (field::BUNDLE_ID, Value::from("gordackfinalbundle-1")),
            (field::MANIFEST_ID, Value::from("")),
            (field::CLOSEOUT_STATE, Value::from("closed")),
            (field::RELEASE_RECORD_REF, Value::from("release-1")),
        ]);
        let bundle = Value::object([(field::EVIDENCE_COUNT, Value::from(7i64))]);
        let public = closeout_public_summary(&summary, Some(&bundle), None);
        assert_eq!(public.str_at(field::SIGNATURE_STATE), "unknown");
        assert_eq!(public.get(field::EVIDENCE_COUNT), Some(&Value::from(7i64)));
        // The manifest ref has no id and is dropped, as CAVRA drops refs ending in `://`.
        assert_eq!(
            public.get(field::PUBLIC_EVIDENCE_REFS),
            Some(&strings([
                "go-rollback-drill-final-readiness-bundle://gordackfinalbundle-1",
                "go-rollback-drill-final-closeout-summary://gordackfinalcloseout-0123456789abcdef",
            ]))
        );
        let now = Timestamp::parse("2026-06-01T09:00:00+00:00").unwrap();
        let event = closeout_event(public.clone(), "release-manager", now, 12_000);
        assert_eq!(
            event.str_at(field::EVENT_ID),
            public.str_at(field::SUMMARY_ID)
        );
        assert_eq!(
            event.str_at(field::SESSION_ID),
            public.str_at(field::SUMMARY_ID)
        );
        assert_eq!(
            event.str_at(field::GENERATED_AT),
            "2026-06-01T09:00:00+00:00"
        );
        assert_eq!(event.str_at(field::GENERATED_BY), "release-manager");
        assert_eq!(payload_for(&event, "webhook"), Some(&public));
        assert_eq!(
            payload_for(&event, "jira").map(|b| b.str_at("summary")),
            Some("CAVRA Go rollback drill closeout release-1")
        );
        assert_eq!(payload_for(&event, "github"), None);
    }
}
