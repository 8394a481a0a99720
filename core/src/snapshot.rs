//! What a session is, apart from how it is written down: the session (its scenario, records and
//! actions) with the clock and the role the sandbox shows it at. The storage envelope and share links
//! both write one and read one back. Moving its clock is a rule of the sandbox, kept here: the clock
//! only goes forward, and never past the last moment a timestamp can hold.

use crate::flow::Session;
use crate::roles::Role;
use crate::scenario::Scenario;
use crate::steps::STEPS;
use crate::time::{TimeError, Timestamp};
use std::fmt;

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

    /// Moves the clock as the user asked, or leaves it where it is and says why not (see
    /// [`clock_after`]).
    pub fn move_clock(&mut self, to: ClockMove<'_>) -> Result<(), ClockError> {
        self.clock = clock_after(self.clock, to)?;
        Ok(())
    }
}

/// A move of the sandbox clock the user asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockMove<'a> {
    /// Forward by whole days (the toolbar's step).
    ForwardDays(i64),
    /// To a time.
    To(Timestamp),
    /// To a date or time the user chose, as they wrote it (the toolbar's date picker gives
    /// `2026-05-31`, or an empty text when nothing is chosen).
    ToChosen(&'a str),
}

/// Why the sandbox clock was not moved. The clock is left as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockError {
    /// The move would take the clock back from `now`: it only moves forward, so that records are
    /// never made before the ones already in the chain.
    Backward { now: Timestamp },
    /// The move would take the clock past [`Timestamp::MAX`], where a record's timestamp cannot be
    /// written in a form that reads back.
    PastLatest,
    /// No date was chosen, or the text is not one.
    NoDate,
}

impl fmt::Display for ClockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClockError::Backward { now } => write!(
                f,
                "The clock only moves forward; it is already {}.",
                now.isoformat()
            ),
            ClockError::PastLatest => f.write_str(
                "The sandbox clock can't go past 31 December 9999 (23:59:59 UTC), the last moment a record's timestamp can hold. Choose an earlier date.",
            ),
            ClockError::NoDate => f.write_str("Choose a date to move the clock to."),
        }
    }
}

impl std::error::Error for ClockError {}

/// Where the clock at `now` goes on `to`: never back, never past [`Timestamp::MAX`].
pub fn clock_after(now: Timestamp, to: ClockMove<'_>) -> Result<Timestamp, ClockError> {
    let target = match to {
        ClockMove::ForwardDays(days) => now.checked_plus_days(days),
        ClockMove::To(time) => Ok(time),
        ClockMove::ToChosen(text) => Timestamp::read(text),
    };
    match target {
        Ok(target) if target < now => Err(ClockError::Backward { now }),
        Ok(target) => Ok(target),
        Err(TimeError::PastLatest) => Err(ClockError::PastLatest),
        Err(TimeError::BeforeEarliest) => Err(ClockError::Backward { now }),
        Err(TimeError::Unreadable) => Err(ClockError::NoDate),
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
        moved.move_clock(ClockMove::ForwardDays(1)).unwrap();
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

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    const PAST_LATEST: &str = "The sandbox clock can't go past 31 December 9999 (23:59:59 UTC), the last moment a record's timestamp can hold. Choose an earlier date.";

    #[test]
    fn the_clock_moves_forward_by_days_to_a_time_or_to_a_chosen_date() {
        let mut snapshot = start();
        let begun = snapshot.clock;
        snapshot.move_clock(ClockMove::ForwardDays(30)).unwrap();
        assert_eq!(snapshot.clock, begun.plus_days(30));
        snapshot.move_clock(ClockMove::To(snapshot.clock)).unwrap();
        assert_eq!(
            snapshot.clock,
            begun.plus_days(30),
            "staying put is allowed"
        );
        snapshot
            .move_clock(ClockMove::ToChosen("2030-01-01"))
            .unwrap();
        assert_eq!(snapshot.clock, at("2030-01-01"));
        snapshot
            .move_clock(ClockMove::ToChosen(" 2030-01-01T08:00:00Z "))
            .unwrap();
        assert_eq!(snapshot.clock, at("2030-01-01T08:00:00Z"));
    }

    #[test]
    fn the_clock_only_moves_forward_and_a_refused_move_leaves_it() {
        let mut snapshot = start();
        snapshot.move_clock(ClockMove::ForwardDays(1)).unwrap();
        let now = snapshot.clock;
        for back in [
            ClockMove::ForwardDays(-1),
            ClockMove::ForwardDays(i64::MIN),
            ClockMove::To(now.plus_minutes(-1)),
            ClockMove::ToChosen("2001-01-01"),
            ClockMove::ToChosen("0001-01-01T00:30:00+01:00"),
        ] {
            let error = snapshot.move_clock(back).unwrap_err();
            assert_eq!(error, ClockError::Backward { now }, "{back:?}");
            assert_eq!(snapshot.clock, now, "{back:?} left the clock");
        }
        assert_eq!(
            ClockError::Backward { now }.to_string(),
            format!(
                "The clock only moves forward; it is already {}.",
                now.isoformat()
            )
        );
        for unchosen in ["", "soon", "31/12/2030"] {
            assert_eq!(
                snapshot.move_clock(ClockMove::ToChosen(unchosen)),
                Err(ClockError::NoDate)
            );
        }
        assert_eq!(
            ClockError::NoDate.to_string(),
            "Choose a date to move the clock to."
        );
        assert_eq!(snapshot.clock, now);
    }

    #[test]
    fn the_clock_goes_up_to_the_last_second_of_9999_and_no_further() {
        let mut snapshot = start();
        snapshot
            .move_clock(ClockMove::ToChosen("9999-12-31"))
            .unwrap();
        assert_eq!(snapshot.clock, at("9999-12-31T00:00:00Z"));
        let midnight = snapshot.clock;
        for past in [
            ClockMove::ForwardDays(1),
            ClockMove::ForwardDays(365),
            ClockMove::ForwardDays(i64::MAX),
            ClockMove::ToChosen("10000-01-01"),
            ClockMove::ToChosen("9999-12-31T23:00:00-02:00"),
        ] {
            assert_eq!(
                snapshot.move_clock(past),
                Err(ClockError::PastLatest),
                "{past:?}"
            );
            assert_eq!(snapshot.clock, midnight, "{past:?} left the clock");
        }
        snapshot
            .move_clock(ClockMove::ToChosen("9999-12-31T23:59:59Z"))
            .unwrap();
        let last_second = snapshot.clock;
        assert_eq!(last_second.isoformat(), "9999-12-31T23:59:59+00:00");
        assert_eq!(
            clock_after(at("9999-12-30T23:59:59Z"), ClockMove::ForwardDays(1)),
            Ok(last_second)
        );
        for past in [
            ClockMove::ForwardDays(1),
            ClockMove::ForwardDays(365),
            ClockMove::ToChosen("10000-01-01T00:00:00Z"),
        ] {
            assert_eq!(
                snapshot.move_clock(past),
                Err(ClockError::PastLatest),
                "{past:?}"
            );
            assert_eq!(snapshot.clock, last_second);
        }
        // Within the last second, to the microsecond a timestamp holds, is still representable.
        snapshot.move_clock(ClockMove::To(Timestamp::MAX)).unwrap();
        assert_eq!(snapshot.move_clock(ClockMove::ForwardDays(0)), Ok(()));
        assert_eq!(
            snapshot.move_clock(ClockMove::ToChosen("10000-01-01")),
            Err(ClockError::PastLatest)
        );
        assert_eq!(ClockError::PastLatest.to_string(), PAST_LATEST);
    }
}
