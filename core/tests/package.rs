//! Trial packages: every shared decide case, import refusals, unknown fields kept, and a session's
//! export deciding exactly as the session does.
// This test reads its fixtures from disk; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::panic)]

use closeout_core::flow::Session;
use closeout_core::json::{parse, pretty_string, Value};
use closeout_core::package::{export_session, sections, TrialPackage};
use closeout_core::scenario::Scenario;
use closeout_core::steps::StepId;
use closeout_core::time::Timestamp;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn codes(value: &Value, key: &str) -> Vec<String> {
    let mut list: Vec<String> = value
        .get(key)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    list.sort();
    list
}

#[test]
fn every_shared_decide_case_gets_its_decision() {
    let cases = fixture("decide-cases.json");
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 8);
    for case in cases {
        let name = case.str_at("name");
        let expect = case.get("expect").unwrap();
        let now = case
            .get("now")
            .and_then(Value::as_str)
            .map(|t| Timestamp::parse(t).unwrap());
        let bytes = pretty_string(case.get("package").unwrap()).into_bytes();
        match TrialPackage::import(&bytes) {
            Ok(package) => {
                assert_eq!(
                    expect.get("exit").and_then(Value::as_i64),
                    Some(0),
                    "{name}: should have been refused"
                );
                let decision = package.decision_value(now);
                assert_eq!(decision.str_at("state"), expect.str_at("state"), "{name}");
                assert_eq!(
                    codes(&decision, "blocking"),
                    codes(expect, "blocking"),
                    "{name}"
                );
                assert_eq!(
                    codes(&decision, "warnings"),
                    codes(expect, "warnings"),
                    "{name}"
                );
                assert_eq!(
                    decision.str_at("stated_state"),
                    "ready_with_accepted_risk",
                    "{name}"
                );
            }
            Err(error) => {
                assert_eq!(
                    expect.get("exit").and_then(Value::as_i64),
                    Some(2),
                    "{name}: refused: {error}"
                );
                assert!(
                    error.to_string().contains("$.retention_review.notes"),
                    "{name}: {error}"
                );
            }
        }
    }
}

#[test]
fn the_published_sample_imports_and_keeps_unknown_fields() {
    let mut sample = fixture("sample-evidence-package.json");
    sample.set("x_custom", Value::object([("kept", Value::from(true))]));
    let package = TrialPackage::from_value(sample.clone()).unwrap();
    assert_eq!(package.document, sample);
    assert_eq!(
        package.decide(None).state.code(),
        "ready_with_accepted_risk"
    );
}

#[test]
fn refusals_name_the_problem_and_its_path() {
    let sample = fixture("sample-evidence-package.json");
    type Edit = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Edit, &str)> = vec![
        (
            Box::new(|p: &mut Value| p.set("schema_version", Value::from("v0"))),
            "$.schema_version",
        ),
        // D-16: an absent step section is decided (below); an absent scenario, schema or time is
        // still refused.
        (
            Box::new(|p: &mut Value| {
                p.remove("scenario");
            }),
            "$.scenario: is missing",
        ),
        (
            Box::new(|p: &mut Value| {
                p.remove("schema_version");
            }),
            "$.schema_version: is missing",
        ),
        (
            Box::new(|p: &mut Value| {
                p.remove("generated_at");
            }),
            "$.generated_at: is missing",
        ),
        (
            Box::new(|p: &mut Value| p.set("retry_worker_run", Value::from(true))),
            "$.retry_worker_run: must be an object, found",
        ),
        (
            Box::new(|p: &mut Value| {
                let mut run = p.get("retry_worker_run").unwrap().clone();
                run.remove("state");
                p.set("retry_worker_run", run);
            }),
            "$.retry_worker_run.state: is missing (a string is required)",
        ),
        (
            Box::new(|p: &mut Value| p.set("generated_at", Value::from("yesterday"))),
            "$.generated_at",
        ),
        (
            Box::new(|p: &mut Value| {
                let mut review = p.get("retention_review").unwrap().clone();
                review.set("legal_hold", Value::from("no"));
                p.set("retention_review", review);
            }),
            "$.retention_review.legal_hold: must be true or false",
        ),
        (
            Box::new(|p: &mut Value| {
                let mut manifest = p.get("signed_archive_manifest").unwrap().clone();
                manifest.set("api_key", Value::from("abc"));
                p.set("signed_archive_manifest", manifest);
            }),
            "$.signed_archive_manifest.api_key",
        ),
    ];
    for (edit, expected) in cases {
        let mut package = sample.clone();
        edit(&mut package);
        let error = TrialPackage::from_value(package).unwrap_err().to_string();
        assert!(error.contains(expected), "expected {expected:?} in {error}");
    }
    let truncated = &pretty_string(&sample).into_bytes()[..500];
    assert!(TrialPackage::import(truncated)
        .unwrap_err()
        .to_string()
        .contains("not valid JSON"));
}

