//! Pinning a chain to an expected head: the one check that shows a chain was cut short, since a cut that
//! rewrites `entry_count` and `head_digest` verifies (`docs/domain.md#d-17-a-chain-that-ends-early-says-so`).

use super::{is_zip, verify_file, FileVerification, IntactFile};
use std::fmt;

/// A head digest a chain is expected to have, such as the auditor's report prints: 64 lowercase hex
/// digits, parsed once here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedHead(String);

/// Why a text is not a head digest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadFormatError {
    /// Not 64 characters long.
    Length { found: usize },
    /// 64 characters, but one is not a lowercase hex digit.
    NotLowercaseHex,
}

impl fmt::Display for HeadFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "a head digest is 64 lowercase hex digits, as the auditor's report prints it; ",
        )?;
        match self {
            HeadFormatError::Length { found } => write!(f, "this one has {found} characters"),
            HeadFormatError::NotLowercaseHex => {
                f.write_str("this one has a character that is not 0-9 or a-f")
            }
        }
    }
}

impl std::error::Error for HeadFormatError {}

impl ExpectedHead {
    /// Reads a head digest: exactly 64 characters, each `0-9` or `a-f`.
    pub fn parse(text: &str) -> Result<ExpectedHead, HeadFormatError> {
        let found = text.chars().count();
        if found != 64 {
            return Err(HeadFormatError::Length { found });
        }
        if !text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(HeadFormatError::NotLowercaseHex);
        }
        Ok(ExpectedHead(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The command that checks a copy of the chain against its head later, as the auditor's report prints it.
pub fn pin_command(head_digest: &str) -> String {
    format!("closeout verify evidence-chain.json --head {head_digest}")
}

/// Verifies a file as [`verify_file`] does, then compares an intact chain's head with the expected one.
/// A bundle zip carries no chain head, so it is not verified at all: there is nothing to compare.
pub fn verify_file_against(bytes: &[u8], expected: &ExpectedHead) -> FileVerification {
    if is_zip(bytes) {
        return FileVerification::NoHeadToCompare;
    }
    match verify_file(bytes) {
        FileVerification::Intact(IntactFile::EvidenceChain(report)) => {
            if report.head_digest == expected.as_str() {
                FileVerification::Intact(IntactFile::EvidenceChainAtExpectedHead(report))
            } else {
                FileVerification::HeadDiffers {
                    expected: expected.clone(),
                    found: report.head_digest,
                    entries: report.entries,
                }
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{bundle_zip_of, chain_bytes, chain_value, cut, ran};
    use super::*;
    use crate::json::pretty_string;

    #[test]
    fn a_head_is_64_lowercase_hex_digits() {
        let head = "0123456789abcdef".repeat(4);
        assert_eq!(ExpectedHead::parse(&head).unwrap().as_str(), head);
        assert_eq!(
            ExpectedHead::parse("abc"),
            Err(HeadFormatError::Length { found: 3 })
        );
        assert_eq!(
            ExpectedHead::parse(""),
            Err(HeadFormatError::Length { found: 0 })
        );
        assert_eq!(
            ExpectedHead::parse(&head.to_uppercase()),
            Err(HeadFormatError::NotLowercaseHex)
        );
        assert_eq!(
            ExpectedHead::parse(&format!("{}g", &head[..63])),
            Err(HeadFormatError::NotLowercaseHex)
        );
        // 64 characters but more bytes: counted as characters, refused as not hex.
        assert_eq!(
            ExpectedHead::parse(&format!("{}é", &head[..63])),
            Err(HeadFormatError::NotLowercaseHex)
        );
        assert!(HeadFormatError::Length { found: 3 }
            .to_string()
            .contains("64 lowercase hex digits"));
    }

    #[test]
    fn the_pin_command_names_the_chain_file_and_the_head() {
        let session = ran();
        let command = pin_command(session.head_digest());
        assert_eq!(
            command,
            format!(
                "closeout verify evidence-chain.json --head {}",
                session.head_digest()
            )
        );
        // What it pins parses as a head.
        let head = command.rsplit(' ').next().unwrap();
        assert!(ExpectedHead::parse(head).is_ok());
    }

    #[test]
    fn the_same_head_is_intact_and_needs_no_warning() {
        let session = ran();
        let expected = ExpectedHead::parse(session.head_digest()).unwrap();
        let outcome = verify_file_against(&chain_bytes(&session), &expected);
        assert!(outcome.is_intact());
        assert!(matches!(
            outcome,
            FileVerification::Intact(IntactFile::EvidenceChainAtExpectedHead(_))
        ));
        assert_eq!(outcome.warning(), None);
        assert!(outcome.message().ends_with(", the expected head"));
    }

    #[test]
    fn a_cut_chain_pinned_to_the_full_head_differs_and_names_both_heads() {
        let session = ran();
        let expected = ExpectedHead::parse(session.head_digest()).unwrap();
        let cut_chain = cut(&chain_value(&session), 15);
        let outcome = verify_file_against(pretty_string(&cut_chain).as_bytes(), &expected);
        let found = session.log().entries()[14].entry_digest.clone();
        assert_eq!(
            outcome,
            FileVerification::HeadDiffers {
                expected: expected.clone(),
                found: found.clone(),
                entries: 15
            }
        );
        assert!(!outcome.is_intact());
        let message = outcome.message();
        assert!(message.contains(&format!("{}…", &found[..12])), "{message}");
        assert!(
            message.contains(&format!("{}…", &expected.as_str()[..12])),
            "{message}"
        );
        assert!(message.contains("after 15 entries"), "{message}");
        assert!(!message.contains(&found), "heads are shortened: {message}");
    }

    #[test]
    fn a_cut_chain_pinned_to_its_own_head_is_intact() {
        let session = ran();
        let cut_chain = cut(&chain_value(&session), 15);
        let expected = ExpectedHead::parse(&session.log().entries()[14].entry_digest).unwrap();
        let outcome = verify_file_against(pretty_string(&cut_chain).as_bytes(), &expected);
        assert!(matches!(
            outcome,
            FileVerification::Intact(IntactFile::EvidenceChainAtExpectedHead(ref r)) if r.entries == 15
        ));
    }

    #[test]
    fn a_bundle_has_no_head_to_compare_and_a_broken_chain_stays_broken() {
        let session = ran();
        let expected = ExpectedHead::parse(session.head_digest()).unwrap();
        let zip = bundle_zip_of(&session);
        let outcome = verify_file_against(&zip, &expected);
        assert_eq!(outcome, FileVerification::NoHeadToCompare);
        assert_eq!(
            outcome.message(),
            "a bundle does not carry the chain's head; verify the evidence chain file"
        );
        let text = String::from_utf8(chain_bytes(&session)).unwrap();
        let edited = text.replacen("\"approved\"", "\"denied\"", 1);
        assert!(matches!(
            verify_file_against(edited.as_bytes(), &expected),
            FileVerification::Tampered(_)
        ));
        assert!(matches!(
            verify_file_against(b"{not json", &expected),
            FileVerification::Unreadable(_)
        ));
    }
}
