//! Entry points shared by the fuzz targets (`core/fuzz`) and the corpus replay tests: each takes any
//! bytes and must return without panicking. Some also check properties that must hold for any input and
//! return the one that broke as a [`BrokenProperty`]; the fuzz targets and the replay tests fail on it.

use crate::bundle::verify_zip;
use crate::evidence::{verify_chain, EvidenceLog};
use crate::json::{self, canonical_string, digest};
use crate::package::TrialPackage;

/// A property that must hold for every input and did not, in words that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenProperty(pub String);

impl std::fmt::Display for BrokenProperty {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BrokenProperty {}

/// Trial package import, and the decision of whatever imports.
pub fn package_import(data: &[u8]) {
    if let Ok(package) = TrialPackage::import(data) {
        let _ = package.decision_value(None);
    }
}

/// Canonical JSON: what parses writes canonically, and the canonical text parses back to itself.
pub fn canonical_json(data: &[u8]) -> Result<(), BrokenProperty> {
    if let Ok(value) = json::parse_bytes(data) {
        let text = canonical_string(&value);
        let back = json::parse(&text)
            .map_err(|error| BrokenProperty(format!("canonical output does not parse: {error}")))?;
        if canonical_string(&back) != text {
            return Err(BrokenProperty(format!(
                "canonical JSON is not a fixed point: {text}"
            )));
        }
        let _ = digest(&value);
    }
    Ok(())
}

/// Evidence chain verification, and reading back a format 2 chain that verifies (a format 1 chain
/// verifies but is never read back as a log: it cannot say who appended its records).
pub fn chain_verify(data: &[u8]) -> Result<(), BrokenProperty> {
    if let Ok(value) = json::parse_bytes(data) {
        let current = verify_chain(&value)
            .is_ok_and(|report| report.format == crate::evidence::ChainFormat::V2);
        if current {
            if let Err(error) = EvidenceLog::from_chain_value(&value) {
                return Err(BrokenProperty(format!(
                    "a verified chain must read back, but: {error}"
                )));
            }
        }
    }
    Ok(())
}

/// Bundle zip verification.
pub fn bundle_zip_verify(data: &[u8]) {
    let _ = verify_zip(data);
}
