//! The closeout artifact bundle as files (`docs/domain.md#step-5-closeout-artifact-bundle`): a `.zip`
//! holding the bundle's files (the three records, then the summary's deliveries with their events) and
//! `manifest.json`, or one `.json`; and verification of a bundle zip.
//!
//! The zip is deterministic (fixed dates, permissions and compression), so verification can demand that
//! a bundle re-created from its own verified contents is byte-identical: a flipped byte anywhere, even in
//! a header no reader looks at, is caught.

use crate::json::{self, canonical_string, Value};
use crate::record::{field, identity_of, RecordKind};
use sha2::{Digest, Sha256};
use std::fmt;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;

/// The schema of the bundle zip's `manifest.json`.
pub const ZIP_MANIFEST_SCHEMA: &str = "closeout.artifact_bundle_zip.v1";
/// The schema of the one-file `.json` bundle.
pub const JSON_BUNDLE_SCHEMA: &str = "closeout.artifact_bundle.v1";
/// The largest file a bundle zip may hold once inflated.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
const MANIFEST_NAME: &str = "manifest.json";

/// Why a bundle cannot be made or does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BundleError {
    /// Not a readable bundle zip at all.
    Unreadable { problem: String },
    /// A bundle whose content was changed: the file and what is wrong with it.
    Tampered { file: String, problem: String },
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Unreadable { problem } => {
                write!(f, "not a readable bundle zip: {problem}")
            }
            BundleError::Tampered { file, problem } => write!(f, "tampered: {file}: {problem}"),
        }
    }
}

impl std::error::Error for BundleError {}

fn unreadable(problem: impl fmt::Display) -> BundleError {
    BundleError::Unreadable {
        problem: problem.to_string(),
    }
}

fn tampered(file: &str, problem: impl Into<String>) -> BundleError {
    BundleError::Tampered {
        file: file.to_string(),
        problem: problem.into(),
    }
}

/// The artifact bundle record without file contents, and its digest: what `manifest.json` carries. The
/// digest covers every field, not only the hashed material, so no value of the manifest changes unseen.
fn manifest_of(record: &Value) -> Value {
    let mut bundle = record.clone();
    bundle.remove(field::FILES);
    Value::object([
        ("schema_version", Value::from(ZIP_MANIFEST_SCHEMA)),
        ("artifact_bundle_digest", Value::from(json::digest(&bundle))),
        ("artifact_bundle", bundle),
    ])
}

/// The bytes of one artifact file: its canonical JSON, so its sha256 is the digest the bundle records.
pub fn file_bytes(content: &Value) -> Vec<u8> {
    canonical_string(content).into_bytes()
}

/// The bundle as one `.json` document.
pub fn bundle_json(record: &Value) -> Value {
    Value::object([
        ("schema_version", Value::from(JSON_BUNDLE_SCHEMA)),
        ("artifact_bundle", record.clone()),
    ])
}

/// The bundle as a `.zip`: its files, then `manifest.json`.
pub fn bundle_zip(record: &Value) -> Result<Vec<u8>, BundleError> {
    let files: Vec<(String, Vec<u8>)> = record
        .get(field::FILES)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|f| {
            (
                f.str_at(field::PATH).to_string(),
                f.get("content").map(file_bytes).unwrap_or_default(),
            )
        })
        .collect();
    write_zip(
        &files,
        &json::pretty_string(&manifest_of(record)).into_bytes(),
    )
}

/// Writes a bundle zip from the files' bytes and the manifest's bytes, deterministically.
pub fn write_zip(files: &[(String, Vec<u8>)], manifest: &[u8]) -> Result<Vec<u8>, BundleError> {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .chain([(MANIFEST_NAME, manifest)])
    {
        writer.start_file(name, options).map_err(unreadable)?;
        writer.write_all(bytes).map_err(unreadable)?;
    }
    Ok(writer.finish().map_err(unreadable)?.into_inner())
}

