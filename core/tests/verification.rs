//! Verification of evidence chains and bundle zips: intact exports verify on every scenario; edits,
//! removals, reorderings and byte flips are caught and named; property tests for canonical JSON.
#![cfg(not(target_arch = "wasm32"))]
// proptest is a native-only dev-dependency
// This test reports what its sweeps caught; a test fails by panicking. Core's purity rules
// (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not for the tests
// outside it.
#![allow(clippy::disallowed_macros, clippy::unwrap_used)]

use closeout_core::bundle::{bundle_zip, verify_zip, write_zip, BundleError};
use closeout_core::evidence::{verify_chain, ChainError, EvidenceLog};
use closeout_core::flow::Session;
use closeout_core::json::pretty_string;
use closeout_core::json::{canonical_string, digest, parse, Number, Value};
use closeout_core::record::{seal, RecordKind};
use closeout_core::scenario::Scenario;
use proptest::prelude::*;
use std::io::Read;

fn finished(name: &str) -> Session {
    let scenario = Scenario::built_in(name).unwrap();
    let now = scenario.generated_at;
    let mut session = Session::start(scenario);
    session.run_remaining(now);
    session
}

fn chain_of(session: &Session) -> Value {
    session.log().to_chain_value(session.release_record_ref())
}

#[test]
fn every_scenarios_chain_verifies_and_reads_back() {
    for (name, _) in closeout_core::scenario::BUILT_IN {
        let session = finished(name);
        let chain = chain_of(&session);
        let report = verify_chain(&chain).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(report.entries, session.log().len());
        assert_eq!(report.head_digest, session.head_digest());
        let text = closeout_core::json::pretty_string(&chain);
        let log = EvidenceLog::from_chain_value(&parse(&text).unwrap()).unwrap();
        assert_eq!(log.entries(), session.log().entries(), "{name}");
    }
}

#[test]
fn every_single_value_edit_inside_a_bundle_zip_fails_verification() {
    let record = artifact_record("accepted-risk");
    let zip = bundle_zip(&record).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.as_slice())).unwrap();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        files.push((file.name().to_string(), bytes));
    }
    let (mut made, mut caught) = (0, 0);
    for target in 0..files.len() {
        let value = parse(std::str::from_utf8(&files[target].1).unwrap()).unwrap();
        let mut paths = Vec::new();
        scalar_paths(&value, &mut Vec::new(), &mut paths);
        for path in &paths {
            let mut edited = value.clone();
            edit_at(&mut edited, path);
            let mut edited_files = files.clone();
            edited_files[target].1 = if files[target].0 == "manifest.json" {
                pretty_string(&edited).into_bytes()
            } else {
                canonical_string(&edited).into_bytes()
            };
            let (manifest, rest) = edited_files.split_last().unwrap();
            made += 1;
            if verify_zip(&write_zip(rest, &manifest.1).unwrap()).is_err() {
                caught += 1;
            } else {
                panic!("edit of {} at {path:?} was not caught", files[target].0);
            }
        }
    }
    println!("bundle zip tamper sweep: {caught} of {made} single-value edits caught");
    assert!(made > 100);
}

#[test]
fn removed_and_reordered_entries_are_caught() {
    let chain = chain_of(&finished("accepted-risk"));
    let entries = chain.get("entries").unwrap().as_array().unwrap().to_vec();
    for index in 0..entries.len() {
        let mut removed = entries.clone();
        removed.remove(index);
        let mut edited = chain.clone();
        edited.set("entries", Value::Array(removed));
        assert!(
            verify_chain(&edited).is_err(),
            "removing entry {index} was not caught"
        );
    }
    for index in 0..entries.len() - 1 {
        let mut swapped = entries.clone();
        swapped.swap(index, index + 1);
        let mut edited = chain.clone();
        edited.set("entries", Value::Array(swapped));
        assert!(
            verify_chain(&edited).is_err(),
            "swapping entries {index} and {} was not caught",
            index + 1
        );
    }
    println!(
        "chain removal and reordering sweep: {} removals and {} swaps, all caught",
        entries.len(),
        entries.len() - 1
    );
}

#[test]
fn a_recomputed_forgery_is_caught_by_the_records_own_hash() {
    // Edit a record and recompute the entry digests, as a forger would: the record's id no longer
    // matches its material.
    let session = finished("accepted-risk");
    let mut forged = EvidenceLog::new();
    for entry in session.log().entries() {
        let mut record = entry.record.clone();
        if entry.kind == RecordKind::RetentionDecision {
            record.set("decision_state", Value::from("approved_forever"));
        }
        forged.append(entry.kind, record);
    }
    let error = verify_chain(&forged.to_chain_value(session.release_record_ref())).unwrap_err();
    match error {
        ChainError::Tampered { kind, problem, .. } => {
            assert_eq!(kind, "retention_decision");
            assert!(problem.contains("decision_id does not match"), "{problem}");
        }
        other => panic!("{other}"),
    }
}

