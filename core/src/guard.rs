//! The public-safe guard (`docs/domain.md#6-the-public-safe-guard`): nothing that looks like a
//! credential enters the sandbox.
//!
//! Every import and every free-text input is scanned before it touches state. A refusal names the JSON
//! path and the kind of secret, never the secret itself.

use crate::json::Value;
use std::fmt;

/// Keys whose non-empty string value is refused wherever they appear (matched inside the key, any case).
pub const SECRET_KEYS: [&str; 8] = [
    "api_key",
    "client_secret",
    "password",
    "private_key",
    "secret",
    "signing_key",
    "token",
    "webhook_secret",
];

/// Why a value was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnsafeValue {
    /// Where, for example `$.retention_review.notes`.
    pub path: String,
    /// What it looks like, for example `a Slack token`.
    pub looks_like: &'static str,
    /// Whether it is a key of the object at `path` (the key is not repeated: it is the secret).
    pub in_key: bool,
}

impl fmt::Display for UnsafeValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let holder = if self.in_key {
            "one of its keys holds"
        } else {
            "it holds"
        };
        write!(
            f,
            "{}: refused, {holder} {}; the sandbox is public-safe and never stores credentials or key material",
            self.path, self.looks_like
        )
    }
}

impl std::error::Error for UnsafeValue {}

/// Scans a whole document; `path` is where it sits (`$` for a file).
pub fn check_value(value: &Value, path: &str) -> Result<(), UnsafeValue> {
    match value {
        Value::String(text) => check_text(text, path),
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_value(item, &format!("{path}[{index}]"))?;
            }
            Ok(())
        }
        Value::Object(pairs) => {
            for (key, item) in pairs {
                if let Some(looks_like) = credential_in(key) {
                    return Err(UnsafeValue {
                        path: path.to_string(),
                        looks_like,
                        in_key: true,
                    });
                }
                let item_path = format!("{path}.{key}");
                if is_secret_key(key) && item.as_str().is_some_and(|s| !s.is_empty()) {
                    return Err(UnsafeValue {
                        path: item_path,
                        looks_like: "a value under a secret-named key",
                        in_key: false,
                    });
                }
                check_value(item, &item_path)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Scans one free-text input.
pub fn check_text(text: &str, path: &str) -> Result<(), UnsafeValue> {
    match credential_in(text) {
        Some(looks_like) => Err(UnsafeValue {
            path: path.to_string(),
            looks_like,
            in_key: false,
        }),
        None => Ok(()),
    }
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|secret| key.contains(secret))
}

/// What kind of credential `text` contains, if any.
pub fn credential_in(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    for start in 0..bytes.len() {
        let rest = &bytes[start..];
        if let Some(kind) = credential_at(rest) {
            return Some(kind);
        }
    }
    if let Some(begin) = text.find("-----BEGIN ") {
        if text[begin..].contains("PRIVATE KEY-----") {
            return Some("a PEM private key");
        }
    }
    None
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn run_len(bytes: &[u8], allowed: fn(u8) -> bool) -> usize {
    bytes.iter().take_while(|&&b| allowed(b)).count()
}

fn credential_at(rest: &[u8]) -> Option<&'static str> {
    // GitHub: gh[pousr]_ then 20 or more word characters.
    if rest.len() > 4
        && rest.starts_with(b"gh")
        && b"pousr".contains(&rest[2])
        && rest[3] == b'_'
        && run_len(&rest[4..], is_word) >= 20
    {
        return Some("a GitHub token");
    }
    // Stripe secret keys.
    if (rest.starts_with(b"sk_live_") || rest.starts_with(b"sk_test_"))
        && run_len(&rest[8..], is_word) >= 1
    {
        return Some("a Stripe secret key");
    }
    // Slack: xox[baprs]-
    if rest.len() > 5 && rest.starts_with(b"xox") && b"baprs".contains(&rest[3]) && rest[4] == b'-'
    {
        return Some("a Slack token");
    }
    // AWS access key id: AKIA then 16 upper-case letters or digits.
    if rest.starts_with(b"AKIA")
        && rest[4..]
            .iter()
            .take(16)
            .filter(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count()
            == 16
    {
        return Some("an AWS access key id");
    }
    // JWT: three base64url segments, the first two JSON objects (`eyJ`).
    if rest.starts_with(b"eyJ") {
        let first = run_len(rest, is_base64url);
        if first >= 10 && rest.get(first) == Some(&b'.') {
            let second_start = first + 1;
            let second = run_len(&rest[second_start..], is_base64url);
            let third_start = second_start + second + 1;
            if second >= 4
                && rest.get(second_start + second) == Some(&b'.')
                && third_start <= rest.len()
            {
                let third = run_len(&rest[third_start..], is_base64url);
                if third >= 4 {
                    return Some("a JSON Web Token");
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn refuses_every_credential_shape_naming_its_path() {
        let cases = [
            ("ghp_abcdefghijklmnopqrstuvwxyz0123", "a GitHub token"),
            ("see gho_ABCDEFGHIJKLMNOPQRSTUVWX here", "a GitHub token"),
            ("sk_live_51HabcDEF", "a Stripe secret key"),
            ("sk_test_abc", "a Stripe secret key"),
            ("xoxb-1234567890-abcdefghijkl", "a Slack token"),
            ("AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "a JSON Web Token"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "a PEM private key"),
        ];
        for (text, kind) in cases {
            let document = Value::object([("notes", Value::from(text))]);
            let error = check_value(&document, "$.retention_review").expect_err(text);
            assert_eq!(error.path, "$.retention_review.notes");
            assert_eq!(error.looks_like, kind);
            assert!(
                !error.to_string().contains(text),
                "the message must not echo the secret"
            );
        }
    }

    #[test]
    fn refuses_secret_named_keys_with_values_but_not_booleans_or_empties() {
        let refused = parse(r#"{"connector": {"Webhook_Secret": "abc"}}"#).unwrap();
        assert_eq!(
            check_value(&refused, "$").unwrap_err().path,
            "$.connector.Webhook_Secret"
        );
        let refused = parse(r#"{"list": [{"api_key": "x"}]}"#).unwrap();
        assert_eq!(
            check_value(&refused, "$").unwrap_err().path,
            "$.list[0].api_key"
        );
        let allowed =
            parse(r#"{"private_key_stored": false, "password": "", "token_count": 3}"#).unwrap();
        assert!(check_value(&allowed, "$").is_ok());
        let key_as_credential = parse(r#"{"a": {"xoxp-1-2": 1}}"#).unwrap();
        let error = check_value(&key_as_credential, "$").unwrap_err();
        assert_eq!((error.path.as_str(), error.in_key), ("$.a", true));
        assert!(!error.to_string().contains("xoxp"));
    }

    #[test]
    fn passes_ordinary_text() {
        for text in [
            "Synthetic retention approval",
            "ghp_short",
            "sky_live",
            "AKIA lower",
            "eyJ.only",
            "high_priority_token_review",
        ] {
            assert_eq!(credential_in(text), None, "{text}");
        }
    }
}
