//! Verifying a file someone hands over, as the CLI's `verify` and the app's "Verify a downloaded file"
//! both do: a zip is an artifact bundle, anything else an evidence chain.

use crate::bundle::{verify_zip, BundleError};
use crate::evidence::{verify_chain, ChainError};
use crate::json;
use std::fmt;

/// What a verified file turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntactFile {
    ArtifactBundle {
        artifact_bundle_id: String,
        files: usize,
    },
    EvidenceChain {
        entries: usize,
        head_digest: String,
    },
}

impl fmt::Display for IntactFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntactFile::ArtifactBundle {
                artifact_bundle_id,
                files,
            } => write!(f, "artifact bundle {artifact_bundle_id} ({files} files)"),
            IntactFile::EvidenceChain {
                entries,
                head_digest,
            } => write!(f, "evidence chain of {entries} entries, head {head_digest}"),
        }
    }
}

/// The outcome of verifying a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileVerification {
    /// Every digest and link recomputes.
    Intact(IntactFile),
    /// A bundle or chain whose content was changed after it was made; the problem names where.
    Tampered(String),
    /// Not a bundle or chain that can be read at all.
    Unreadable(String),
}

impl FileVerification {
    pub fn is_intact(&self) -> bool {
        matches!(self, FileVerification::Intact(_))
    }

    /// Plain words: `intact evidence chain of 12 entries, head …`, or what is wrong with the file.
    pub fn message(&self) -> String {
        match self {
            FileVerification::Intact(file) => format!("intact {file}"),
            FileVerification::Tampered(problem) | FileVerification::Unreadable(problem) => {
                problem.clone()
            }
        }
    }
}

/// Verifies a file's bytes: a zip (`PK` first) as an artifact bundle, anything else as a chain file.
pub fn verify_file(bytes: &[u8]) -> FileVerification {
    if bytes.starts_with(b"PK") {
        return match verify_zip(bytes) {
            Ok(report) => FileVerification::Intact(IntactFile::ArtifactBundle {
                artifact_bundle_id: report.artifact_bundle_id,
                files: report.files.len(),
            }),
            Err(error @ BundleError::Tampered { .. }) => {
                FileVerification::Tampered(error.to_string())
            }
            Err(error) => FileVerification::Unreadable(error.to_string()),
        };
    }
    let chain = match json::parse_bytes(bytes) {
        Ok(chain) => chain,
        Err(error) => return FileVerification::Unreadable(format!("not valid JSON: {error}")),
    };
    match verify_chain(&chain) {
        Ok(report) => FileVerification::Intact(IntactFile::EvidenceChain {
            entries: report.entries,
            head_digest: report.head_digest,
        }),
        Err(error @ ChainError::Tampered { .. }) => FileVerification::Tampered(error.to_string()),
        Err(error) => FileVerification::Unreadable(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::Session;
    use crate::json::{pretty_string, Value};
    use crate::record::RecordKind;
    use crate::scenario::Scenario;

    fn ran() -> Session {
        let scenario = Scenario::built_in("ready").unwrap();
        let now = scenario.generated_at;
        let mut session = Session::start(scenario);
        session.run_remaining(now);
        session
    }

    fn chain_bytes(session: &Session) -> Vec<u8> {
        pretty_string(&session.log().to_chain_value(session.release_record_ref())).into_bytes()
    }

    #[test]
    fn an_intact_chain_says_how_long_it_is_and_its_head() {
        let session = ran();
        let outcome = verify_file(&chain_bytes(&session));
        assert!(outcome.is_intact());
        assert_eq!(
            outcome.message(),
            format!(
                "intact evidence chain of {} entries, head {}",
                session.log().entries().len(),
                session.head_digest()
            )
        );
    }

    #[test]
    fn an_intact_bundle_names_itself_and_counts_its_files() {
        let session = ran();
        let record = session
            .log()
            .latest(RecordKind::ArtifactBundle, session.release_record_ref())
            .unwrap()
            .record
            .clone();
        let zip = crate::bundle::bundle_zip(&record).unwrap();
        let report = verify_zip(&zip).unwrap();
        let outcome = verify_file(&zip);
        assert_eq!(
            outcome,
            FileVerification::Intact(IntactFile::ArtifactBundle {
                artifact_bundle_id: report.artifact_bundle_id.clone(),
                files: report.files.len(),
            })
        );
        assert_eq!(
            outcome.message(),
            format!(
                "intact artifact bundle {} ({} files)",
                report.artifact_bundle_id,
                report.files.len()
            )
        );
    }

    #[test]
    fn an_edited_chain_is_tampered_and_says_where() {
        let session = ran();
        let text = String::from_utf8(chain_bytes(&session)).unwrap();
        let edited = text.replacen("\"approved\"", "\"denied\"", 1);
        assert_ne!(edited, text);
        let outcome = verify_file(edited.as_bytes());
        assert!(matches!(outcome, FileVerification::Tampered(_)));
        assert!(!outcome.is_intact());
        let expected = match verify_chain(&json::parse(&edited).unwrap()) {
            Err(error) => error.to_string(),
            Ok(_) => String::new(),
        };
        assert_eq!(outcome.message(), expected);
    }

    #[test]
    fn a_changed_zip_is_tampered_and_a_cut_one_unreadable() {
        let session = ran();
        let record = session
            .log()
            .latest(RecordKind::ArtifactBundle, session.release_record_ref())
            .unwrap()
            .record
            .clone();
        let zip = crate::bundle::bundle_zip(&record).unwrap();
        let cut = verify_file(&zip[..zip.len() / 2]);
        assert!(matches!(cut, FileVerification::Unreadable(_)));
        assert_eq!(
            cut.message(),
            verify_zip(&zip[..zip.len() / 2]).unwrap_err().to_string()
        );
        // Flip one byte at a time until a content change is caught as tampering.
        let tampered = (30..zip.len()).find_map(|at| {
            let mut changed = zip.clone();
            changed[at] ^= 0x20;
            match verify_zip(&changed) {
                Err(error @ BundleError::Tampered { .. }) => Some((changed, error.to_string())),
                _ => None,
            }
        });
        let (changed, message) = tampered.unwrap();
        assert_eq!(verify_file(&changed), FileVerification::Tampered(message));
    }

    #[test]
    fn what_is_not_json_or_not_a_chain_is_unreadable() {
        let not_json = verify_file(b"{not json");
        assert!(matches!(not_json, FileVerification::Unreadable(_)));
        assert!(not_json.message().starts_with("not valid JSON: "));
        let not_chain =
            verify_file(pretty_string(&Value::object([("a", Value::from(1u32))])).as_bytes());
        assert!(matches!(not_chain, FileVerification::Unreadable(_)));
    }
}
