//! The app's state: signals around a core `Session`, and the actions the UI calls. Every rule is core's.

use crate::lazy::LoadFailed;
use crate::storage::{self, StorageState};
use closeout_core::flow::inputs::AcceptedRisk;
use closeout_core::flow::{Session, StepError};
use closeout_core::json::Value;
use closeout_core::scenario::Scenario;
use closeout_core::snapshot::{clock_after, ClockMove};
use closeout_core::steps::StepId;
use closeout_core::stored::Snapshot;
use closeout_core::time::Timestamp;
use closeout_core::Role;
use leptos::prelude::*;

/// The scenario a first visit starts with.
pub const FIRST_SCENARIO: &str = "accepted-risk";

/// A message shown above the work area.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// The result of the last run of a step, shown in its panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunResult {
    Ran {
        record_ids: Vec<String>,
        blocked_reason: Option<String>,
    },
    Refused(String),
}

/// Everything the components share. Cheap to copy: only signal handles.
#[derive(Clone, Copy)]
pub struct AppState {
    pub session: RwSignal<Session>,
    pub clock: RwSignal<Timestamp>,
    pub role: RwSignal<Role>,
    pub selected: RwSignal<StepId>,
    pub notice: RwSignal<Option<Notice>>,
    pub storage: RwSignal<StorageState>,
    pub last_run: RwSignal<Option<(StepId, RunResult)>>,
    /// A confirmation waiting in the page: the scenario to start fresh.
    pub pending_reset: RwSignal<Option<String>>,
    /// A shared session waiting for the user to confirm it may replace theirs.
    pub pending_share: RwSignal<Option<Snapshot>>,
    /// The release decision at the sandbox clock, computed once for every view that shows it.
    pub decision: Memo<closeout_core::decision::Decision>,
    /// The trainee's walkthrough progress (what they opened and wrote).
    pub walkthrough: RwSignal<closeout_core::walkthrough::Progress>,
}