/// What a verified bundle zip holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipReport {
    pub artifact_bundle_id: String,
    pub files: Vec<String>,
}

/// Verifies a bundle zip: the manifest's own id and hash, every file's sha256 and record identity, the
/// links between them, no extra files, and that the zip is byte-identical to the bundle re-created from
/// its verified contents.
pub fn verify_zip(bytes: &[u8]) -> Result<ZipReport, BundleError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(format!("{e}")))?;
    let mut read = |name: &str| -> Result<Vec<u8>, BundleError> {
        let file = archive
            .by_name(name)
            .map_err(|_| tampered(name, "is missing from the zip"))?;
        let mut out = Vec::new();
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| tampered(name, format!("cannot be read: {e}")))?;
        if out.len() as u64 > MAX_FILE_BYTES {
            return Err(tampered(name, "is larger than a bundle file can be"));
        }
        Ok(out)
    };
    let manifest_bytes = read(MANIFEST_NAME).map_err(|e| match e {
        BundleError::Tampered { problem, .. } => unreadable(format!("{MANIFEST_NAME} {problem}")),
        other => other,
    })?;
    let manifest =
        json::parse_bytes(&manifest_bytes).map_err(|e| tampered(MANIFEST_NAME, e.to_string()))?;
    if manifest.get("schema_version").and_then(Value::as_str) != Some(ZIP_MANIFEST_SCHEMA) {
        return Err(tampered(
            MANIFEST_NAME,
            format!("schema_version is not {ZIP_MANIFEST_SCHEMA:?}"),
        ));
    }
    let bundle = manifest
        .get("artifact_bundle")
        .filter(|b| b.as_object().is_some())
        .ok_or_else(|| tampered(MANIFEST_NAME, "has no artifact_bundle object"))?;
    if manifest
        .get("artifact_bundle_digest")
        .and_then(Value::as_str)
        != Some(json::digest(bundle).as_str())
    {
        return Err(tampered(
            MANIFEST_NAME,
            "artifact_bundle_digest does not match the artifact bundle",
        ));
    }
    let (id, hash) = identity_of(RecordKind::ArtifactBundle, bundle);
    if bundle.str_at(field::ARTIFACT_BUNDLE_ID) != id
        || Some(bundle.str_at(field::ARTIFACT_BUNDLE_HASH)) != hash.as_deref()
    {
        return Err(tampered(
            MANIFEST_NAME,
            "artifact_bundle_id or artifact_bundle_hash does not match the bundle's material",
        ));
    }
    let listed = bundle
        .get(field::DOWNLOAD_MANIFEST)
        .and_then(Value::as_array)
        .unwrap_or_default();
    let hashes: Vec<&str> = bundle
        .get(field::FILE_HASHES)
        .and_then(Value::as_array)
        .unwrap_or_default()
        .iter()
        .map(|h| h.as_str().unwrap_or_default())
        .collect();
    if listed.len() != hashes.len()
        || listed
            .iter()
            .zip(&hashes)
            .any(|(entry, hash)| entry.str_at(field::SHA256) != *hash)
    {
        return Err(tampered(
            MANIFEST_NAME,
            "download_manifest does not match file_hashes",
        ));
    }
    let mut files = Vec::new();
    let mut contents = Vec::new();
    for entry in listed {
        let name = entry.str_at(field::PATH).to_string();
        let data = read(&name)?;
        if hex::encode(Sha256::digest(&data)) != entry.str_at(field::SHA256) {
            return Err(tampered(&name, "its sha256 does not match the manifest"));
        }
        let content = json::parse_bytes(&data).map_err(|e| tampered(&name, e.to_string()))?;
        files.push((name, data));
        contents.push(content);
    }
    check_records(bundle, &files, &contents)?;
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    if let Some(extra) = names
        .iter()
        .find(|n| n.as_str() != MANIFEST_NAME && !files.iter().any(|(f, _)| f == *n))
    {
        return Err(tampered(extra, "is not listed in the manifest"));
    }
    let rebuilt = write_zip(&files, &manifest_bytes)?;
    if rebuilt != bytes {
        let offset = rebuilt
            .iter()
            .zip(bytes)
            .position(|(a, b)| a != b)
            .unwrap_or(rebuilt.len().min(bytes.len()));
        return Err(tampered(
            "zip structure",
            format!("the zip differs from the bundle its contents make, at byte offset {offset}"),
        ));
    }
    Ok(ZipReport {
        artifact_bundle_id: id,
        files: files.into_iter().map(|(n, _)| n).collect(),
    })
}

