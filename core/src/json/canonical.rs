//! Canonical JSON (spec section 2): exactly what CPython's `json.dumps(value, sort_keys=True)` writes,
//! and the sha256 digest of it. Every id and hash in the evidence log rests on these bytes.

use super::value::{Number, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// The canonical text: keys sorted by code point at every depth, separators `", "` and `": "`, every
/// character outside printable ASCII escaped, Python's float repr, no trailing newline.
pub fn canonical_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value);
    out
}

/// The lowercase hex sha256 of the canonical UTF-8 bytes.
pub fn digest(value: &Value) -> String {
    hex::encode(Sha256::digest(canonical_string(value).as_bytes()))
}

fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(Number::Int(digits)) => out.push_str(digits),
        Value::Number(Number::Float(x)) => out.push_str(&python_float_repr(*x)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(pairs) => {
            // UTF-8 byte order is code point order, which is how Python sorts str keys.
            let mut sorted: Vec<&(String, Value)> = pairs.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (index, (key, item)) in sorted.into_iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    // Runs of printable ASCII other than `"` and `\\` are copied as they are, in one go: most of a
    // record is such text, and copying it a character at a time was the writer's main cost.
    let mut rest = s;
    while let Some(index) = rest
        .bytes()
        .position(|b| !(b' '..=b'~').contains(&b) || b == b'"' || b == b'\\')
    {
        out.push_str(&rest[..index]);
        let Some(ch) = rest[index..].chars().next() else {
            break;
        };
        write_escaped(out, ch);
        rest = &rest[index + ch.len_utf8()..];
    }
    out.push_str(rest);
    out.push('"');
}

/// The two-character escapes both the canonical and the pretty writer use.
pub(super) fn short_escape(ch: char) -> Option<&'static str> {
    Some(match ch {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        _ => return None,
    })
}

fn write_escaped(out: &mut String, ch: char) {
    if let Some(escape) = short_escape(ch) {
        out.push_str(escape);
        return;
    }
    match ch {
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        // CPython escapes everything outside ' '..='~', so DEL (0x7f) is escaped too, even though the
        // spec's prose says otherwise: digests must match what CPython writes.
        _ => {
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        }
    }
}

/// Python's `repr` of a finite float: the shortest digits that round-trip, in fixed notation when the
/// decimal exponent is from -4 to 15 (`0.0001`, `1e+16`, `1e-05`, `2.0`, `-0.0`).
pub fn python_float_repr(x: f64) -> String {
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    // Rust's `{:e}` gives the shortest round-trip digits, as Python's repr does: `d.ddde±x`.
    let scientific = format!("{:e}", x.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .unwrap_or((scientific.as_str(), "0"));
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let sign = if x < 0.0 { "-" } else { "" };
    // Python's decpt: where the decimal point falls relative to the digits.
    let decpt = exponent + 1;
    let body = if decpt > -4 && decpt <= 16 {
        if decpt <= 0 {
            format!("0.{}{}", "0".repeat(decpt.unsigned_abs() as usize), digits)
        } else if decpt as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(decpt as usize - digits.len()))
        } else {
            let (whole, fraction) = digits.split_at(decpt as usize);
            format!("{whole}.{fraction}")
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let fraction = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!(
            "{first}{fraction}e{exponent_sign}{:02}",
            exponent.unsigned_abs()
        )
    };
    format!("{sign}{body}")
}
