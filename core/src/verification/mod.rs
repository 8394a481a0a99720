//! Verifying a file someone hands over, as the CLI's `verify` and the app's "Verify a downloaded file"
//! both do: a zip is an artifact bundle, anything else an evidence chain. A hash chain cannot show that
//! it was cut short (`docs/domain.md#d-17-a-chain-that-ends-early-says-so`), so verification also says
//! when a chain ends without a final decision, can be pinned to an expected head ([`head`]), and can be
//! compared with the session's own chain ([`comparison`]).

mod comparison;
#[cfg(test)]
pub(crate) mod fixtures;
mod head;

pub use comparison::{compare_chains, ChainComparison};
pub use head::{pin_command, verify_file_against, ExpectedHead, HeadFormatError};

use crate::bundle::{verify_zip, BundleError};
use crate::evidence::{verify_chain, ChainEnding, ChainError, ChainFormat, ChainReport};
use crate::json;
use std::fmt;

/// What a verified file turned out to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntactFile {
    ArtifactBundle {
        artifact_bundle_id: String,
        files: usize,
    },
    EvidenceChain(ChainReport),
    /// An evidence chain whose head is the one it was pinned to: nothing was cut from its end since.
    EvidenceChainAtExpectedHead(ChainReport),
}

impl fmt::Display for IntactFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntactFile::ArtifactBundle {
                artifact_bundle_id,
                files,
            } => write!(f, "artifact bundle {artifact_bundle_id} ({files} files)"),
            IntactFile::EvidenceChain(report) => write!(
                f,
                "evidence chain of {} entries, head {}",
                report.entries, report.head_digest
            ),
            IntactFile::EvidenceChainAtExpectedHead(report) => write!(
                f,
                "evidence chain of {} entries, head {}, the expected head",
                report.entries, report.head_digest
            ),
        }
    }
}

/// The outcome of verifying a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileVerification {
    /// Every digest and link recomputes.
    Intact(IntactFile),
    /// An intact chain whose head is not the one it was pinned to: since that head was taken, the chain
    /// was cut short, extended or replaced.
    HeadDiffers {
        expected: ExpectedHead,
        found: String,
        entries: usize,
    },
    /// A head was expected of an artifact bundle, which carries none.
    NoHeadToCompare,
    /// A bundle or chain whose content was changed after it was made; the problem names where.
    Tampered(String),
    /// Not a bundle or chain that can be read at all.
    Unreadable(String),
}

impl FileVerification {
    /// Whether every digest and link recomputes and, if a head was expected, the head is that one.
    pub fn is_intact(&self) -> bool {
        matches!(self, FileVerification::Intact(_))
    }

    /// Plain words: `intact evidence chain of 12 entries, head …`, or what is wrong with the file.
    pub fn message(&self) -> String {
        match self {
            FileVerification::Intact(file) => format!("intact {file}"),
            FileVerification::HeadDiffers {
                expected,
                found,
                entries,
            } => format!(
                "head differs: this chain's head is {} after {entries} {}, but {} was expected; since that head was taken, the chain was cut short, extended or replaced",
                short(found),
                plural(*entries, "entry", "entries"),
                short(expected.as_str()),
            ),
            FileVerification::NoHeadToCompare => {
                "a bundle does not carry the chain's head; verify the evidence chain file".into()
            }
            FileVerification::Tampered(problem) | FileVerification::Unreadable(problem) => {
                problem.clone()
            }
        }
    }

    /// What an intact chain cannot show by itself: that it ends with no final decision, or with entries
    /// after it, and how to find out whether it was cut short. `None` for a chain that ends with its final
    /// decision, a chain at its expected head, and anything not an intact chain.
    pub fn warning(&self) -> Option<String> {
        match self {
            FileVerification::Intact(IntactFile::EvidenceChain(report)) => {
                let format_note = (report.format == ChainFormat::V1).then_some(FORMAT_1_NOTE);
                match (format_note, ending_warning(report.ending)) {
                    (Some(note), Some(ending)) => Some(format!("{note} {ending}")),
                    (Some(note), None) => Some(note.to_string()),
                    (None, ending) => ending,
                }
            }
            _ => None,
        }
    }

    /// The verified chain, for comparing it with another (`None` for a bundle or a failed check).
    pub fn chain(&self) -> Option<&ChainReport> {
        match self {
            FileVerification::Intact(IntactFile::EvidenceChain(report))
            | FileVerification::Intact(IntactFile::EvidenceChainAtExpectedHead(report)) => {
                Some(report)
            }
            _ => None,
        }
    }
}

/// What a format 1 chain cannot say (D-12).
const FORMAT_1_NOTE: &str = "This chain was written before records named who acted (format 1): it verifies, but its entries do not say which role appended each record, and its decided_by and approved_by fields hold whatever was typed.";

/// What to do when a chain's end proves nothing.
const PIN_ADVICE: &str = "To know it is whole, compare its head with the one the auditor's report printed, or verify with --head.";

