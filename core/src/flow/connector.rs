//! The simulated connector (`docs/domain.md#the-simulated-connector`): a non-production stand-in that
//! records what a real connector would have done, with every credential shown as `REDACTED`. Real
//! delivery needs Enterprise or an operator-owned connector holding secrets; the record says so.
//!
//! A delivery sends one event ([`event`]); each provider gets the event's `provider_payloads[provider]`
//! ([`payloads`]), and the delivery record keeps the event, so the chain holds what each provider got.

pub mod bodies;
pub mod event;
mod payloads;

use super::inputs::{Outcome, Routing};
use crate::json::{digest, Value};
use crate::record::{field, seal, RecordKind};
use crate::states::DeliveryState;
use crate::time::Timestamp;

/// The schema of a connector delivery record.
pub const DELIVERY_SCHEMA: &str = "cavra.connector.delivery.v1";

/// What a delivery is about, and the link to the record it delivers.
pub struct Event<'a> {
    pub event_id: &'a str,
    /// `release_closeout_summary`, `retention_alert` or `closeout_redelivery`.
    pub event_type: &'a str,
    /// The field naming the delivered record (`summary_id` or `plan_id`) and its id.
    pub link: (&'a str, &'a str),
    pub release_record_ref: &'a str,
    /// The delivery event sent ([`event::closeout_event`] or [`event::alert_event`]).
    pub sent: &'a Value,
}

/// Delivers an event to each provider through the simulated connector. `prior_calls(provider)` says
/// how many calls this event's subject already had for that provider (D-5), which decides a
/// `fail_once` outcome. Each provider is sent its body from the event (`provider_payloads[provider]`),
/// whose digest its request records. Returns the sealed delivery record, holding the event.
pub fn deliver(
    event: &Event<'_>,
    routing: &Routing,
    prior_calls: impl Fn(&str) -> usize,
    now: Timestamp,
) -> Value {
    let providers: Vec<Value> = routing
        .providers
        .iter()
        .map(|(provider, outcome)| {
            let success = match outcome {
                Outcome::Delivered => true,
                Outcome::Failed => false,
                Outcome::FailOnce => prior_calls(provider) > 0,
            };
            // Every provider the input accepts has a body; any other would get the event whole.
            let body = event::payload_for(event.sent, provider).unwrap_or(event.sent);
            Value::object([
                (field::PROVIDER, Value::from(provider.as_str())),
                (
                    "route",
                    Value::from(format!("sandbox-simulated-{provider}")),
                ),
                (field::SUCCESS, Value::from(success)),
                (
                    "status_code",
                    Value::from(if success { 202i64 } else { 503 }),
                ),
                // The connector's own tries inside one call (it retries a 503 twice); D-5 counts calls.
                ("attempt_count", Value::from(if success { 1i64 } else { 3 })),
                (
                    "request",
                    Value::object([
                        ("method", Value::from("POST")),
                        (
                            "url",
                            Value::from(format!(
                                "https://{provider}.connector.invalid/cavra/closeout"
                            )),
                        ),
                        (
                            "headers",
                            Value::object([
                                ("Authorization", Value::from("REDACTED")),
                                ("Content-Type", Value::from("application/json")),
                            ]),
                        ),
                        ("body_sha256", Value::from(digest(body))),
                    ]),
                ),
            ])
        })
        .collect();
    let delivered = providers
        .iter()
        .filter(|p| p.get(field::SUCCESS).and_then(Value::as_bool) == Some(true))
        .count();
    let state = delivery_state(delivered, providers.len());
    seal(
        RecordKind::ConnectorDelivery,
        Value::object([
            ("schema_version", Value::from(DELIVERY_SCHEMA)),
            (field::EVENT_ID, Value::from(event.event_id)),
            (field::EVENT_TYPE, Value::from(event.event_type)),
            (event.link.0, Value::from(event.link.1)),
            (field::RELEASE_RECORD_REF, Value::from(event.release_record_ref)),
            (field::GENERATED_AT, Value::from(now.isoformat())),
            (field::PROVIDERS, Value::Array(providers)),
            (field::DELIVERY_STATE, Value::from(state.as_str())),
            (field::SIMULATED, Value::from(true)),
            (
                "boundary_note",
                Value::from("Simulated non-production connector. Live delivery needs Enterprise or an operator-owned connector holding secrets."),
            ),
            (field::EVENT, event.sent.clone()),
        ]),
    )
}

/// `delivered`, `partial_failure`, `failed`, or `not_delivered` when there was nothing to deliver to.
pub fn delivery_state(delivered: usize, total: usize) -> DeliveryState {
    match (delivered, total) {
        (_, 0) => DeliveryState::NotDelivered,
        (d, t) if d == t => DeliveryState::Delivered,
        (0, _) => DeliveryState::Failed,
        _ => DeliveryState::PartialFailure,
    }
}

/// Each provider's calls in a delivery record: `(provider, success)`.
pub fn calls(record: &Value) -> Vec<(String, bool)> {
    record
        .get(field::PROVIDERS)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|p| {
            (
                p.str_at(field::PROVIDER).to_string(),
                p.get(field::SUCCESS).and_then(Value::as_bool) == Some(true),
            )
        })
        .collect()
}
