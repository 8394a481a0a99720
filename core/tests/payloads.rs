//! What each connector receives (issue 19, `docs/domain.md#41-delivery-events`): every provider's body
//! for the accepted-risk scenario's steps 3 and 7, byte for byte in canonical JSON against bodies
//! CPython wrote (`fixtures/payloads/`); each delivery sends each provider its body; every event of
//! every scenario, a live redelivery's included, passes the public-safe guard.
// This test reads its fixtures from disk; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::panic)]

use closeout_core::evidence::Entry;
use closeout_core::flow::connector::event::{
    payload_for, ALERT_EVENT_SCHEMA, ALERT_EVENT_TYPE, CLOSEOUT_EVENT_SCHEMA, CLOSEOUT_EVENT_TYPE,
};
use closeout_core::flow::inputs::PROVIDERS;
use closeout_core::flow::Session;
use closeout_core::guard::check_value;
use closeout_core::json::{canonical_string, digest, Value};
use closeout_core::record::RecordKind;
use closeout_core::scenario::Scenario;
use closeout_core::steps::StepId;
use closeout_core::Role;

fn ran(name: &str) -> Session {
    let scenario = Scenario::built_in(name).unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    session.run_remaining(now);
    session
}

fn deliveries(session: &Session) -> Vec<&Entry> {
    session
        .log()
        .entries()
        .iter()
        .filter(|e| e.kind == RecordKind::ConnectorDelivery)
        .collect()
}

/// The event of the first delivery naming `link` (`summary_id` for step 3, `plan_id` for step 7).
fn first_event<'a>(session: &'a Session, link: &str) -> &'a Value {
    deliveries(session)
        .into_iter()
        .find(|d| d.record.get(link).is_some())
        .and_then(|d| d.record.get("event"))
        .unwrap_or_else(|| panic!("no delivery naming {link} holds an event"))
}

fn fixture(step: &str, provider: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/payloads/accepted-risk/{step}/{provider}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_provider_body_of_steps_3_and_7_is_the_golden_one_byte_for_byte() {
    let session = ran("accepted-risk");
    for (step, link, schema, event_type) in [
        (
            "step-3",
            "summary_id",
            CLOSEOUT_EVENT_SCHEMA,
            CLOSEOUT_EVENT_TYPE,
        ),
        ("step-7", "plan_id", ALERT_EVENT_SCHEMA, ALERT_EVENT_TYPE),
    ] {
        let event = first_event(&session, link);
        assert_eq!(event.str_at("schema_version"), schema);
        assert_eq!(event.str_at("event_type"), event_type);
        let keys: Vec<&str> = event
            .get("provider_payloads")
            .and_then(Value::as_object)
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, PROVIDERS, "{step}: one body per provider, in order");
        for provider in PROVIDERS {
            let body = payload_for(event, provider).unwrap();
            assert_eq!(
                canonical_string(body),
                fixture(step, provider),
                "{step} {provider}"
            );
        }
    }
}

#[test]
fn each_delivery_sends_each_provider_its_body_and_keeps_the_event() {
    for name in ["ready", "accepted-risk", "blocked"] {
        let session = ran(name);
        assert!(!deliveries(&session).is_empty(), "{name}");
        for delivery in deliveries(&session) {
            let event = delivery.record.get("event").unwrap();
            assert_eq!(event.str_at("event_id"), delivery.record.str_at("event_id"));
            for call in delivery
                .record
                .get("providers")
                .and_then(Value::as_array)
                .unwrap()
            {
                let provider = call.str_at("provider");
                let body = payload_for(event, provider).unwrap();
                let sent = call.get("request").unwrap().str_at("body_sha256");
                assert_eq!(sent, digest(body), "{name}: {provider}");
            }
        }
    }
}

#[test]
fn every_event_passes_the_public_safe_guard_a_live_redelivery_included() {
    let mut events = Vec::new();
    for name in ["ready", "accepted-risk", "blocked"] {
        let session = ran(name);
        events.extend(
            deliveries(&session)
                .into_iter()
                .map(|d| (name, d.record.get("event").unwrap().clone())),
        );
    }
    // A live redelivery (step 9) after its dry run sends the closeout event again, made by the
    // platform owner who ran it.
    let scenario = Scenario::built_in("accepted-risk").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    for step in &StepId::ALL[..9] {
        let input = session.input_for(*step);
        session.run_step_by_owners(*step, &input, now).unwrap();
    }
    let mut live = session.input_for(StepId::RetryWorker);
    live.set("dry_run", Value::from(false));
    let later = now.plus_minutes(30);
    // A live redelivery rests on the release manager's approval record (D-13).
    session
        .run_step(StepId::RetryWorker, Role::ReleaseManager, &live, later)
        .unwrap();
    session
        .run_step(StepId::RetryWorker, Role::PlatformOwner, &live, later)
        .unwrap();
    let redelivery = deliveries(&session)
        .pop()
        .unwrap()
        .record
        .get("event")
        .unwrap()
        .clone();
    assert_eq!(redelivery.str_at("schema_version"), CLOSEOUT_EVENT_SCHEMA);
    assert_eq!(redelivery.str_at("generated_by"), "demo-platform-owner");
    assert_eq!(redelivery.str_at("generated_at"), later.isoformat());
    events.push(("accepted-risk live redelivery", redelivery));
    for (name, event) in &events {
        check_value(event, "$.event").unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }
}