/// The warning for a chain that ends as `ending` does.
fn ending_warning(ending: ChainEnding) -> Option<String> {
    match ending {
        ChainEnding::FinalDecision => None,
        ChainEnding::NoFinalDecision => Some(format!(
            "The chain ends with no final decision. A chain can't show it was cut short: entries removed from its end, with entry_count and head_digest rewritten, still verify. {PIN_ADVICE}"
        )),
        ChainEnding::AfterFinalDecision {
            final_decision_seq,
            entries_after,
        } => Some(format!(
            "The final decision (entry {final_decision_seq}) is not the last word: {entries_after} {} {} it, and no final decision covers {}. A chain can't show it was cut short, so a later decision may have been removed from its end. {PIN_ADVICE}",
            plural(entries_after, "entry", "entries"),
            plural(entries_after, "follows", "follow"),
            plural(entries_after, "it", "them"),
        )),
    }
}

/// A digest shortened for a sentence: its first 12 hex digits.
fn short(digest: &str) -> String {
    let mut short: String = digest.chars().take(12).collect();
    if digest.chars().count() > 12 {
        short.push('…');
    }
    short
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// Whether the bytes are a zip, and so are read as an artifact bundle.
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK")
}

/// Verifies a file's bytes: a zip (`PK` first) as an artifact bundle, anything else as a chain file.
pub fn verify_file(bytes: &[u8]) -> FileVerification {
    if is_zip(bytes) {
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
        Ok(report) => FileVerification::Intact(IntactFile::EvidenceChain(report)),
        Err(error @ ChainError::Tampered { .. }) => FileVerification::Tampered(error.to_string()),
        Err(error) => FileVerification::Unreadable(error.to_string()),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_format_1_chain_verifies_and_says_it_cannot_tell_who_acted() {
        let envelope = crate::json::parse(include_str!(
            "../../tests/fixtures/sessions/blocked-run.stored-v1.json"
        ))
        .unwrap();
        let chain = envelope
            .get("payload")
            .and_then(|p| p.get("chain"))
            .unwrap();
        let checked = verify_file(crate::json::pretty_string(chain).as_bytes());
        assert_eq!(checked.chain().map(|r| r.format), Some(ChainFormat::V1));
        let warning = checked.warning().unwrap();
        assert!(
            warning.starts_with("This chain was written before records named who acted (format 1)"),
            "{warning}"
        );
    }

    use super::fixtures::{bundle_zip_of, chain_bytes, chain_value, cut, ran};
    use super::*;
    use crate::evidence::EvidenceLog;
    use crate::json::{pretty_string, Value};

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
        let zip = bundle_zip_of(&session);
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
        let zip = bundle_zip_of(&session);
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

    #[test]
    fn a_chain_that_ends_with_its_final_decision_needs_no_warning() {
        let session = ran();
        let outcome = verify_file(&chain_bytes(&session));
        assert_eq!(outcome.warning(), None);
        assert_eq!(
            outcome.chain().map(|r| r.head_digest.as_str()),
            Some(session.head_digest())
        );
    }

    #[test]
    fn a_cut_chain_is_intact_but_warns_that_it_has_no_final_decision() {
        let session = ran();
        let cut_chain = pretty_string(&cut(&chain_value(&session), 15));
        let outcome = verify_file(cut_chain.as_bytes());
        assert!(outcome.is_intact());
        assert_eq!(
            outcome.message(),
            format!(
                "intact evidence chain of 15 entries, head {}",
                session.log().entries()[14].entry_digest
            )
        );
        let warning = outcome.warning().unwrap();
        assert!(warning.contains("no final decision"), "{warning}");
        assert!(
            warning.contains("A chain can't show it was cut short"),
            "{warning}"
        );
        assert!(
            warning.contains(
                "compare its head with the one the auditor's report printed, or verify with --head"
            ),
            "{warning}"
        );
        // An empty chain holds no final decision either.
        let empty = pretty_string(&cut(&chain_value(&session), 0));
        assert!(verify_file(empty.as_bytes())
            .warning()
            .unwrap()
            .contains("no final decision"));
    }

    #[test]
    fn entries_after_the_final_decision_are_named_and_counted() {
        let session = ran();
        let mut log = EvidenceLog::from_chain_value(&chain_value(&session)).unwrap();
        let last = log.entries().len() - 1;
        let entry = log.entries()[last - 1].clone();
        log.set_actor(entry.actor_role);
        log.append(entry.kind, entry.record);
        let one_after = pretty_string(&log.to_chain_value(session.release_record_ref()));
        let warning = verify_file(one_after.as_bytes()).warning().unwrap();
        assert!(
            warning.starts_with(&format!(
                "The final decision (entry {last}) is not the last word: 1 entry follows it, and no final decision covers it."
            )),
            "{warning}"
        );
        let entry = log.entries()[last - 2].clone();
        log.append(entry.kind, entry.record);
        let two_after = pretty_string(&log.to_chain_value(session.release_record_ref()));
        let warning = verify_file(two_after.as_bytes()).warning().unwrap();
        assert!(
            warning.contains("2 entries follow it, and no final decision covers them"),
            "{warning}"
        );
        assert!(warning.contains("or verify with --head"), "{warning}");
    }

    #[test]
    fn a_bundle_or_a_broken_chain_has_no_warning_and_no_chain() {
        let session = ran();
        let zip = bundle_zip_of(&session);
        let outcome = verify_file(&zip);
        assert_eq!((outcome.warning(), outcome.chain()), (None, None));
        let outcome = verify_file(b"{not json");
        assert_eq!((outcome.warning(), outcome.chain()), (None, None));
    }
}