/// Each file's own record identity, and the links between the summary, bundle, manifest and bundle.
/// A bundle made since the sandbox kept delivery events has a fourth file, the summary's deliveries
/// (each delivery's id and its link to the summary are checked); one made before has three.
fn check_records(
    bundle: &Value,
    files: &[(String, Vec<u8>)],
    contents: &[Value],
) -> Result<(), BundleError> {
    let kinds = [
        RecordKind::CloseoutSummary,
        RecordKind::ReadinessBundle,
        RecordKind::ArchiveManifest,
    ];
    if contents.len() != kinds.len() && contents.len() != kinds.len() + 1 {
        return Err(tampered(
            MANIFEST_NAME,
            format!(
                "lists {} files, a bundle has {} (or {} before delivery events were kept)",
                contents.len(),
                kinds.len() + 1,
                kinds.len()
            ),
        ));
    }
    if let (Some((name, _)), Some(deliveries)) = (files.get(3), contents.get(3)) {
        check_deliveries(name, bundle.str_at(field::SUMMARY_ID), deliveries)?;
    }
    for ((name, _), (content, kind)) in files.iter().zip(contents.iter().zip(kinds)) {
        let spec = kind.spec();
        let (id, hash) = identity_of(kind, content);
        if content.str_at(spec.id_field) != id
            || spec.hash_field.map(|f| content.str_at(f)) != hash.as_deref()
        {
            return Err(tampered(
                name,
                format!("{} does not match its material", spec.id_field),
            ));
        }
    }
    let (summary, readiness, manifest) = (&contents[0], &contents[1], &contents[2]);
    let links = [
        (
            &files[0].0,
            bundle.str_at(field::SUMMARY_ID) == summary.str_at(field::SUMMARY_ID),
            "is not the summary the bundle names",
        ),
        (
            &files[1].0,
            summary.str_at(field::BUNDLE_ID) == readiness.str_at(field::BUNDLE_ID),
            "is not the readiness bundle the summary names",
        ),
        (
            &files[2].0,
            summary.str_at(field::MANIFEST_ID) == manifest.str_at(field::MANIFEST_ID),
            "is not the manifest the summary names",
        ),
        (
            &files[2].0,
            manifest.str_at(field::BUNDLE_HASH) == readiness.str_at(field::BUNDLE_HASH),
            "names another readiness bundle",
        ),
    ];
    match links.into_iter().find(|(_, ok, _)| !ok) {
        Some((name, _, problem)) => Err(tampered(name, problem)),
        None => Ok(()),
    }
}

/// The deliveries file: delivery records of the bundle's summary, each with the id its material gives.
fn check_deliveries(name: &str, summary_id: &str, deliveries: &Value) -> Result<(), BundleError> {
    let records = deliveries
        .as_array()
        .ok_or_else(|| tampered(name, "is not a list of delivery records"))?;
    for (index, record) in records.iter().enumerate() {
        if record.str_at(field::DELIVERY_ID) != identity_of(RecordKind::ConnectorDelivery, record).0
        {
            return Err(tampered(
                name,
                format!("delivery {index}: delivery_id does not match its material"),
            ));
        }
        if record.str_at(field::SUMMARY_ID) != summary_id {
            return Err(tampered(
                name,
                format!("delivery {index} is not a delivery of the summary the bundle names"),
            ));
        }
    }
    Ok(())
}
