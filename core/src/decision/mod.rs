//! The release decision (`docs/domain.md#5-the-release-decision`): one set of rules over [`Facts`],
//! which come either from a live session's latest records or from a `cavra.final_closeout_trial.v1`
//! package, so both get the same codes.

mod codes;
mod criteria;
mod facts;
mod record;
mod rules;

pub use crate::states::ReleaseState;
pub use codes::{explain, BLOCKING_CODES, WARNING_CODES};
pub use criteria::{Criterion, CRITERIA};
pub use facts::{facts_from_log, AlertFacts, ArtifactFacts, Facts, HealthFacts, WorkerFacts};
pub use record::final_decision_record;
pub use rules::decide;

use crate::evidence::EvidenceLog;
use crate::flow::inputs::AcceptedRisk;
use crate::json::{strings, Value};
use crate::record::field;
use crate::time::Timestamp;

/// The release decision.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    pub state: ReleaseState,
    pub blocking: Vec<&'static str>,
    pub warnings: Vec<&'static str>,
    pub criteria: Vec<Criterion>,
    pub evaluated_at: Timestamp,
    pub accepted_risk: Option<AcceptedRisk>,
    /// The `accepted_risk` record the decision rests on (D-14); `None` for a package's risk or none.
    pub accepted_risk_id: Option<String>,
}

impl Decision {
    /// `{"state", "blocking", "warnings", "evaluated_at"}` as the CLI prints it.
    pub fn summary_value(&self) -> Value {
        Value::object([
            (field::STATE, Value::from(self.state.code())),
            (field::BLOCKING, strings(&self.blocking)),
            (field::WARNINGS, strings(&self.warnings)),
            ("evaluated_at", Value::from(self.evaluated_at.isoformat())),
        ])
    }

    /// The ten criteria as the final decision record lists them.
    pub fn criteria_value(&self) -> Value {
        Value::Array(self.criteria.iter().map(Criterion::to_value).collect())
    }
}

/// The decision for a live session's log, with the accepted risk in force there (D-14).
pub fn decide_log(log: &EvidenceLog, reference: &str, now: Timestamp) -> Decision {
    decide(&facts_from_log(log, reference), now)
}
