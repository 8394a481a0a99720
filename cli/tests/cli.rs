//! The `closeout` binary as a user runs it: outputs, files, exit codes, and no panic on any input.

// A test fails by panicking: the workspace's no-unwrap rules are for the binary, not its tests.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn closeout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_closeout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("closeout-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../core/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn run_writes_the_files_and_they_verify_and_decide_the_same() {
    for (scenario, state) in [
        ("ready", "ready_for_release"),
        ("accepted-risk", "ready_with_accepted_risk"),
        ("blocked", "blocked"),
    ] {
        let out = scratch(scenario);
        let run = closeout(&["run", "--scenario", scenario, "--out", s(&out)]);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        assert!(
            stdout(&run).contains(&format!("\"state\": \"{state}\"")),
            "{}",
            stdout(&run)
        );
        let verify = closeout(&["verify", s(&out.join("evidence-chain.json"))]);
        assert_eq!(verify.status.code(), Some(0), "{}", stdout(&verify));
        assert!(stdout(&verify).starts_with("intact: evidence chain of"));
        let decide = closeout(&["decide", s(&out.join("trial-package.json"))]);
        assert_eq!(decide.status.code(), Some(0), "{}", stderr(&decide));
        assert!(stdout(&decide).contains(&format!("\"state\": \"{state}\"")));
        let zip = out.join("closeout-artifact-bundle.zip");
        if scenario == "blocked" {
            assert!(!zip.exists(), "no bundle after a denied review");
            assert!(stdout(&run).contains("\"status\": \"blocked\""));
        } else {
            assert_eq!(closeout(&["verify", s(&zip)]).status.code(), Some(0));
        }
    }
}

#[test]
fn tampering_exits_1_and_names_the_entry() {
    let out = scratch("tamper");
    closeout(&["run", "--scenario", "accepted-risk", "--out", s(&out)]);
    let chain = std::fs::read_to_string(out.join("evidence-chain.json")).unwrap();
    let edited = chain.replacen(
        "\"decision_state\": \"approved\"",
        "\"decision_state\": \"denied\"",
        1,
    );
    assert_ne!(chain, edited);
    std::fs::write(out.join("edited.json"), edited).unwrap();
    let verify = closeout(&["verify", s(&out.join("edited.json"))]);
    assert_eq!(verify.status.code(), Some(1));
    assert!(
        stdout(&verify).contains("tampered: entry")
            && stdout(&verify).contains("retention_decision"),
        "{}",
        stdout(&verify)
    );
    let mut zip = std::fs::read(out.join("closeout-artifact-bundle.zip")).unwrap();
    zip[100] ^= 0xff;
    std::fs::write(out.join("flipped.zip"), zip).unwrap();
    let verify = closeout(&["verify", s(&out.join("flipped.zip"))]);
    assert!(
        matches!(verify.status.code(), Some(1 | 2)),
        "{}",
        stdout(&verify)
    );
}

/// A chain file cut after its first `keep` entries, with `entry_count` and `head_digest` mended the way
/// `verify_chain` checks them, so that it verifies: the cut of issue 14. Returns the text and its head.
fn cut_chain(chain: &str, keep: usize) -> (String, String) {
    let mut chain: serde_json::Value = serde_json::from_str(chain).unwrap();
    let entries = chain["entries"].as_array_mut().unwrap();
    entries.truncate(keep);
    let head = entries[keep - 1]["entry_digest"]
        .as_str()
        .unwrap()
        .to_string();
    chain["entry_count"] = keep.into();
    chain["head_digest"] = head.clone().into();
    (serde_json::to_string_pretty(&chain).unwrap(), head)
}

#[test]
fn a_chain_cut_short_is_intact_but_warns_that_it_has_no_final_decision() {
    let out = scratch("cut");
    let run = closeout(&["run", "--scenario", "ready", "--out", s(&out)]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let full = out.join("evidence-chain.json");
    let text = std::fs::read_to_string(&full).unwrap();
    let chain: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (entries, head) = (
        chain["entries"].as_array().unwrap().len(),
        chain["head_digest"].as_str().unwrap().to_string(),
    );
    assert!(entries > 15);
    // A chain that ends with its final decision prints exactly what it always has.
    let verify = closeout(&["verify", s(&full)]);
    assert_eq!(verify.status.code(), Some(0));
    assert_eq!(
        stdout(&verify),
        format!("intact: evidence chain of {entries} entries, head {head}\n")
    );
    let (cut, cut_head) = cut_chain(&text, 15);
    std::fs::write(out.join("cut.json"), cut).unwrap();
    let verify = closeout(&["verify", s(&out.join("cut.json"))]);
    assert_eq!(
        verify.status.code(),
        Some(0),
        "it is intact: {}",
        stdout(&verify)
    );
    let printed = stdout(&verify);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0],
        format!("intact: evidence chain of 15 entries, head {cut_head}")
    );
    assert_eq!(lines.len(), 2, "{printed}");
    assert!(
        lines[1].starts_with("warning: ") && lines[1].contains("no final decision"),
        "{printed}"
    );
    assert!(
        lines[1].contains("A chain can't show it was cut short")
            && lines[1].contains(
                "compare its head with the one the auditor's report printed, or verify with --head"
            ),
        "{printed}"
    );
}

