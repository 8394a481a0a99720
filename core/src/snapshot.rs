//! What a session is, apart from how it is written down: the session (its scenario, records and
//! actions) with the clock and the role the sandbox shows it at. The storage envelope and share links
//! both write one and read one back.

use crate::flow::Session;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::STEPS;
use crate::time::Timestamp;

/// A session with the app state that goes with it.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    pub session: Session,
    pub clock: Timestamp,
    pub role: Role,
}

impl Snapshot {
    /// A scenario as it starts: nothing run, the clock at its `generated_at`, acting as the owner of
    /// step 1.
    pub fn start(scenario: Scenario) -> Snapshot {
        let clock = scenario.generated_at;
        Snapshot {
            session: Session::start(scenario),
            clock,
            role: STEPS[0].owner,
        }
    }

    /// Whether this is its scenario as it starts (see [`Snapshot::start`]): nobody has touched it, so
    /// there is nothing worth keeping.
    pub fn is_pristine(&self) -> bool {
        let session = &self.session;
        session.history().is_empty()
            && session.log().entries().iter().all(|e| e.kind.is_upstream())
            && self.clock == session.scenario.generated_at
            && self.role == STEPS[0].owner
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::steps::StepId;

    fn start() -> Snapshot {
        Snapshot::start(Scenario::built_in("ready").unwrap())
    }

    #[test]
    fn a_scenario_as_it_starts_is_pristine() {
        let snapshot = start();
        assert_eq!(snapshot.role, Role::ReleaseManager);
        assert_eq!(snapshot.clock, snapshot.session.scenario.generated_at);
        assert!(snapshot.is_pristine());
    }

    #[test]
    fn a_step_run_a_saved_input_a_moved_clock_or_another_role_is_not_pristine() {
        let mut ran = start();
        let input = ran.session.input_for(StepId::ReadinessBundle);
        ran.session
            .run_step(
                StepId::ReadinessBundle,
                Role::ReleaseManager,
                &input,
                ran.clock,
            )
            .unwrap();
        assert!(!ran.is_pristine());

        let mut saved = start();
        let input = saved.session.input_for(StepId::FinalDecision);
        saved
            .session
            .set_input(StepId::FinalDecision, input)
            .unwrap();
        assert!(!saved.is_pristine());

        let mut moved = start();
        moved.clock = moved.clock.plus_days(1);
        assert!(!moved.is_pristine());

        let mut other = start();
        other.role = Role::Auditor;
        assert!(!other.is_pristine());
    }

    #[test]
    fn a_session_saved_before_share_links_with_records_is_not_pristine() {
        let mut ran = start();
        ran.session.run_remaining(ran.clock);
        let legacy = Snapshot {
            session: Session::restore(
                ran.session.scenario.clone(),
                ran.session.inputs().clone(),
                ran.session.log().clone(),
                ran.session.statuses().to_vec(),
                Vec::new(),
            ),
            ..start()
        };
        assert!(legacy.session.history().is_empty());
        assert!(!legacy.is_pristine());
    }
}
