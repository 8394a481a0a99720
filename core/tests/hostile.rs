//! The hostile input suite: hundreds of generated trial packages that must each be refused with a clear
//! error naming the problem, never a panic. The cases are also written to `target/tmp/hostile-cases/`
//! so the browser suite feeds the same files to the app's import.
// This test writes its cases for the browser suite and reports how many; a test fails by panicking.
// Core's purity rules (core/clippy.toml) and the workspace's no-unwrap rules are for the library, not
// for the tests outside it.
#![allow(
    clippy::disallowed_methods,
    clippy::disallowed_macros,
    clippy::unwrap_used
)]

use closeout_core::guard::SECRET_KEYS;
use closeout_core::json::{parse, pretty_string, Value};
use closeout_core::package::{sections, TrialPackage, SECTIONS};

struct Case {
    name: String,
    bytes: Vec<u8>,
    /// A fragment the error must contain (a JSON path or the problem).
    expect: String,
}

fn sample() -> Value {
    let path = format!(
        "{}/tests/fixtures/sample-evidence-package.json",
        env!("CARGO_MANIFEST_DIR")
    );
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn case(name: impl Into<String>, bytes: impl Into<Vec<u8>>, expect: impl Into<String>) -> Case {
    Case {
        name: name.into(),
        bytes: bytes.into(),
        expect: expect.into(),
    }
}

fn leaves(
    value: &Value,
    path: String,
    out: &mut Vec<(String, Vec<String>, Value)>,
    keys: &mut Vec<String>,
) {
    match value {
        Value::Object(pairs) => {
            for (k, v) in pairs {
                keys.push(k.clone());
                leaves(v, format!("{path}.{k}"), out, keys);
                keys.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                keys.push(format!("[{i}]"));
                leaves(v, format!("{path}[{i}]"), out, keys);
                keys.pop();
            }
        }
        other => out.push((path, keys.clone(), other.clone())),
    }
}

fn set_path(value: &mut Value, keys: &[String], new: Value) {
    match keys {
        [] => *value = new,
        [first, rest @ ..] => {
            let child =
                if let Some(index) = first.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                    match value {
                        Value::Array(items) => {
                            index.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                        }
                        _ => None,
                    }
                } else {
                    match value {
                        Value::Object(pairs) => {
                            pairs.iter_mut().find(|(k, _)| k == first).map(|(_, v)| v)
                        }
                        _ => None,
                    }
                };
            if let Some(child) = child {
                set_path(child, rest, new);
            }
        }
    }
}

fn wrong_type(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::from(7i64),
        Value::Bool(_) => Value::from("yes"),
        Value::Number(_) => Value::from("seven"),
        Value::Array(_) => Value::Object(vec![]),
        Value::Object(_) => Value::from("an object was expected"),
        Value::Null => Value::from(false),
    }
}