#[test]
fn verify_head_pins_the_head_a_chain_must_have() {
    let out = scratch("head");
    closeout(&["run", "--scenario", "ready", "--out", s(&out)]);
    let full = out.join("evidence-chain.json");
    let text = std::fs::read_to_string(&full).unwrap();
    let chain: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = chain["entries"].as_array().unwrap().len();
    let head = chain["head_digest"].as_str().unwrap().to_string();
    let (cut, cut_head) = cut_chain(&text, 15);
    let cut_path = out.join("cut.json");
    std::fs::write(&cut_path, cut).unwrap();

    let same = closeout(&["verify", s(&full), "--head", &head]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
    assert_eq!(
        stdout(&same),
        format!("intact: evidence chain of {entries} entries, head {head}, the expected head\n")
    );
    let pinned_cut = closeout(&["verify", s(&cut_path), "--head", &cut_head]);
    assert_eq!(pinned_cut.status.code(), Some(0), "{}", stdout(&pinned_cut));
    assert!(!stdout(&pinned_cut).contains("warning"));

    let differs = closeout(&["verify", s(&cut_path), "--head", &head]);
    assert_eq!(differs.status.code(), Some(1), "{}", stderr(&differs));
    let message = stdout(&differs);
    assert!(message.contains("head differs"), "{message}");
    assert!(
        message.contains(&format!("{}…", &head[..12]))
            && message.contains(&format!("{}…", &cut_head[..12])),
        "both heads, shortened: {message}"
    );
    assert!(message.contains("15 entries"), "{message}");
    assert!(!message.contains(&head), "shortened: {message}");

    for malformed in [
        "abc".to_string(),
        head.to_uppercase(),
        head[..63].to_string(),
        format!("{}g", &head[..63]),
    ] {
        let output = closeout(&["verify", s(&full), "--head", &malformed]);
        assert_eq!(output.status.code(), Some(2), "{malformed}");
        let err = stderr(&output);
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(
            err.contains("--head") && err.contains("64 lowercase hex digits"),
            "{err}"
        );
    }

    let zip = out.join("closeout-artifact-bundle.zip");
    let output = closeout(&["verify", s(&zip), "--head", &head]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("a bundle does not carry the chain's head; verify the evidence chain file"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn decide_reads_the_sample_with_and_without_now() {
    let sample = fixture("sample-evidence-package.json");
    let decide = closeout(&["decide", &sample]);
    assert_eq!(decide.status.code(), Some(0));
    let text = stdout(&decide);
    for key in [
        "\"state\"",
        "\"blocking\"",
        "\"warnings\"",
        "\"stated_state\"",
        "\"evaluated_at\": \"2026-05-31T08:30:00+00:00\"",
    ] {
        assert!(text.contains(key), "{key} in {text}");
    }
    let later = closeout(&["decide", &sample, "--now", "2026-06-08T12:00:00Z"]);
    assert!(stdout(&later).contains("accepted_risk_expired"));
    let bad_now = closeout(&["decide", &sample, "--now", "tomorrow"]);
    assert_eq!(bad_now.status.code(), Some(2));
    assert!(stderr(&bad_now).contains("--now"));
}

#[test]
fn digest_matches_cpython() {
    // sha256 of json.dumps(json.load(f), sort_keys=True), computed with CPython.
    for (name, expected) in [
        (
            "canonical-vectors.json",
            "b6a8f3b27764432956edaac07fbd3a50db41d84d62d79717e2500f6d7ef87b03",
        ),
        (
            "sample-evidence-package.json",
            "c8d6cae4e47de298b685b59a8c771411da0d7cce138bfb6aeaf4c9580ecb4d1b",
        ),
    ] {
        let digest = closeout(&["digest", &fixture(name)]);
        assert_eq!(digest.status.code(), Some(0));
        assert_eq!(stdout(&digest).trim(), expected, "{name}");
    }
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_problem() {
    let dir = scratch("bad");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.json",
            br#"{"schema_version": "cavra.final_closeout_trial.v1", "generated_at": "#.to_vec(),
            "ends where a value was expected",
        ),
        ("bom.json", b"\xEF\xBB\xBF{}".to_vec(), "byte-order mark"),
        ("nan.json", b"[NaN]".to_vec(), "NaN"),
        (
            "deep.json",
            "[".repeat(100_000).into_bytes(),
            "nesting deeper",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        for command in ["decide", "digest", "verify"] {
            let output = closeout(&[command, s(&path)]);
            assert_eq!(
                output.status.code(),
                Some(2),
                "{command} {name}: {}",
                stderr(&output)
            );
            let err = stderr(&output);
            assert_eq!(err.trim_end().lines().count(), 1, "{command} {name}: {err}");
            assert!(err.contains(expected), "{command} {name}: {err}");
        }
    }
    let wrong_type = dir.join("wrong-type.json");
    std::fs::write(
        &wrong_type,
        br#"{"schema_version": "cavra.final_closeout_trial.v1", "generated_at": 5}"#,
    )
    .unwrap();
    let output = closeout(&["decide", s(&wrong_type)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("$.generated_at: must be a string, found an integer"),
        "{}",
        stderr(&output)
    );
    let secret = std::fs::read_to_string(fixture("sample-evidence-package.json"))
        .unwrap()
        .replace(
            "Synthetic retention approval for final closeout trial walkthrough.",
            "xoxb-1234567890-abcdefghijkl",
        );
    std::fs::write(dir.join("secret.json"), secret).unwrap();
    let output = closeout(&["decide", s(&dir.join("secret.json"))]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("$.retention_review.notes") && !stderr(&output).contains("xoxb-"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn never_panics_whatever_the_bytes() {
    let dir = scratch("noise");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let sample = std::fs::read(fixture("sample-evidence-package.json")).unwrap();
    for case in 0..60 {
        let mut bytes = if case % 2 == 0 {
            sample.clone()
        } else {
            Vec::new()
        };
        for _ in 0..(case * 7 + 3) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let byte = (seed >> 24) as u8;
            if bytes.is_empty() || case % 2 == 1 {
                bytes.push(byte);
            } else {
                let at = (seed as usize) % bytes.len();
                bytes[at] = byte;
            }
        }
        let path = dir.join(format!("noise-{case}.bin"));
        std::fs::write(&path, &bytes).unwrap();
        for command in ["decide", "digest", "verify"] {
            let code = closeout(&[command, s(&path)]).status.code();
            assert!(
                matches!(code, Some(0..=2)),
                "{command} on noise-{case} exited {code:?}"
            );
        }
    }
}

/// The sample with `section` removed, written to a file of its own.
fn sample_without(section: &str) -> PathBuf {
    let sample = std::fs::read_to_string(fixture("sample-evidence-package.json")).unwrap();
    let at = sample.find(&format!("\n  \"{section}\": {{")).unwrap() + 1;
    let end = at + sample[at..].find("\n  }").unwrap() + "\n  }".len();
    // The section and the comma after it (or, for the last, the one before it).
    let edited = if sample[end..].starts_with(',') {
        format!("{}{}", &sample[..at], &sample[end + 2..])
    } else {
        format!(
            "{}{}",
            sample[..at - 1].trim_end_matches(','),
            &sample[end..]
        )
    };
    let path = scratch(&format!("without-{section}")).join("package.json");
    std::fs::write(&path, edited).unwrap();
    path
}

#[test]
fn decide_of_a_package_missing_a_step_section_blocks_and_names_it() {
    let path = sample_without("retry_worker_run");
    let decide = closeout(&["decide", s(&path)]);
    // Exit 0, as for any decision, blocked or not; 2 is for a refused file.
    assert_eq!(decide.status.code(), Some(0), "{}", stderr(&decide));
    let out = stdout(&decide);
    assert!(out.contains("\"state\": \"blocked\""), "{out}");
    assert!(out.contains("\"retry_worker_missing\""), "{out}");
    assert!(
        out.contains("\"absent_sections\": [\n    \"retry_worker_run\"\n  ]"),
        "{out}"
    );
    assert!(
        stderr(&decide).contains("absent sections (read as not run): retry_worker_run"),
        "{}",
        stderr(&decide)
    );
    // A complete package says nothing of absent sections.
    let complete = closeout(&["decide", &fixture("sample-evidence-package.json")]);
    assert!(!stdout(&complete).contains("absent_sections"));
    assert_eq!(stderr(&complete), "");
    // The last section too: without its release decision, the sample's warnings are undocumented.
    let decide = closeout(&["decide", s(&sample_without("release_decision"))]);
    assert_eq!(decide.status.code(), Some(0), "{}", stderr(&decide));
    assert!(stdout(&decide).contains("\"undocumented_risk\""));
    assert!(stderr(&decide).contains("(read as not run): release_decision"));
}

#[test]
fn decide_still_refuses_a_package_without_its_scenario() {
    let decide = closeout(&["decide", s(&sample_without("scenario"))]);
    assert_eq!(decide.status.code(), Some(2));
    assert!(
        stderr(&decide).contains("$.scenario: is missing"),
        "{}",
        stderr(&decide)
    );
}
