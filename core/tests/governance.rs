//! Governance integrity (issue 14, D-12 to D-15), as properties over random sessions: random sequences
//! of acts by random roles, accepted risks, attestations and clock moves on every scenario.
#![cfg(not(target_arch = "wasm32"))]
// proptest is a native-only dev-dependency; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests.
#![allow(clippy::disallowed_macros, clippy::unwrap_used)]

use closeout_core::decision::{ReleaseState, BLOCKING_CODES, CRITERIA};
use closeout_core::evidence::verify_chain;
use closeout_core::flow::inputs::AcceptedRisk;
use closeout_core::flow::{Session, StepStatus};
use closeout_core::json::Value;
use closeout_core::record::actors::{appended_by, ACTOR_FIELDS};
use closeout_core::record::RecordKind;
use closeout_core::scenario::{Scenario, BUILT_IN};
use closeout_core::steps::StepId;
use closeout_core::time::Timestamp;
use closeout_core::Role;
use proptest::prelude::*;

/// One thing a user may do.
#[derive(Clone, Debug)]
enum Move {
    Run {
        step: usize,
        role: usize,
    },
    Remaining,
    Risk {
        role: usize,
        expires_in_days: i64,
        withdraw: bool,
    },
    Attest {
        role: usize,
    },
    Clock {
        days: i64,
    },
}

fn a_move() -> impl Strategy<Value = Move> {
    prop_oneof![
        6 => (0usize..10, 0usize..5).prop_map(|(step, role)| Move::Run { step, role }),
        1 => Just(Move::Remaining),
        2 => (0usize..5, -5i64..60, any::<bool>())
            .prop_map(|(role, expires_in_days, withdraw)| Move::Risk { role, expires_in_days, withdraw }),
        1 => (0usize..5).prop_map(|role| Move::Attest { role }),
        2 => (0i64..400).prop_map(|days| Move::Clock { days }),
    ]
}

fn play(scenario: usize, moves: &[Move]) -> (Session, Timestamp) {
    let (mut session, mut now) = started(BUILT_IN[scenario].0);
    for item in moves {
        match item {
            Move::Run { step, role } => {
                let step = StepId::ALL[*step];
                let input = session.input_for(step);
                let _ = session.run_step(step, Role::ALL[*role], &input, now);
            }
            Move::Remaining => {
                session.run_remaining(now);
            }
            Move::Risk {
                role,
                expires_in_days,
                withdraw,
            } => {
                let risk = AcceptedRisk {
                    owner: "demo-release-manager".into(),
                    reason: "Covered by the retry plan.".into(),
                    expires_at: now.plus_days(*expires_in_days).isoformat(),
                    external_ref: None,
                    compensating_control: None,
                };
                let risk = (!withdraw).then_some(&risk);
                let _ = session.record_risk(Role::ALL[*role], risk, now);
            }
            Move::Attest { role } => {
                let _ = session.attest(Role::ALL[*role], now);
            }
            Move::Clock { days } => now = now.plus_days(*days),
        }
    }
    (session, now)
}

/// A session of a built-in scenario at its start, and that start.
fn started(name: &str) -> (Session, Timestamp) {
    let scenario = Scenario::built_in(name).unwrap();
    let now = scenario.generated_at;
    (Session::start(scenario), now)
}

/// A built-in scenario with every remaining step run at its start.
fn finished(name: &str) -> (Session, Timestamp) {
    let (mut session, now) = started(name);
    session.run_remaining(now);
    (session, now)
}

/// A built-in scenario with steps 1-3 run by the release manager: the summary is closed for step 4.
fn summary_closed(name: &str) -> (Session, Timestamp) {
    let (mut session, now) = started(name);
    for step in &StepId::ALL[..3] {
        let input = session.input_for(*step);
        session
            .run_step(*step, Role::ReleaseManager, &input, now)
            .unwrap();
    }
    (session, now)
}