impl AppState {
    /// Starts from storage when it holds a session, else from the first scenario.
    pub fn new() -> Result<AppState, String> {
        let (loaded, storage_state) = storage::load_at_start();
        let (snapshot, migrated) = match loaded {
            Some(loaded) => loaded,
            None => (fresh(FIRST_SCENARIO)?, None),
        };
        let session = RwSignal::new(snapshot.session);
        let clock = RwSignal::new(snapshot.clock);
        let decision = Memo::new(move |_| {
            let now = clock.get();
            session.with(|s| s.decision(now))
        });
        Ok(AppState {
            session,
            clock,
            decision,
            role: RwSignal::new(snapshot.role),
            selected: RwSignal::new(StepId::ReadinessBundle),
            // An older saved session was rebuilt under the current rules: the page says so first.
            notice: RwSignal::new(migrated.map(|text| Notice { error: false, text })),
            storage: RwSignal::new(storage_state),
            last_run: RwSignal::new(None),
            pending_reset: RwSignal::new(None),
            pending_share: RwSignal::new(None),
            walkthrough: RwSignal::new(storage::load_walkthrough()),
        })
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            session: self.session.get_untracked(),
            clock: self.clock.get_untracked(),
            role: self.role.get_untracked(),
        }
    }

    /// Replaces everything with a snapshot (a fresh scenario, or another tab's session).
    pub fn replace(&self, snapshot: Snapshot) {
        self.session.set(snapshot.session);
        self.clock.set(snapshot.clock);
        self.role.set(snapshot.role);
        self.last_run.set(None);
    }

    /// Notes that the trainee opened (or ran) a step's panel.
    pub fn viewed(&self, step: StepId) {
        if !self
            .walkthrough
            .with_untracked(|p| p.viewed_steps.contains(&step))
        {
            self.walkthrough.update(|p| {
                p.viewed_steps.insert(step);
            });
        }
    }

    /// Notes that the trainee opened a part of the page.
    pub fn opened(&self, part: &str) {
        if !self.walkthrough.with_untracked(|p| p.opened.contains(part)) {
            self.walkthrough.update(|p| {
                p.opened.insert(part.to_string());
            });
        }
    }

    pub fn say(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: false,
            text: text.into(),
        }));
    }

    pub fn warn(&self, text: impl Into<String>) {
        self.notice.set(Some(Notice {
            error: true,
            text: text.into(),
        }));
    }

    /// Whether any step has run: starting over then needs a confirmation.
    pub fn has_progress(&self) -> bool {
        self.session
            .with_untracked(|s| s.statuses().iter().any(|st| !st.is_pending()))
    }

    /// Starts a scenario fresh, clock at its `generated_at`.
    pub fn start(&self, name: &str) {
        self.pending_reset.set(None);
        match fresh(name) {
            Ok(snapshot) => {
                self.replace(snapshot);
                self.selected.set(StepId::ReadinessBundle);
                self.say(format!("Started the {name} scenario fresh."));
            }
            Err(error) => self.warn(error),
        }
    }

    /// Runs one step as the current role with `input`.
    pub fn run_step(&self, step: StepId, input: &Value) {
        self.viewed(step);
        let role = self.role.get_untracked();
        let now = self.clock.get_untracked();
        let mut result = None;
        self.session
            .update(|session| result = Some(session.run_step(step, role, input, now)));
        let outcome = match result {
            Some(Ok(outcome)) => RunResult::Ran {
                record_ids: outcome.record_ids,
                blocked_reason: outcome.blocked_reason,
            },
            Some(Err(error)) => RunResult::Refused(error.to_string()),
            None => RunResult::Refused("the session could not be updated".into()),
        };
        self.last_run.set(Some((step, outcome)));
    }

    /// Runs every remaining step as its owner and ends with the decision.
    pub fn run_remaining(&self) {
        let now = self.clock.get_untracked();
        let mut blocked = Vec::new();
        let mut who = String::new();
        self.session.update(|session| {
            let ran = session.run_remaining(now);
            who = ran.who_ran_what();
            for (_, error) in ran.refused() {
                blocked.push(error.to_string());
            }
        });
        self.last_run.set(None);
        self.selected.set(StepId::FinalDecision);
        // Each step runs as the role the records name, whoever is acting now (D-12); the page says so.
        if blocked.is_empty() {
            self.say(format!(
                "Ran every remaining step as its owner (a simulation: in a real deployment each owner signs in and does their own part). {who} The decision is below."
            ));
        } else {
            self.warn(format!(
                "Ran the remaining steps as their owners (a simulation: in a real deployment each owner signs in and does their own part). {who} {} could not run: {}",
                blocked.len(),
                blocked.join("; ")
            ));
        }
    }

    /// Records an accepted risk (`None`: withdraws it) as the acting role at the sandbox clock (D-14).
    pub fn record_risk(&self, risk: Option<&AcceptedRisk>) -> Result<Option<String>, StepError> {
        let role = self.role.get_untracked();
        let now = self.clock.get_untracked();
        let mut result = Ok(None);
        self.session
            .update(|session| result = session.record_risk(role, risk, now));
        result
    }

    /// The auditor verifies the chain and appends an attestation.
    pub fn attest(&self) {
        let role = self.role.get_untracked();
        let now = self.clock.get_untracked();
        let mut result = None;
        self.session
            .update(|session| result = Some(session.attest(role, now)));
        match result {
            Some(Ok(id)) => self.say(format!("The chain verifies; your attestation {id} is appended to it, naming its head, the time and you.")),
            Some(Err(error)) => self.warn(error.to_string()),
            None => self.warn("The session could not be updated."),
        }
    }

    /// Saves a step's input without running it.
    pub fn set_input(&self, step: StepId, input: Value) -> Result<(), StepError> {
        let mut result = Ok(());
        self.session
            .update(|session| result = session.set_input(step, input));
        result
    }

    /// Opens a share link's fragment: straight away on a fresh session, after a confirmation when
    /// steps have been run here. A link that cannot be opened changes nothing.
    /// The decoder (inflate and replay) is a part loaded on demand: few visits open a link.
    pub fn open_share(&self, fragment: String) {
        let state = *self;
        leptos::task::spawn_local(async move {
            match crate::lazy::decode_share(fragment).await {
                Ok(Ok(snapshot)) if state.has_progress() => state.pending_share.set(Some(snapshot)),
                Ok(Ok(snapshot)) => state.accept_share(snapshot),
                Ok(Err(error)) => state.warn(format!("The share link was not opened: {error}.")),
                Err(LoadFailed) => state.warn(
                    "The share link was not opened: the part of the sandbox that reads links could not be loaded. Check your connection and open the link again.",
                ),
            }
        });
    }

    /// Replaces this session with a shared one.
    pub fn accept_share(&self, snapshot: Snapshot) {
        let name = snapshot.session.scenario.name.clone();
        self.pending_share.set(None);
        self.replace(snapshot);
        self.say(format!(
            "Opened a shared {name} session: its actions were replayed here under the same rules, so every record is what those actions make, each appended by the role the link says acted."
        ));
    }

    /// Moves the clock as the user asked; core refuses a move back or past the last moment a
    /// timestamp holds, and then the clock stays where it was and the page says why.
    pub fn set_clock(&self, to: ClockMove<'_>) {
        match clock_after(self.clock.get_untracked(), to) {
            Ok(to) => {
                self.clock.set(to);
                self.say(format!(
                    "Clock moved to {}. Rerun retention health (step 6) and check the decision.",
                    to.isoformat()
                ));
            }
            Err(refused) => self.warn(refused.to_string()),
        }
    }
}

/// A fresh session of a built-in scenario, clock at its start, acting as the release manager.
pub fn fresh(name: &str) -> Result<Snapshot, String> {
    let scenario = Scenario::built_in(name).map_err(|error| error.to_string())?;
    let clock = scenario.generated_at;
    Ok(Snapshot {
        session: Session::start(scenario),
        clock,
        role: StepId::ReadinessBundle.owner(),
    })
}
