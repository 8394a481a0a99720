//! The release decision (`docs/domain.md#5-the-release-decision`).

mod facts;
mod rules;

pub use facts::{facts_from_log, AlertFacts, ArtifactFacts, Facts, HealthFacts, WorkerFacts};
pub use rules::*;
