//! The scaling benchmarks, written once and run twice: natively under criterion (`benches/native.rs`)
//! and in headless Chromium as Wasm (`web` below, driven by `tests/bench/run.mjs`). Both time exactly the
//! same [`CASES`] over the same [`Fixture`], so the Wasm/native ratio compares like with like.
//!
//! A fixture is a synthetic session of N records (`closeout_core::synthetic`) with everything a case
//! reads prepared in advance, so a case times one operation and nothing else.

use closeout_core::evidence::{verify_chain, EvidenceLog};
use closeout_core::flow::Session;
use closeout_core::json::{self, canonical_string, Value};
use closeout_core::package::{export_session, TrialPackage};
use closeout_core::roles::Role;
use closeout_core::stored::{self, Snapshot};
use closeout_core::synthetic::{self, SyntheticError};
use closeout_core::time::Timestamp;
use std::hint::black_box;

#[cfg(target_arch = "wasm32")]
pub mod web;

/// The record counts every case is measured at.
pub const SIZES: [usize; 3] = [10, 1_000, 100_000];

/// A synthetic session and the inputs each case reads, made once per size.
pub struct Fixture {
    pub session: Session,
    pub now: Timestamp,
    /// The session's evidence chain file as a value, and as the text a user downloads.
    pub chain: Value,
    pub chain_text: String,
    /// The exported trial package's bytes.
    pub package: Vec<u8>,
    /// The session's storage envelope.
    pub stored: String,
    /// The length of the chain's canonical JSON.
    pub canonical_len: usize,
}

impl Fixture {
    /// Grows a session to `records` records and prepares every case's input.
    pub fn new(records: usize) -> Result<Fixture, SyntheticError> {
        let (session, now) = synthetic::session(records)?;
        let chain = session.log().to_chain_value(session.release_record_ref());
        let chain_text = json::pretty_string(&chain);
        let package = json::pretty_string(&export_session(&session, now)).into_bytes();
        let stored = stored::save(&snapshot(&session, now));
        let canonical_len = canonical_string(&chain).len();
        Ok(Fixture {
            canonical_len,
            session,
            now,
            chain,
            chain_text,
            package,
            stored,
        })
    }

    /// The number of records in the session's log.
    pub fn records(&self) -> usize {
        self.session.log().len()
    }

    /// The canonical bytes of the chain: what `canonical_digest` hashes (and what `sha256sum` is timed on).
    pub fn canonical_bytes(&self) -> Vec<u8> {
        canonical_string(&self.chain).into_bytes()
    }
}

fn snapshot(session: &Session, now: Timestamp) -> Snapshot {
    Snapshot {
        session: session.clone(),
        clock: now,
        role: Role::ReleaseManager,
    }
}

/// One benchmarked operation. `run` returns a number derived from its result (bytes written, records
/// read), so the work cannot be optimised away and the harness can sanity-check it.
pub struct Case {
    pub name: &'static str,
    pub what: &'static str,
    /// What the case's rate is counted in: bytes (MB/s), records (records/s), or nothing (a case whose
    /// cost does not depend on the log's length, such as the decision over indexed records).
    pub rate: Rate,
    pub run: fn(&Fixture) -> Result<usize, String>,
}

/// The unit of a case's rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rate {
    Bytes,
    Records,
    None,
}

/// Every case, in the order the table prints them.
pub const CASES: [Case; 9] = [
    Case {
        name: "canonical_digest",
        what: "canonical JSON of the whole chain + sha256",
        rate: Rate::Bytes,
        run: |f| {
            black_box(json::digest(&f.chain));
            Ok(f.canonical_len)
        },
    },
    Case {
        name: "chain_verify",
        what: "verify every id, hash, digest and link of the chain",
        rate: Rate::Records,
        run: |f| {
            verify_chain(&f.chain)
                .map(|r| r.entries)
                .map_err(|e| e.to_string())
        },
    },
    Case {
        name: "chain_export",
        what: "the chain file from the log, as text",
        rate: Rate::Bytes,
        run: |f| {
            let log = f.session.log();
            Ok(json::pretty_string(&log.to_chain_value(f.session.release_record_ref())).len())
        },
    },
    Case {
        name: "chain_import",
        what: "parse and verify a chain file into a log",
        rate: Rate::Bytes,
        run: |f| {
            let value = json::parse(&f.chain_text).map_err(|e| e.to_string())?;
            let log = EvidenceLog::from_chain_value(&value).map_err(|e| e.to_string())?;
            black_box(log);
            Ok(f.chain_text.len())
        },
    },
    Case {
        name: "decision",
        what: "the release decision from the latest records",
        rate: Rate::None,
        run: |f| {
            black_box(f.session.decision(f.now));
            Ok(f.records())
        },
    },
    Case {
        name: "package_export",
        what: "export the trial package, as text",
        rate: Rate::Bytes,
        run: |f| Ok(json::pretty_string(&export_session(&f.session, f.now)).len()),
    },
    Case {
        name: "package_import",
        what: "import (guard, validate) a trial package and decide",
        rate: Rate::Bytes,
        run: |f| {
            let package = TrialPackage::import(&f.package).map_err(|e| e.to_string())?;
            black_box(package.decide(None));
            Ok(f.package.len())
        },
    },
    Case {
        name: "storage_save",
        what: "the session's storage envelope (digest included)",
        rate: Rate::Bytes,
        run: |f| Ok(stored::save(&snapshot(&f.session, f.now)).len()),
    },
    Case {
        name: "storage_load",
        what: "load the envelope: digest, scenario, whole chain verified",
        rate: Rate::Bytes,
        run: |f| {
            black_box(stored::load(&f.stored).map_err(|e| e.to_string())?);
            Ok(f.stored.len())
        },
    },
];

/// The case with this name.
pub fn case(name: &str) -> Option<&'static Case> {
    CASES.iter().find(|c| c.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_runs_and_reports_its_work() {
        let fixture = Fixture::new(200).expect("fixture");
        assert!(fixture.records() >= 200);
        for case in &CASES {
            let work = (case.run)(&fixture).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            assert!(work > 0, "{}", case.name);
        }
        assert_eq!(
            (case("chain_verify").expect("case").run)(&fixture),
            Ok(fixture.records())
        );
        assert_eq!(
            (case("canonical_digest").expect("case").run)(&fixture),
            Ok(fixture.canonical_bytes().len())
        );
    }
}
