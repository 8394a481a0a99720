//! JSON numbers: integers kept exact as their digits, floats read to the nearest double.

use super::{JsonError, Parser};
use crate::json::value::{Number, Value};

impl Parser<'_> {
    pub(super) fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("a number may not have leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            Some(b'I') => return Err(self.error("NaN and Infinity are not JSON numbers")),
            _ => return Err(self.error("a number needs digits after '-'")),
        }
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs digits after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            is_float = true;
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs digits in its exponent"));
            }
            self.digits();
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default();
        if is_float {
            match float_of(text) {
                Some(x) if x.is_finite() => Ok(Value::Number(Number::Float(x))),
                _ => Err(self.error(format!("the number {text} is out of range"))),
            }
        } else if text == "-0" {
            Ok(Value::Number(Number::Int("0".into())))
        } else {
            Ok(Value::Number(Number::Int(text.to_string())))
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
    }
}

/// The double nearest a JSON number's text (already checked against JSON's grammar), as Python's
/// `float()` reads it; infinite when it is out of range.
///
/// `lexical-parse-float` with its `compact` feature, not `str::parse`: the standard library's
/// Eisel-Lemire tables (10 KB that do not compress) and slow path cost the app's first load 9.4 KB
/// gzip (BENCHMARKS.md). Both round correctly; a test compares them on a million numbers.
fn float_of(text: &str) -> Option<f64> {
    <f64 as lexical_parse_float::FromLexical>::from_lexical(text.as_bytes()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn keeps_big_integers_exact() {
        let value = parse("123456789012345678901234567890").unwrap();
        assert_eq!(
            value,
            Value::Number(Number::Int("123456789012345678901234567890".into()))
        );
    }

    #[test]
    fn floats_read_as_the_standard_library_reads_them_on_a_million_numbers() {
        let mut cases: Vec<String> = [
            "0.1",
            "0.3",
            "1e23",
            "1E5",
            "1e+5",
            "-0.0",
            "1.5e-0010",
            "9007199254740993.0",
            "2.2250738585072011e-308",
            "2.2250738585072012e-308",
            "4.9406564584124654e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1e400",
            "-1e400",
            "1e-400",
            "179769313486231580793728971405301e276",
            "7.2057594037927933e16",
            "184682136014194.625",
            "0.000000000000000000000000000000000000001",
        ]
        .map(String::from)
        .to_vec();
        // A halfway case written with 800 digits: only exact arithmetic rounds it right.
        cases.push(format!("9007199254740993.{}1", "0".repeat(800)));
        cases.push(format!("9007199254740993.{}", "0".repeat(800)));
        let mut random = crate::Xorshift(0x2545_f491_4f6c_dd1d);
        let mut next = move || random.next();
        while cases.len() < 1_000_000 {
            let r = next();
            let mut text = String::new();
            if r & 1 == 1 {
                text.push('-');
            }
            // 1 to 40 significant digits, the first not 0.
            let digits = 1 + (r >> 1) % 40;
            text.push(char::from(b'1' + (next() % 9) as u8));
            let point = (r >> 8) % (digits + 1);
            for i in 1..digits {
                if i == point {
                    text.push('.');
                }
                text.push(char::from(b'0' + (next() % 10) as u8));
            }
            if text.ends_with('.') {
                text.push('0');
            }
            if !text.contains('.') && r >> 20 & 1 == 1 {
                text.push_str(".5");
            }
            if r >> 21 & 1 == 1 {
                let exponent = (next() % 700) as i32 - 350;
                text.push_str(&format!("e{exponent}"));
            }
            cases.push(text);
        }
        for text in &cases {
            let ours = float_of(text).map(f64::to_bits);
            let std = text.parse::<f64>().ok().map(f64::to_bits);
            assert_eq!(ours, std, "{text}");
        }
    }
}