/// Every scalar in a value, by path, so each can be edited once.
fn scalar_paths(value: &Value, path: &mut Vec<PathStep>, out: &mut Vec<Vec<PathStep>>) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(PathStep::Index(i));
                scalar_paths(item, path, out);
                path.pop();
            }
        }
        Value::Object(pairs) => {
            for (k, item) in pairs {
                path.push(PathStep::Key(k.clone()));
                scalar_paths(item, path, out);
                path.pop();
            }
        }
        _ => out.push(path.clone()),
    }
}

#[derive(Clone, Debug)]
enum PathStep {
    Key(String),
    Index(usize),
}

fn edit_at(value: &mut Value, path: &[PathStep]) {
    match (path.first(), value) {
        (None, v) => {
            *v = match v {
                Value::String(s) => Value::String(format!("{s}x")),
                Value::Bool(b) => Value::Bool(!*b),
                Value::Number(Number::Int(d)) => Value::Number(Number::Int(format!("{d}1"))),
                Value::Number(Number::Float(x)) => Value::Number(Number::Float(*x + 1.0)),
                _ => Value::from("edited"),
            }
        }
        (Some(PathStep::Index(i)), Value::Array(items)) => edit_at(&mut items[*i], &path[1..]),
        (Some(PathStep::Key(k)), Value::Object(pairs)) => {
            if let Some((_, v)) = pairs.iter_mut().find(|(key, _)| key == k) {
                edit_at(v, &path[1..]);
            }
        }
        _ => {}
    }
}

#[test]
fn every_single_value_edit_of_an_exported_chain_fails_verification() {
    let chain = chain_of(&finished("accepted-risk"));
    let mut paths = Vec::new();
    scalar_paths(&chain, &mut Vec::new(), &mut paths);
    let mut caught = 0;
    for path in &paths {
        let mut edited = chain.clone();
        edit_at(&mut edited, path);
        assert!(
            verify_chain(&edited).is_err(),
            "edit at {path:?} was not caught"
        );
        caught += 1;
    }
    println!(
        "chain tamper sweep: {caught} of {} single-value edits caught",
        paths.len()
    );
    assert!(caught > 500);
}

fn artifact_record(name: &str) -> Value {
    let session = finished(name);
    session
        .log()
        .latest(RecordKind::ArtifactBundle, session.release_record_ref())
        .unwrap()
        .record
        .clone()
}

#[test]
fn a_bundle_zip_verifies_and_every_byte_flip_is_caught() {
    let record = artifact_record("accepted-risk");
    let zip = bundle_zip(&record).unwrap();
    assert_eq!(
        bundle_zip(&record).unwrap(),
        zip,
        "the zip is deterministic"
    );
    let report = verify_zip(&zip).unwrap();
    assert_eq!(
        report.files,
        vec![
            "release-closeout-summary.json",
            "readiness-bundle.json",
            "signed-archive-manifest.json",
            "closeout-deliveries.json"
        ]
    );
    let (mut tampered, mut unreadable) = (0, 0);
    for offset in 0..zip.len() {
        let mut flipped = zip.clone();
        flipped[offset] ^= 0x01;
        match verify_zip(&flipped) {
            Ok(_) => panic!("a flip at offset {offset} was not caught"),
            Err(BundleError::Tampered { .. }) => tampered += 1,
            Err(BundleError::Unreadable { .. }) => unreadable += 1,
        }
    }
    println!(
        "zip byte-flip sweep: {} flips, {tampered} tampered, {unreadable} unreadable",
        zip.len()
    );
}

#[test]
fn a_rezipped_bundle_with_an_edited_file_names_the_file() {
    let mut record = artifact_record("ready");
    let mut files = record.get("files").unwrap().as_array().unwrap().to_vec();
    let mut content = files[1].get("content").unwrap().clone();
    content.set("closeout_state", Value::from("ready_for_closeout_really"));
    files[1].set("content", content);
    record.set("files", Value::Array(files));
    match verify_zip(&bundle_zip(&record).unwrap()).unwrap_err() {
        BundleError::Tampered { file, problem } => {
            assert_eq!(file, "readiness-bundle.json");
            assert!(problem.contains("sha256"), "{problem}");
        }
        other => panic!("{other}"),
    }
    assert!(matches!(
        verify_zip(b"not a zip"),
        Err(BundleError::Unreadable { .. })
    ));
}

