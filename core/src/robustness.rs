//! Entry points shared by the fuzz targets (`core/fuzz`) and the corpus replay tests: each takes any
//! bytes and must return without panicking. They also check properties that must hold for any input.

use crate::bundle::verify_zip;
use crate::evidence::{verify_chain, EvidenceLog};
use crate::json::{self, canonical_string, digest};
use crate::package::TrialPackage;

/// Trial package import, and the decision of whatever imports.
pub fn package_import(data: &[u8]) {
    if let Ok(package) = TrialPackage::import(data) {
        let _ = package.decision_value(None);
    }
}

/// Canonical JSON: what parses writes canonically, and the canonical text parses back to itself.
pub fn canonical_json(data: &[u8]) {
    if let Ok(value) = json::parse_bytes(data) {
        let text = canonical_string(&value);
        match json::parse(&text) {
            Ok(back) => assert_eq!(
                canonical_string(&back),
                text,
                "canonical JSON is not a fixed point"
            ),
            Err(error) => panic!("canonical output does not parse: {error}"),
        }
        let _ = digest(&value);
    }
}

/// Evidence chain verification, and reading back a chain that verifies.
pub fn chain_verify(data: &[u8]) {
    if let Ok(value) = json::parse_bytes(data) {
        if verify_chain(&value).is_ok() {
            assert!(
                EvidenceLog::from_chain_value(&value).is_ok(),
                "a verified chain must read back"
            );
        }
    }
}

/// Bundle zip verification.
pub fn bundle_zip_verify(data: &[u8]) {
    let _ = verify_zip(data);
}