/// The latest record of a kind in the session's release.
fn latest(session: &Session, kind: RecordKind) -> &closeout_core::evidence::Entry {
    session
        .log()
        .latest(kind, session.release_record_ref())
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// The ten criteria and the state are one truth (D-15): ready for release only when all ten pass,
    /// ready with accepted risk only when none fails and a current accepted risk covers the warnings,
    /// blocked only when one fails; each blocking code fails exactly the criterion that lists it.
    #[test]
    fn the_state_never_contradicts_its_criteria(
        scenario in 0usize..3,
        moves in proptest::collection::vec(a_move(), 0..40),
    ) {
        let (session, now) = play(scenario, &moves);
        let decision = session.decision(now);
        let statuses: Vec<&str> = decision.criteria.iter().map(|c| c.status()).collect();
        match decision.state {
            ReleaseState::ReadyForRelease => {
                prop_assert!(statuses.iter().all(|s| *s == "pass"), "{statuses:?}");
                prop_assert!(decision.warnings.is_empty());
            }
            ReleaseState::ReadyWithAcceptedRisk => {
                prop_assert!(!statuses.contains(&"fail"), "{statuses:?}");
                prop_assert!(!decision.warnings.is_empty());
                let risk = decision.accepted_risk.as_ref().unwrap();
                prop_assert!(risk.expiry().unwrap() > now);
                prop_assert!(decision.accepted_risk_id.is_some());
            }
            ReleaseState::Blocked => prop_assert!(statuses.contains(&"fail"), "{statuses:?}"),
        }
        for code in &decision.blocking {
            prop_assert!(BLOCKING_CODES.contains(code));
            let failing: Vec<u8> = decision
                .criteria
                .iter()
                .filter(|c| c.failed_by.contains(code))
                .map(|c| c.number)
                .collect();
            let listed: Vec<u8> = CRITERIA
                .iter()
                .enumerate()
                .filter(|(_, (_, codes))| codes.contains(code))
                .map(|(i, _)| i as u8 + 1)
                .collect();
            prop_assert_eq!(failing, listed);
        }
    }

    /// Every record says truly who did what (D-12, D-13): each entry's role may append its kind, every
    /// `*_by` field holds that role's identity, and the chain verifies as format 2. A done step 10 whose
    /// recorded decision differs from the live one is stale, never plainly done.
    #[test]
    fn records_name_who_acted_and_a_decision_that_no_longer_holds_is_stale(
        scenario in 0usize..3,
        moves in proptest::collection::vec(a_move(), 0..40),
    ) {
        let (session, now) = play(scenario, &moves);
        let chain = session.log().to_chain_value(session.release_record_ref());
        let verified = verify_chain(&chain);
        prop_assert!(verified.is_ok(), "{verified:?}");
        let identities = session.log().identities();
        for entry in session.log().entries() {
            prop_assert!(appended_by(entry.kind).contains(&entry.actor_role));
            for key in ACTOR_FIELDS {
                if let Some(named) = entry.record.get(key).and_then(Value::as_str) {
                    prop_assert_eq!(named, identities.of(entry.actor_role));
                }
            }
        }
        if let Some(recorded) = session
            .log()
            .latest(RecordKind::FinalDecision, session.release_record_ref())
        {
            if *session.status(StepId::FinalDecision) == StepStatus::Done {
                let live = session.decision(now);
                let differs = recorded.record.str_at("state") != live.state.code();
                let shown = session.shown_status(StepId::FinalDecision, now);
                if differs {
                    prop_assert!(matches!(shown, StepStatus::Stale(_)), "{shown:?}");
                }
            }
        }
    }
}

#[test]
fn step_10_goes_stale_after_time_travel_and_running_it_again_records_the_new_decision() {
    let (mut session, now) = finished("accepted-risk");
    assert_eq!(
        session.shown_status(StepId::FinalDecision, now),
        StepStatus::Done
    );
    let later = now.plus_days(30);
    let StepStatus::Stale(reason) = session.shown_status(StepId::FinalDecision, later) else {
        panic!("step 10 should be stale a month on");
    };
    assert!(
        reason.contains("ready_with_accepted_risk") && reason.contains("blocked"),
        "{reason}"
    );
    let input = session.input_for(StepId::FinalDecision);
    session
        .run_step(StepId::FinalDecision, Role::ReleaseManager, &input, later)
        .unwrap();
    assert_eq!(
        session.shown_status(StepId::FinalDecision, later),
        StepStatus::Done
    );
}

