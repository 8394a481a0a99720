//! Each built-in scenario, run headlessly through the session API, reaches the decision its story
//! promises; role gating and prerequisites are enforced.
// This test reports a step's error before failing; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_macros, clippy::unwrap_used)]

use closeout_core::flow::{Session, StepError, StepStatus};
use closeout_core::json::Value;
use closeout_core::scenario::Scenario;
use closeout_core::steps::StepId;
use closeout_core::time::Timestamp;
use closeout_core::Role;

fn run(name: &str) -> (Session, Timestamp) {
    let scenario = Scenario::built_in(name).unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    for (run, error) in session.run_remaining(now).refused() {
        println!("step {}: {error}", run.step.number());
    }
    (session, now)
}

fn statuses(session: &Session) -> Vec<&'static str> {
    session.statuses().iter().map(StepStatus::code).collect()
}

#[test]
fn ready_scenario_is_ready_for_release() {
    let (session, now) = run("ready");
    let decision = session.decision(now);
    assert_eq!(decision.state.code(), "ready_for_release", "{:?}", decision);
    assert!(decision.blocking.is_empty() && decision.warnings.is_empty());
    assert_eq!(statuses(&session), vec!["done"; 10]);
    assert!(decision.criteria.iter().all(|c| c.passed));
}

#[test]
fn accepted_risk_scenario_tells_the_published_story() {
    let (session, now) = run("accepted-risk");
    let decision = session.decision(now);
    assert_eq!(
        decision.state.code(),
        "ready_with_accepted_risk",
        "{:?}",
        decision
    );
    assert_eq!(
        decision.warnings,
        vec!["health_warning", "delivery_failed_with_retry_plan"]
    );
    assert_eq!(statuses(&session), vec!["done"; 10]);
    // The accepted risk expires on 2026-06-07: a day later the release is blocked.
    let later = Timestamp::parse("2026-06-08T12:00:00Z").unwrap();
    let decision = session.decision(later);
    assert_eq!(decision.blocking, vec!["accepted_risk_expired"]);
    // A year on, retention has expired too.
    let year = Timestamp::parse("2027-06-01").unwrap();
    assert!(session
        .decision(year)
        .blocking
        .contains(&"retention_expired"));
}

#[test]
fn blocked_scenario_is_blocked_by_the_denied_review() {
    let (session, now) = run("blocked");
    let decision = session.decision(now);
    assert_eq!(decision.state.code(), "blocked");
    assert_eq!(
        decision.blocking,
        vec![
            "retention_not_approved",
            "artifact_bundle_incomplete",
            "retention_health_missing"
        ]
    );
    let codes = statuses(&session);
    assert_eq!(codes[3], "blocked", "step 4 is blocked by the denial");
    assert_eq!(codes[4], "blocked", "no artifact bundle without approval");
    assert_eq!(codes[9], "done", "step 10 always runs");
}

#[test]
fn a_step_of_another_role_is_refused_and_changes_nothing() {
    let scenario = Scenario::built_in("accepted-risk").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    let before = session.log().len();
    let error = session
        .run_step(
            StepId::RetentionAlerts,
            Role::Auditor,
            &Value::Object(vec![]),
            now,
        )
        .unwrap_err();
    assert!(matches!(
        error,
        StepError::WrongRole {
            owner: Role::PlatformOwner,
            ..
        }
    ));
    assert!(
        error.to_string().contains("run by the Platform owner"),
        "{error}"
    );
    let error = session
        .run_step(
            StepId::ArchiveManifest,
            Role::ReleaseManager,
            &session.input_for(StepId::ArchiveManifest),
            now,
        )
        .unwrap_err();
    assert!(
        error.to_string().contains("needs a final readiness bundle"),
        "{error}"
    );
    assert_eq!(session.log().len(), before);
}

#[test]
fn a_secret_in_an_input_is_refused_with_its_path() {
    let scenario = Scenario::built_in("accepted-risk").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    session
        .run_step(
            StepId::ReadinessBundle,
            Role::ReleaseManager,
            &Value::Object(vec![]),
            now,
        )
        .unwrap();
    let mut input = session.input_for(StepId::ArchiveManifest);
    input.set(
        "signature",
        Value::from("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----"),
    );
    let before = session.log().len();
    let error = session
        .run_step(StepId::ArchiveManifest, Role::ReleaseManager, &input, now)
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("$.inputs.signed_archive_manifest.signature"),
        "{error}"
    );
    assert_eq!(session.log().len(), before);
}

#[test]
fn retention_until_must_lie_after_now() {
    let scenario = Scenario::built_in("ready").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    for step in &StepId::ALL[..3] {
        let step = *step;
        let input = session.input_for(step);
        session
            .run_step(step, Role::ReleaseManager, &input, now)
            .unwrap();
    }
    let mut input = session.input_for(StepId::RetentionReview);
    input.set("retention_until", Value::from("2026-05-01"));
    let error = session
        .run_step(StepId::RetentionReview, Role::ReleaseManager, &input, now)
        .unwrap_err();
    assert!(
        error.to_string().contains("retention_until") && error.to_string().contains("not after"),
        "{error}"
    );
    input.set("retention_until", Value::from("next year"));
    let error = session
        .run_step(StepId::RetentionReview, Role::ReleaseManager, &input, now)
        .unwrap_err();
    assert!(error.to_string().contains("is not a date"), "{error}");
}

#[test]
fn live_retry_needs_a_dry_run_first_then_redelivers() {
    let scenario = Scenario::built_in("accepted-risk").unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    for step in &StepId::ALL[..8] {
        let input = session.input_for(*step);
        session.run_step_by_owners(*step, &input, now).unwrap();
    }
    let mut live = session.input_for(StepId::RetryWorker);
    live.set("dry_run", Value::from(false));
    // A typed approver is no approval (D-12): without the release manager's record, a live run is refused.
    live.set("approved_by", Value::from("release-manager approval CHG-1"));
    let error = session
        .run_step(StepId::RetryWorker, Role::PlatformOwner, &live, now)
        .unwrap_err();
    assert!(error.to_string().contains("dry run"), "{error}");
    let dry = session.input_for(StepId::RetryWorker);
    session
        .run_step(StepId::RetryWorker, Role::PlatformOwner, &dry, now)
        .unwrap();
    let error = session
        .run_step(StepId::RetryWorker, Role::PlatformOwner, &live, now)
        .unwrap_err();
    assert!(
        error.to_string().contains("release manager's approval"),
        "{error}"
    );
    session
        .run_step(StepId::RetryWorker, Role::ReleaseManager, &live, now)
        .unwrap();
    let later = now.plus_minutes(30);
    let outcome = session
        .run_step(StepId::RetryWorker, Role::PlatformOwner, &live, later)
        .unwrap();
    assert_eq!(
        outcome.blocked_reason, None,
        "fail_once redelivers on the second call"
    );
    // The run names the approver its approval record names, not the typed one.
    let run = session
        .log()
        .latest(
            closeout_core::record::RecordKind::WorkerRun,
            session.release_record_ref(),
        )
        .unwrap();
    assert_eq!(run.record.str_at("approved_by"), "demo-release-manager");
    assert_eq!(run.actor_role, Role::PlatformOwner);
    // With the webhook redelivered, health no longer warns about the failed delivery.
    session
        .run_step(
            StepId::RetentionHealth,
            Role::ReleaseManager,
            &session.input_for(StepId::RetentionHealth),
            later,
        )
        .unwrap();
    let decision = session.decision(later);
    assert!(
        !decision
            .warnings
            .contains(&"delivery_failed_with_retry_plan"),
        "{:?}",
        decision.warnings
    );
}