#[test]
fn a_sessions_export_decides_as_the_session_does() {
    let times = [
        "2026-05-31T08:30:00Z",
        "2026-06-05",
        "2026-06-08T12:00:00Z",
        "2027-05-10",
        "2027-06-01",
        "2029-01-01",
    ];
    for (name, _) in closeout_core::scenario::BUILT_IN {
        let scenario = Scenario::built_in(name).unwrap();
        let start = scenario.generated_at;
        let mut session = Session::start(scenario);
        // Part-way and complete sessions both.
        for step in [
            StepId::ReadinessBundle,
            StepId::CloseoutSummary,
            StepId::RetentionHealth,
        ] {
            let _ = session.run_step(step, step.owner(), &session.input_for(step), start);
            check_export(&session, start, name);
        }
        session.run_remaining(start);
        for time in times {
            let now = Timestamp::parse(time).unwrap();
            check_export(&session, now, name);
        }
    }
}

fn check_export(session: &Session, now: Timestamp, name: &str) {
    let exported = export_session(session, now);
    let bytes = pretty_string(&exported).into_bytes();
    let package =
        TrialPackage::import(&bytes).unwrap_or_else(|e| panic!("{name}: own export refused: {e}"));
    let from_package = package.decide(Some(now));
    let from_session = session.decision(now);
    assert_eq!(from_package.state, from_session.state, "{name} at {now}");
    assert_eq!(
        from_package.blocking, from_session.blocking,
        "{name} at {now}"
    );
    assert_eq!(
        from_package.warnings, from_session.warnings,
        "{name} at {now}"
    );
}

/// The sample with `section` removed, and with it set to `null`.
fn without(section: &str) -> (TrialPackage, TrialPackage) {
    let mut absent = fixture("sample-evidence-package.json");
    absent.remove(section).unwrap();
    let mut null = fixture("sample-evidence-package.json");
    null.set(section, Value::Null);
    (
        TrialPackage::from_value(absent).unwrap(),
        TrialPackage::from_value(null).unwrap(),
    )
}

#[test]
fn a_package_without_a_step_section_decides_as_with_it_null() {
    let steps: Vec<&str> = sections::TABLE
        .iter()
        .filter(|s| s.step.is_some())
        .map(|s| s.key)
        .collect();
    assert_eq!(steps.len(), 10);
    for key in steps {
        let (absent, null) = without(key);
        for now in [
            None,
            Some(Timestamp::parse("2026-06-08T12:00:00Z").unwrap()),
        ] {
            let decision = absent.decide(now);
            // The same state, codes, criteria and evidence as the section set to null.
            assert_eq!(decision, null.decide(now), "{key}");
            assert_eq!(decision.state.code(), "blocked", "{key}: {decision:?}");
            let value = absent.decision_value(now);
            let mut expected = null.decision_value(now);
            expected.set("absent_sections", Value::Array(vec![Value::from(key)]));
            assert_eq!(value, expected, "{key}");
        }
        assert_eq!(absent.absent_sections(), [key]);
        assert!(
            null.absent_sections().is_empty(),
            "{key}: null is not absent"
        );
        assert_eq!(null.decision_value(None).get("absent_sections"), None);
    }
}

#[test]
fn the_incomplete_closeouts_of_issue_14_get_their_codes() {
    for (key, code) in [
        ("closeout_retry_plan", "failed_delivery_without_retry_plan"),
        ("retry_worker_run", "retry_worker_missing"),
        ("retention_health_report", "retention_health_missing"),
    ] {
        let (absent, _) = without(key);
        let decision = absent.decide(None);
        assert_eq!(decision.blocking, [code], "{key}");
        assert_eq!(
            absent.absent_note().unwrap(),
            format!("absent sections (read as not run): {key}")
        );
    }
}

#[test]
fn an_export_carries_each_delivery_with_its_event_and_imports_through_the_guard() {
    let scenario = Scenario::built_in("accepted-risk").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    session.run_remaining(now);
    let exported = export_session(&session, now);
    for (section, event_type, providers) in [
        (
            "release_closeout_summary",
            "cavra.go_backend.rollback_drill.final_reporting.release_closeout",
            2,
        ),
        (
            "retention_alert_delivery",
            "cavra.go_backend.rollback_drill.final_reporting.closeout_retention_health_alert",
            1,
        ),
    ] {
        let events = exported
            .get(section)
            .and_then(|s| s.get("delivery_events"))
            .and_then(Value::as_array)
            .unwrap();
        assert_eq!(events.len(), 1, "{section}");
        let delivery = session
            .log()
            .by_id(events[0].str_at("delivery_id"))
            .unwrap();
        assert_eq!(
            events[0].get("event"),
            delivery.record.get("event"),
            "{section}"
        );
        let event = events[0].get("event").unwrap();
        assert_eq!(event.str_at("event_type"), event_type);
        let calls = delivery
            .record
            .get("providers")
            .unwrap()
            .as_array()
            .unwrap();
        assert_eq!(calls.len(), providers, "{section}");
    }
    // Import scans the whole document, every provider's body included, and keeps the events as they are.
    let package = TrialPackage::import(&pretty_string(&exported).into_bytes()).unwrap();
    assert_eq!(package.document, exported);
}