const CREDENTIALS: [(&str, &str); 6] = [
    ("github", "ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
    ("stripe", "sk_live_51Habcdefghijkl"),
    ("slack", "xoxb-1234567890-abcdefghijkl"),
    (
        "pem",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----",
    ),
    ("aws", "AKIAIOSFODNN7EXAMPLE"),
    (
        "jwt",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ),
];

fn with_section_field(sample: &Value, section: &str, key: &str, value: Value) -> Vec<u8> {
    let mut package = sample.clone();
    let mut body = package.get(section).cloned().unwrap_or(Value::Null);
    body.set(key, value);
    package.set(section, body);
    pretty_string(&package).into_bytes()
}

fn is_step_section(key: &str) -> bool {
    sections::TABLE
        .iter()
        .any(|s| s.key == key && s.step.is_some())
}

fn cases() -> Vec<Case> {
    let sample = sample();
    let text = pretty_string(&sample);
    let mut cases = Vec::new();
    // Truncated at every section boundary: before each top-level key, and just after each section.
    for (key, _) in sample.as_object().unwrap() {
        let at = text.find(&format!("\n  \"{key}\":")).unwrap();
        cases.push(case(
            format!("truncated-before-{key}"),
            &text.as_bytes()[..at],
            "not valid JSON",
        ));
        let end = text[at + 1..]
            .find("\n  \"")
            .map_or(text.len() - 2, |next| at + 1 + next);
        cases.push(case(
            format!("truncated-after-{key}"),
            &text.as_bytes()[..end],
            "not valid JSON",
        ));
    }
    // Every field, and every container, given the wrong type.
    let mut all = Vec::new();
    leaves(&sample, "$".into(), &mut all, &mut Vec::new());
    for (path, keys, value) in all {
        let mut package = sample.clone();
        set_path(&mut package, &keys, wrong_type(&value));
        cases.push(case(
            format!("wrong-type{}", path.trim_start_matches('$')),
            pretty_string(&package),
            path,
        ));
    }
    for section in SECTIONS {
        let mut package = sample.clone();
        package.set(section, Value::from("an object was expected"));
        cases.push(case(
            format!("wrong-type-section-{section}"),
            pretty_string(&package),
            format!("$.{section}: must be an object"),
        ));
    }
    // Missing sections. A step section that is absent reads as not run and is decided (D-16, see
    // `a_package_missing_a_step_section_is_decided_not_refused`); the rest are refused.
    for (key, _) in sample.as_object().unwrap() {
        if is_step_section(key) {
            continue;
        }
        let mut package = sample.clone();
        package.remove(key);
        cases.push(case(
            format!("missing-{key}"),
            pretty_string(&package),
            format!("$.{key}: is missing"),
        ));
    }
    // Huge strings: one over the file limit, one over the field limit.
    let mut package = sample.clone();
    set_path(
        &mut package,
        &["retention_review".into(), "notes".into()],
        Value::from("a".repeat(10 * 1024 * 1024)),
    );
    cases.push(case(
        "string-10mb",
        pretty_string(&package),
        "may be at most 8 MB",
    ));
    set_path(
        &mut package,
        &["retention_review".into(), "notes".into()],
        Value::from("a".repeat(100_000)),
    );
    cases.push(case(
        "string-100kb",
        pretty_string(&package),
        "$.retention_review.notes: is longer than",
    ));
    // Deep nesting, alone and inside a field.
    cases.push(case(
        "nesting-100000",
        "[".repeat(100_000) + &"]".repeat(100_000),
        "nesting deeper than",
    ));
    let deep = text.replacen(
        "\"Synthetic retention approval for final closeout trial walkthrough.\"",
        &("[".repeat(100_000) + &"]".repeat(100_000)),
        1,
    );
    cases.push(case("nesting-100000-in-notes", deep, "nesting deeper than"));
    // Encoding.
    let mut invalid = text.clone().into_bytes();
    let at = text.find("Synthetic retention").unwrap();
    invalid[at] = 0xff;
    cases.push(case("invalid-utf8", invalid, "not valid UTF-8"));
    cases.push(case(
        "byte-order-mark",
        [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
        "byte-order mark",
    ));
    cases.push(case("empty-file", Vec::new(), "the document ends"));
    cases.push(case("not-an-object", "[1, 2, 3]", "$: must be an object"));
    // Duplicate keys.
    cases.push(case(
        "duplicate-top-level-key",
        text.replacen("{\n", "{\n  \"generated_at\": \"2026-01-01\",\n", 1),
        "duplicate key \"generated_at\"",
    ));
    cases.push(case(
        "duplicate-nested-key",
        text.replacen(
            "\"legal_hold\": false,",
            "\"legal_hold\": false,\n    \"legal_hold\": true,",
            1,
        ),
        "$.retention_review.legal_hold: duplicate key",
    ));
    // Numbers JSON does not have.
    for (name, number) in [
        ("nan", "NaN"),
        ("infinity", "Infinity"),
        ("minus-infinity", "-Infinity"),
        ("1e400", "1e400"),
    ] {
        let bad = text.replacen(
            "\"blocker_count\": 0",
            &format!("\"blocker_count\": {number}"),
            1,
        );
        let expect = if name == "1e400" {
            "out of range"
        } else {
            "NaN and Infinity"
        };
        cases.push(case(format!("number-{name}"), bad, expect));
    }
    // Every credential shape in every section, as a value and as a key; every secret-named key.
    for section in SECTIONS {
        for (shape, credential) in CREDENTIALS {
            cases.push(case(
                format!("credential-{shape}-value-in-{section}"),
                with_section_field(&sample, section, "x_reference", Value::from(credential)),
                format!("$.{section}.x_reference"),
            ));
            cases.push(case(
                format!("credential-{shape}-key-in-{section}"),
                with_section_field(&sample, section, credential, Value::from("x")),
                format!("$.{section}: refused, one of its keys holds"),
            ));
        }
        for key in SECRET_KEYS {
            cases.push(case(
                format!("secret-key-{key}-in-{section}"),
                with_section_field(&sample, section, key, Value::from("hunter2")),
                format!("$.{section}.{key}"),
            ));
        }
    }
    cases
}

#[test]
fn every_hostile_package_is_refused_with_a_clear_error() {
    let cases = cases();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile-cases");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut manifest = Vec::new();
    for case in &cases {
        let error = match TrialPackage::import(&case.bytes) {
            Ok(_) => panic!("{}: was accepted", case.name),
            Err(error) => error.to_string(),
        };
        assert!(
            error.contains(&case.expect),
            "{}: expected {:?} in {error:?}",
            case.name,
            case.expect
        );
        assert!(
            !error.contains("xoxb-") && !error.contains("hunter2") && !error.contains("AKIAIOSF"),
            "{}: the error echoes the secret",
            case.name
        );
        let file = format!("{}.json", case.name.replace(['$', '[', ']', '.'], "_"));
        std::fs::write(dir.join(&file), &case.bytes).unwrap();
        manifest.push(Value::object([
            ("name", Value::from(case.name.as_str())),
            ("file", Value::from(file)),
            ("expect", Value::from(case.expect.as_str())),
        ]));
    }
    std::fs::write(
        dir.join("manifest.json"),
        pretty_string(&Value::Array(manifest)),
    )
    .unwrap();
    println!(
        "hostile input suite: {} cases, {} refused with the expected error, 0 panics",
        cases.len(),
        cases.len()
    );
    assert!(cases.len() >= 150);
    // The untouched sample still imports: the refusals are about the edits.
    assert!(TrialPackage::from_value(sample()).is_ok());
}

#[test]
fn a_package_missing_a_step_section_is_decided_not_refused() {
    let sample = sample();
    let mut decided = 0;
    for (key, _) in sample.as_object().unwrap() {
        let mut package = sample.clone();
        package.remove(key);
        let imported = TrialPackage::import(pretty_string(&package).as_bytes());
        if is_step_section(key) {
            let package = imported.unwrap_or_else(|e| panic!("missing-{key}: refused: {e}"));
            assert_eq!(package.absent_sections(), [key.as_str()]);
            assert_eq!(
                package.decide(None).state.code(),
                "blocked",
                "missing-{key}"
            );
            decided += 1;
        } else {
            let error = imported.unwrap_err().to_string();
            assert!(error.contains(&format!("$.{key}: is missing")), "{error}");
        }
    }
    assert_eq!(decided, 10);
}
