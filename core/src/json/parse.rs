//! A strict JSON parser (RFC 8259) that names the JSON path and position of every problem.
//!
//! Stricter than most on purpose, because it guards imports: duplicate keys, a byte-order mark, lone
//! surrogates, `NaN`/`Infinity` and numbers beyond the float range are refused, and nesting deeper than
//! [`MAX_DEPTH`] is an error, never a stack overflow.

use super::value::{Number, Value};
use std::fmt;

/// How deep arrays and objects may nest.
pub const MAX_DEPTH: usize = 128;

/// Why a document is not acceptable JSON, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The JSON path of the value being read, for example `$.retention_review.notes`.
    pub path: String,
    /// 1-based line and column of the offending byte.
    pub line: usize,
    pub column: usize,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} (line {}, column {})",
            self.path, self.message, self.line, self.column
        )
    }
}

impl std::error::Error for JsonError {}

/// Parses a document from bytes, refusing invalid UTF-8 and a byte-order mark.
pub fn parse_bytes(bytes: &[u8]) -> Result<Value, JsonError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(JsonError {
            path: "$".into(),
            line: 1,
            column: 1,
            message: "the file starts with a byte-order mark; save it as UTF-8 without BOM".into(),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text),
        Err(error) => {
            let offset = error.valid_up_to();
            let (line, column) = position(&bytes[..offset]);
            Err(JsonError {
                path: "$".into(),
                line,
                column,
                message: format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
            })
        }
    }
}

/// Parses one JSON document; only white space may follow it.
pub fn parse(text: &str) -> Result<Value, JsonError> {
    if text.starts_with('\u{feff}') {
        return parse_bytes(text.as_bytes());
    }
    let mut parser = Parser {
        bytes: text.as_bytes(),
        at: 0,
        path: Vec::new(),
    };
    parser.skip_space();
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < parser.bytes.len() {
        return Err(parser.error("unexpected text after the end of the JSON document"));
    }
    Ok(value)
}

