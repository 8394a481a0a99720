//! Synthetic sessions for benchmarks and scaling tests: a session grown to a chosen number of records by
//! the real step engine, so every record is sealed, linked and chained exactly as in a user's session.
//!
//! The session starts from the `accepted-risk` scenario and runs its ten steps. It then lives on the way
//! a release's closeout does after go-live: each operating cycle (one hour later than the last) redelivers
//! the closeout summary and the webhook fails, a retry plan is drawn up, the worker does a dry run and then
//! a live (simulated) redelivery, retention health is checked and alerts go out, and the release manager
//! records the final decision again. A cycle appends about ten records; the generator stops as soon as the
//! log holds at least the number asked for, so `records(10)` is the seeded upstream evidence plus the
//! first steps.

use crate::flow::Act;
use crate::flow::{Session, StepError};
use crate::json::Value;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::StepId;
use crate::time::Timestamp;

/// The scenario a synthetic session starts from.
pub const SCENARIO: &str = "accepted-risk";

/// What went wrong growing a synthetic session (a bug in the generator or the engine, never in input).
#[derive(Debug)]
pub enum SyntheticError {
    Scenario(String),
    Step { step: StepId, error: StepError },
}

impl std::fmt::Display for SyntheticError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyntheticError::Scenario(problem) => {
                write!(f, "the synthetic scenario is not valid: {problem}")
            }
            SyntheticError::Step { step, error } => {
                write!(
                    f,
                    "step {} failed while growing the session: {error}",
                    step.number()
                )
            }
        }
    }
}

impl std::error::Error for SyntheticError {}

/// A session whose evidence log holds at least `records` records, and the time of its last action.
pub fn session(records: usize) -> Result<(Session, Timestamp), SyntheticError> {
    let scenario = Scenario::built_in(SCENARIO)
        .map_err(|error| SyntheticError::Scenario(error.to_string()))?;
    let mut now = scenario.generated_at;
    let mut session = Session::start(scenario);
    let mut grower = Grower {
        session: &mut session,
        target: records,
    };
    // The closeout itself: the ten steps as their owners, with the scenario's inputs.
    for step in StepId::ALL {
        let input = grower.session.input_for(step);
        // Each act as its role (step 4: request and decision); a dry run needs no approval.
        for &(role, act) in Act::of_step(step) {
            if act == Act::ApproveRedelivery {
                continue;
            }
            if grower.run(step, role, &input, now)? {
                return Ok((session, now));
            }
        }
    }
    // Its operating life, one cycle an hour.
    let cycle: [(StepId, Role, Value); 8] = [
        (
            StepId::CloseoutSummary,
            Role::ReleaseManager,
            failing_redelivery(&grower.session.input_for(StepId::CloseoutSummary)),
        ),
        (
            StepId::RetryPlan,
            Role::PlatformOwner,
            grower.session.input_for(StepId::RetryPlan),
        ),
        (StepId::RetryWorker, Role::PlatformOwner, worker(true)),
        // A live redelivery rests on the release manager's approval of the plan (D-13).
        (StepId::RetryWorker, Role::ReleaseManager, worker(false)),
        (StepId::RetryWorker, Role::PlatformOwner, worker(false)),
        (
            StepId::RetentionHealth,
            Role::ReleaseManager,
            grower.session.input_for(StepId::RetentionHealth),
        ),
        (
            StepId::RetentionAlerts,
            Role::PlatformOwner,
            grower.session.input_for(StepId::RetentionAlerts),
        ),
        (
            StepId::FinalDecision,
            Role::ReleaseManager,
            grower.session.input_for(StepId::FinalDecision),
        ),
    ];
    loop {
        // Internal and bounded: an hour a cycle from 2026, about ten records a cycle; the eight
        // millennia left before Timestamp::MAX are some 700 million records away.
        now = now.plus_minutes(60);
        for (step, role, input) in &cycle {
            if grower.run(*step, *role, input, now)? {
                return Ok((session, now));
            }
        }
    }
}

struct Grower<'a> {
    session: &'a mut Session,
    target: usize,
}

impl Grower<'_> {
    /// Runs a step; true once the log is big enough.
    fn run(
        &mut self,
        step: StepId,
        role: Role,
        input: &Value,
        now: Timestamp,
    ) -> Result<bool, SyntheticError> {
        if self.session.log().len() >= self.target {
            return Ok(true);
        }
        self.session
            .run_step(step, role, input, now)
            .map_err(|error| SyntheticError::Step { step, error })?;
        Ok(self.session.log().len() >= self.target)
    }
}

/// The closeout summary's routing with the webhook failing every call.
fn failing_redelivery(routing: &Value) -> Value {
    let mut routing = routing.clone();
    let mut outcomes = routing
        .get("outcomes")
        .cloned()
        .unwrap_or_else(|| Value::Object(Vec::new()));
    outcomes.set("webhook", Value::from("failed"));
    routing.set("outcomes", outcomes);
    routing
}

fn worker(dry_run: bool) -> Value {
    Value::object([
        ("interval_minutes", Value::from(60i64)),
        ("max_retry_deliveries", Value::from(5i64)),
        ("dry_run", Value::from(dry_run)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::verify_chain;

    #[test]
    fn grows_to_at_least_the_size_asked_for_and_verifies() {
        for target in [10, 40, 300] {
            let (session, _) = session(target).expect("synthetic session");
            let len = session.log().len();
            assert!(len >= target, "{len} records for {target}");
            // Never more than one cycle past the target.
            assert!(len < target + 20, "{len} records for {target}");
            let chain = session.log().to_chain_value(session.release_record_ref());
            assert_eq!(verify_chain(&chain).expect("verifies").entries, len);
        }
    }

    #[test]
    fn the_operating_life_has_failed_deliveries_retries_and_live_redeliveries() {
        let (session, _) = session(300).expect("synthetic session");
        let kinds: Vec<&str> = session
            .log()
            .entries()
            .iter()
            .map(|e| e.kind.spec().name)
            .collect();
        for kind in ["retry_plan", "worker_run", "execution", "final_decision"] {
            let count = kinds.iter().filter(|k| **k == kind).count();
            assert!(count >= 5, "{kind}: {count}");
        }
        let failed = session
            .log()
            .entries()
            .iter()
            .filter(|e| e.record.str_at("delivery_state") == "partial_failure")
            .count();
        assert!(failed >= 5, "failed deliveries: {failed}");
    }

    #[test]
    fn is_deterministic() {
        let (a, _) = session(120).expect("synthetic session");
        let (b, _) = session(120).expect("synthetic session");
        assert_eq!(a.head_digest(), b.head_digest());
    }
}