/// The artifact bundle record with its files edited by `edit`, its hashes and id made again from them,
/// as a careful editor would.
fn resealed(mut record: Value, edit: impl FnOnce(&mut Vec<Value>)) -> Value {
    let mut files = record.get("files").unwrap().as_array().unwrap().to_vec();
    edit(&mut files);
    for file in &mut files {
        let sha = digest(file.get("content").unwrap());
        file.set("sha256", Value::from(sha));
    }
    let listed: Vec<Value> = files
        .iter()
        .map(|f| {
            let mut entry = f.clone();
            entry.remove("content");
            entry
        })
        .collect();
    record.set(
        "file_hashes",
        Value::Array(
            files
                .iter()
                .map(|f| f.get("sha256").unwrap().clone())
                .collect(),
        ),
    );
    record.set("download_manifest", Value::Array(listed));
    record.set("files", Value::Array(files));
    seal(RecordKind::ArtifactBundle, record)
}

#[test]
fn a_bundle_made_before_delivery_events_still_verifies_and_a_foreign_delivery_is_caught() {
    let record = artifact_record("accepted-risk");
    let three = resealed(record.clone(), |files| {
        files.pop();
    });
    assert_eq!(
        verify_zip(&bundle_zip(&three).unwrap())
            .unwrap()
            .files
            .len(),
        3
    );
    for (edit, expected) in [
        ("event_id", "delivery_id does not match its material"),
        (
            "summary_id",
            "is not a delivery of the summary the bundle names",
        ),
    ] {
        let edited = resealed(record.clone(), |files| {
            let mut deliveries = files[3]
                .get("content")
                .unwrap()
                .as_array()
                .unwrap()
                .to_vec();
            deliveries[0].set(edit, Value::from("gordackfinalcloseout-0000000000000000"));
            files[3].set("content", Value::Array(deliveries));
        });
        match verify_zip(&bundle_zip(&edited).unwrap()).unwrap_err() {
            BundleError::Tampered { file, problem } => {
                assert_eq!(file, "closeout-deliveries.json");
                assert!(problem.contains(expected), "{problem}");
            }
            other => panic!("{other}"),
        }
    }
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "-?[1-9][0-9]{18,40}".prop_map(|d| Value::Number(Number::Int(d))),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| Value::Number(Number::Float(x))),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        Value::Object(pairs) => {
            let mut pairs: Vec<(String, Value)> =
                pairs.iter().map(|(k, v)| (k.clone(), sorted(v))).collect();
            pairs.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(pairs)
        }
        Value::Number(Number::Float(x)) if *x == 0.0 => Value::Number(Number::Float(*x)),
        other => other.clone(),
    }
}

fn exported_chain() -> &'static (Value, Vec<Vec<PathStep>>) {
    static CHAIN: std::sync::OnceLock<(Value, Vec<Vec<PathStep>>)> = std::sync::OnceLock::new();
    CHAIN.get_or_init(|| {
        let chain = chain_of(&finished("accepted-risk"));
        let mut paths = Vec::new();
        scalar_paths(&chain, &mut Vec::new(), &mut paths);
        (chain, paths)
    })
}

/// Replaces the scalar at `path` with `new`.
fn replace_at(value: &mut Value, path: &[PathStep], new: Value) {
    match (path.first(), value) {
        (None, v) => *v = new,
        (Some(PathStep::Index(i)), Value::Array(items)) => {
            replace_at(&mut items[*i], &path[1..], new)
        }
        (Some(PathStep::Key(k)), Value::Object(pairs)) => {
            if let Some((_, v)) = pairs.iter_mut().find(|(key, _)| key == k) {
                replace_at(v, &path[1..], new);
            }
        }
        _ => {}
    }
}

proptest! {
    #[test]
    fn any_single_value_edit_of_an_exported_chain_fails_verification(index in any::<prop::sample::Index>(), new in json_value()) {
        let (chain, paths) = exported_chain();
        let path = &paths[index.index(paths.len())];
        let mut edited = chain.clone();
        replace_at(&mut edited, path, new);
        prop_assume!(edited != *chain);
        prop_assert!(verify_chain(&edited).is_err(), "edit at {:?} was not caught", path);
    }

    #[test]
    fn canonical_output_parses_back_to_the_same_value(value in json_value()) {
        let text = canonical_string(&value);
        prop_assert!(text.is_ascii());
        let back = parse(&text).unwrap();
        prop_assert_eq!(sorted(&back), sorted(&value));
        prop_assert_eq!(canonical_string(&back), text);
    }
}
