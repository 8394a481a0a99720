//! Canonical JSON (`docs/domain.md#21-canonical-json`): exactly what CPython's
//! `json.dumps(value, sort_keys=True)` writes, and the sha256 digest of it. Every id and hash in the
//! evidence log rests on these bytes.

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

/// The shortest digits that round-trip to `x` (finite, positive), as Python's repr finds them, and the
/// decimal exponent of the first: 1234.5 is ("12345", 3), 0.001 is ("1", -3).
///
/// The digits come from Ryū (the `ryu` crate). It replaced `format!("{:e}")` for two reasons: the
/// standard library's float formatting (Grisu with a Dragon4 fallback, plus the fixed-precision
/// variants every `f64` formatting impl links) cost the app's first load more (BENCHMARKS.md), and
/// where a float lies exactly halfway between two shortest candidates `{:e}` rounds the last digit up,
/// while CPython's repr, like Ryū, takes the even one. A test compares the two on a million floats.
fn shortest_digits(x: f64) -> (String, i32) {
    let mut buffer = ryu::Buffer::new();
    // Ryū writes `d.ddd`, `0.000ddd` or `d.ddde±x`.
    let text = buffer.format_finite(x);
    let (mantissa, exponent) = text.split_once('e').unwrap_or((text, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let whole_len = mantissa.find('.').unwrap_or(mantissa.len());
    let all: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let leading_zeros = all.bytes().take_while(|&b| b == b'0').count();
    let digits = all[leading_zeros..].trim_end_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    let first_exponent = exponent + whole_len as i32 - 1 - leading_zeros as i32;
    (digits.to_string(), first_exponent)
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
    let (digits, exponent) = shortest_digits(x.abs());
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits and exponent as Rust's `{:e}` gives them (what `shortest_digits` replaced).
    fn by_std(x: f64) -> (String, i32) {
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap();
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        (digits, exponent.parse().unwrap())
    }

    #[test]
    fn ryu_digits_are_the_standard_librarys_but_for_ties_on_a_million_floats() {
        let mut cases = vec![
            f64::MIN_POSITIVE,
            f64::MAX,
            5e-324,
            f64::from_bits(0x000f_ffff_ffff_ffff), // the largest subnormal
            0.1,
            0.3,
            1.0,
            2.0,
            9_007_199_254_740_992.0,
            1e15,
            1e16,
            1e-4,
            1e-5,
            123_456_789_012_345_680.0,
            f64::MAX / 3.0,
        ];
        cases.extend((-323..=308).map(|e| 10f64.powi(e)));
        cases.extend((0..2000).map(|n| f64::from(n) / 8.0 + 0.5));
        let mut random = crate::Xorshift(0x9e37_79b9_7f4a_7c15);
        while cases.len() < 1_000_000 {
            let x = f64::from_bits(random.next() >> 1); // positive
            if x.is_finite() && x != 0.0 {
                cases.push(x);
            }
        }
        let mut ties = 0;
        for x in cases.into_iter().filter(|x| x.is_finite() && *x > 0.0) {
            let (digits, exponent) = shortest_digits(x);
            let (std_digits, std_exponent) = by_std(x);
            let back: f64 = format!("{}.{}e{exponent}", &digits[..1], &digits[1..])
                .parse()
                .unwrap();
            assert_eq!(back, x, "{digits}e{exponent} does not round-trip to {x:e}");
            assert_eq!(digits.len(), std_digits.len(), "{x:e}: not the shortest");
            if (digits.as_str(), exponent) != (std_digits.as_str(), std_exponent) {
                // Only when x lies exactly halfway between two shortest candidates: CPython (and
                // Ryū) take the even last digit, Rust's `{:e}` the one above.
                let last = |d: &str| d.bytes().last().map(|b| b - b'0').unwrap();
                assert_eq!(exponent, std_exponent, "{x:e}");
                assert_eq!(last(&digits) % 2, 0, "{x:e}: {digits} vs {std_digits}");
                assert_eq!(last(&std_digits), last(&digits) + 1, "{x:e}");
                ties += 1;
            }
        }
        // 252 of the million are such ties; CPython 3.11's repr of every one agreed with Ryū's digits
        // (checked when this test was written; four are in `python_repr_forms`).
        assert!(
            ties < 1_000,
            "{ties} ties: more than halfway cases can explain"
        );
    }

    #[test]
    fn python_repr_forms() {
        for (x, repr) in [
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (0.1, "0.1"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (1e16, "1e+16"),
            (1234567890123456.0, "1234567890123456.0"),
            (1.5e300, "1.5e+300"),
            (5e-324, "5e-324"),
            (0.000123, "0.000123"),
            // Exactly halfway between ...62 and ...63: CPython's repr takes the even digit, as Ryū
            // does. Rust's `{:e}`, used before, gave ...63 and so a different digest.
            (f64::from_bits(0x42e4_fef5_23a1_ae54), "184682136014194.62"),
            (f64::from_bits(0x4319_815f_5ca7_c885), "1794780248535585.2"),
            (f64::from_bits(0x4319_0f68_c0e8_b219), "1763454251314310.2"),
            (f64::from_bits(0x430b_36db_83b4_450a), "957517600819361.2"),
        ] {
            assert_eq!(python_float_repr(x), repr, "{x:e}");
        }
    }
}