#[test]
fn the_accepted_risk_is_a_record_the_decision_names() {
    let (mut session, now) = finished("accepted-risk");
    let (entry, risk) = session.current_risk().unwrap();
    assert_eq!(entry.actor_role, Role::ReleaseManager);
    assert_eq!(entry.record.str_at("recorded_by"), "demo-release-manager");
    assert_eq!(risk.expires_at, "2026-06-07");
    let decision = latest(&session, RecordKind::FinalDecision);
    assert_eq!(decision.record.str_at("accepted_risk_id"), entry.id());
    assert!(decision.seq > entry.seq);
    // The platform owner cannot accept a risk; the release manager can withdraw it.
    assert!(session.record_risk(Role::PlatformOwner, None, now).is_err());
    let withdrawn = session
        .record_risk(Role::ReleaseManager, None, now)
        .unwrap();
    assert!(withdrawn.is_some());
    assert!(session.current_risk().is_none());
    assert_eq!(session.decision(now).state, ReleaseState::Blocked);
    assert_eq!(session.decision(now).blocking, ["undocumented_risk"]);
}

#[test]
fn nobody_decides_their_own_request_and_a_typed_name_changes_nothing() {
    let (mut session, now) = summary_closed("blocked");
    let mut review = session.input_for(StepId::RetentionReview);
    review.set("decision", Value::from("approved"));
    review.set("decided_by", Value::from("demo-security-architect"));
    session
        .run_step(StepId::RetentionReview, Role::ReleaseManager, &review, now)
        .unwrap();
    assert!(matches!(
        session.status(StepId::RetentionReview),
        StepStatus::Waiting(_)
    ));
    // The release manager cannot decide: the decision is the security architect's act.
    assert!(session
        .run_step(
            StepId::ArtifactBundle,
            Role::ReleaseManager,
            &Value::Object(vec![]),
            now
        )
        .is_err());
    session
        .run_step(
            StepId::RetentionReview,
            Role::SecurityArchitect,
            &review,
            now,
        )
        .unwrap();
    let decision = latest(&session, RecordKind::RetentionDecision);
    assert_eq!(decision.actor_role, Role::SecurityArchitect);
    assert_eq!(
        decision.record.str_at("decided_by"),
        "demo-security-architect"
    );
    let request = latest(&session, RecordKind::RetentionReview);
    assert_eq!(
        request.record.str_at("requested_by"),
        "demo-release-manager"
    );
}

#[test]
fn run_remaining_says_who_ran_what_whoever_is_acting() {
    let (mut session, now) = started("accepted-risk");
    let ran = session.run_remaining(now);
    assert_eq!(
        ran.who_ran_what(),
        "Steps 1-6 and 10 ran as the release manager; steps 7-9 ran as the platform owner; the security architect decided the retention review (step 4)."
    );
}

#[test]
fn what_the_release_manager_types_into_the_decision_never_becomes_the_security_architects() {
    let (mut session, now) = summary_closed("blocked");
    let mut review = session.input_for(StepId::RetentionReview);
    review.set("decision", Value::from("approved"));
    review.set("notes", Value::from("Approved by the release manager"));
    session
        .run_step(StepId::RetentionReview, Role::ReleaseManager, &review, now)
        .unwrap();
    // A second request while one waits is refused: nothing is appended twice.
    let again = session.run_step(StepId::RetentionReview, Role::ReleaseManager, &review, now);
    assert!(again.unwrap_err().to_string().contains("already waiting"));
    // "Run remaining steps" decides as the security architect with the scenario's decision, not the
    // release manager's draft.
    session.run_remaining(now);
    let decision = latest(&session, RecordKind::RetentionDecision);
    assert_eq!(decision.record.str_at("decision_state"), "denied");
    assert_ne!(
        decision.record.str_at("notes"),
        "Approved by the release manager"
    );
    assert_eq!(session.decision(now).state, ReleaseState::Blocked);
}

#[test]
fn an_attestation_after_the_final_decision_leaves_it_the_last_word() {
    let (mut session, now) = finished("accepted-risk");
    session.attest(Role::Auditor, now).unwrap();
    let chain = session.log().to_chain_value(session.release_record_ref());
    let report = verify_chain(&chain).unwrap();
    assert_eq!(
        report.ending,
        closeout_core::evidence::ChainEnding::FinalDecision
    );
    let attestation = session.log().entries().last().unwrap();
    assert_eq!(attestation.actor_role, Role::Auditor);
    assert_eq!(attestation.record.str_at("attested_by"), "demo-auditor");
    assert!(session
        .attest(Role::ReleaseManager, now)
        .unwrap_err()
        .to_string()
        .starts_with("Only the auditor"));
}