fn position(consumed: &[u8]) -> (usize, usize) {
    let line = consumed.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = consumed
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&consumed[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

enum Segment {
    Key(String),
    Index(usize),
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
    path: Vec<Segment>,
}

impl Parser<'_> {
    fn path_string(&self) -> String {
        let mut path = String::from("$");
        for segment in &self.path {
            match segment {
                Segment::Key(key) if is_plain_key(key) => {
                    path.push('.');
                    path.push_str(key);
                }
                Segment::Key(key) => {
                    path.push_str("[\"");
                    path.extend(key.chars().take(40).flat_map(char::escape_default));
                    path.push_str("\"]");
                }
                Segment::Index(index) => path.push_str(&format!("[{index}]")),
            }
        }
        path
    }

    fn error(&self, message: impl Into<String>) -> JsonError {
        let (line, column) = position(&self.bytes[..self.at.min(self.bytes.len())]);
        JsonError {
            path: self.path_string(),
            line,
            column,
            message: message.into(),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            None => Err(self.error("the document ends where a value was expected")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'N' | b'I') => Err(self.error("NaN and Infinity are not JSON numbers")),
            Some(_) => Err(self.error(format!("unexpected character {}", self.char_here()))),
        }
    }

    fn char_here(&self) -> String {
        let rest = std::str::from_utf8(&self.bytes[self.at..]).ok();
        let ch = rest.and_then(|r| r.chars().next()).unwrap_or('?');
        format!("{:?}", ch)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error(format!(
                "unexpected character {} (did you mean {word}?)",
                self.char_here()
            )))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.at += 1;
        let mut pairs: Vec<(String, Value)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(pairs));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a quoted key"));
            }
            let key = self.string()?;
            if !seen.insert(key.clone()) {
                self.path.push(Segment::Key(key.clone()));
                let error = self.error(format!("duplicate key {key:?}"));
                self.path.pop();
                return Err(error);
            }
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error(format!("expected ':' after the key {key:?}")));
            }
            self.at += 1;
            self.skip_space();
            self.path.push(Segment::Key(key.clone()));
            let value = self.value(depth)?;
            self.path.pop();
            pairs.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(pairs));
                }
                None => return Err(self.error("the document ends inside an object (missing '}')")),
                Some(_) => return Err(self.error("expected ',' or '}' in an object")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_space();
            self.path.push(Segment::Index(items.len()));
            let value = self.value(depth)?;
            self.path.pop();
            items.push(value);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("the document ends inside an array (missing ']')")),
                Some(_) => return Err(self.error("expected ',' or ']' in an array")),
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("incomplete \\u escape"))?;
        let text = std::str::from_utf8(digits).map_err(|_| self.error("invalid \\u escape"))?;
        let code = u32::from_str_radix(text, 16)
            .map_err(|_| self.error(format!("invalid \\u escape \\u{text}")))?;
        if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error(format!("invalid \\u escape \\u{text}")));
        }
        self.at += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = String::new();
        loop {
            let start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            // The input is a &str, and we only stop at ASCII bytes, so this slice is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("the document ends inside a string (missing '\"')")),
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("the document ends inside an escape"))?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        other => {
                            self.at -= 1;
                            return Err(self.error(format!("invalid escape \\{}", other as char)));
                        }
                    }
                }
                Some(_) => {
                    return Err(self.error("a control character inside a string must be escaped"))
                }
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.at..].starts_with(b"\\u") {
                    return Err(self.error("a lone surrogate \\u escape is not a character"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("a lone surrogate \\u escape is not a character"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(self.error("a lone surrogate \\u escape is not a character"))
            }
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }

    fn number(&mut self) -> Result<Value, JsonError> {
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

fn is_plain_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !key.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(text: &str) -> JsonError {
        parse(text).expect_err(text)
    }

    #[test]
    fn parses_every_kind_of_value_and_keeps_key_order() {
        let value =
            parse(r#" {"b": [1, -0, 2.5, true, false, null], "a": "x\u00e9\ud83d\ude00\n"} "#)
                .unwrap();
        let pairs = value.as_object().unwrap();
        assert_eq!(pairs[0].0, "b");
        assert_eq!(pairs[1].1, Value::String("xé😀\n".into()));
        let items = value.get("b").unwrap().as_array().unwrap();
        assert_eq!(items[1], Value::Number(Number::Int("0".into())));
        assert_eq!(items[2], Value::Number(Number::Float(2.5)));
    }

    #[test]
    fn keeps_big_integers_exact() {
        let value = parse("123456789012345678901234567890").unwrap();
        assert_eq!(
            value,
            Value::Number(Number::Int("123456789012345678901234567890".into()))
        );
    }

    #[test]
    fn names_the_path_of_the_problem() {
        let error = error_of(r#"{"a": {"list": [1, {"k": tru}]}}"#);
        assert_eq!(error.path, "$.a.list[1].k");
        assert!(error.message.contains("true"), "{error}");
        let error = error_of("{\n  \"x\": 1,\n  \"x\": 2\n}");
        assert_eq!(error.path, "$.x");
        assert_eq!(error.line, 3);
        assert!(error.message.contains("duplicate key"));
    }

    #[test]
    fn refuses_what_python_would_accept_but_is_not_json() {
        for text in [
            "NaN",
            "[Infinity]",
            "-Infinity",
            "1e400",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "\"\\ud800\"",
            "\"\\udc00x\"",
        ] {
            assert!(parse(text).is_err(), "{text} should be refused");
        }
        assert!(parse_bytes(b"\xEF\xBB\xBF{}")
            .unwrap_err()
            .message
            .contains("byte-order mark"));
        assert!(parse_bytes(b"{\"a\": \"\xff\"}")
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(error_of("\"a\tb\"").message.contains("control character"));
        assert!(error_of("{} x").message.contains("after the end"));
        assert!(error_of("{\"a\": [1, 2")
            .message
            .contains("ends inside an array"));
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

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(error_of(&deep).message.contains("nesting deeper"));
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let too_deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse(&too_deep).is_err());
    }
}
