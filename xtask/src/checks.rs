//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use crate::setup::{self, CHROMEDRIVER};
use crate::shell::{self, Counts};
use crate::size;
use std::process::Command;

/// Runs every check and prints one closing line `N passed, N failed`.
pub fn run_all() -> Result<(), String> {
    setup::test_tools()?;
    let mut total = Counts::default();
    let result = run_checks(&mut total);
    if let Err(message) = &result {
        eprintln!("\nFAILED: {message}");
        total.failed = total.failed.max(1);
    }
    println!("\n{} passed, {} failed", total.passed, total.failed);
    result.map_err(|_| "a check failed (see FAILED above)".to_string())
}

fn cargo(args: &[&str]) -> Command {
    let mut command = shell::command("cargo");
    command.args(args);
    command
}

/// `cargo clippy <scope> --quiet -- -D warnings`, counted as one check.
fn clippy(total: &mut Counts, what: &str, scope: &[&str]) -> Result<(), String> {
    let mut command = cargo(&["clippy"]);
    command
        .args(scope)
        .args(["--quiet", "--", "-D", "warnings"]);
    check(total, what, command, false)
}

fn run_checks(total: &mut Counts) -> Result<(), String> {
    // A check that is no test runner (fmt, clippy, build) counts as one test.
    check(
        total,
        "format (cargo fmt --check)",
        cargo(&["fmt", "--all", "--check"]),
        false,
    )?;
    clippy(total, "clippy, native", &["--workspace", "--all-targets"])?;
    clippy(
        total,
        "clippy, wasm32",
        &[
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "closeout-core",
            "-p",
            "closeout-app",
            "-p",
            "closeout-floor",
            "--all-targets",
        ],
    )?;
    // Release Wasm builds compile the split points of app/src/lazy.rs, which debug builds leave out.
    clippy(
        total,
        "clippy, wasm32 release (the split build)",
        &[
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "closeout-app",
        ],
    )?;
    shell::step("core is pure (no browser crate, no clock, no I/O)");
    core_is_pure()?;
    total.passed += 1;
    check(
        total,
        "native tests",
        cargo(&["test", "--workspace", "--quiet"]),
        true,
    )?;
    let mut wasm_tests = cargo(&[
        "test",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "closeout-app",
        "--test",
        "web",
    ]);
    wasm_tests
        .env("CHROMEDRIVER", CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
        .current_dir(shell::root().join("app"));
    check(
        total,
        "wasm-bindgen-test in headless Chromium",
        wasm_tests,
        true,
    )?;
    total.passed += release_build()?;
    shell::step("first-load size (gzip -9 of every file of the build, exact bytes)");
    size::check(
        &shell::root().join("dist"),
        size::FIRST_LOAD_CEILING,
        "CI ceiling",
    )?;
    total.passed += 1;
    let mut playwright = shell::command("node");
    playwright
        .current_dir(shell::root().join("tests"))
        .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .env("CLOSEOUT_DIST", shell::root().join("dist"))
        .env(
            "CLOSEOUT_HOSTILE_DIR",
            shell::target_dir().join("tmp/hostile-cases"),
        )
        .env("CHROMIUM", setup::CHROMIUM);
    check(
        total,
        "Playwright tests against the release build",
        playwright,
        true,
    )
}

/// Crates `closeout-core` must never depend on, on either target.
const BROWSER_CRATES: [&str; 6] = [
    "leptos",
    "web-sys",
    "wasm-bindgen",
    "js-sys",
    "gloo",
    "getrandom",
];
/// What core's source must never call: the clock, the file system, the network, the console.
const IMPURE_CALLS: [&str; 7] = [
    "Utc::now",
    "SystemTime::now",
    "Instant::now",
    "std::fs",
    "std::net",
    "println!",
    "web_sys",
];

/// Fails when `closeout-core` depends on a browser crate or its source reads the clock or does I/O.
fn core_is_pure() -> Result<(), String> {
    for target in ["x86_64-unknown-linux-gnu", "wasm32-unknown-unknown"] {
        let tree = shell::output_of(
            "cargo",
            &[
                "tree",
                "-p",
                "closeout-core",
                "-e",
                "normal",
                "--prefix",
                "none",
                "--target",
                target,
            ],
        )
        .ok_or("cargo tree -p closeout-core failed")?;
        for line in tree.lines() {
            let name = line.split_whitespace().next().unwrap_or_default();
            if BROWSER_CRATES
                .iter()
                .any(|c| name == *c || name.starts_with(&format!("{c}-")))
            {
                return Err(format!(
                    "closeout-core depends on {name} for {target}; core must stay pure"
                ));
            }
        }
    }
    let src = shell::root().join("core/src");
    let mut stack = vec![src];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                // Tests may print; the code above them may not.
                let code = text.split("#[cfg(test)]").next().unwrap_or_default();
                if let Some(call) = IMPURE_CALLS.iter().find(|call| code.contains(*call)) {
                    return Err(format!(
                        "{} uses {call}; core must stay pure",
                        path.display()
                    ));
                }
            }
        }
    }
    println!("closeout-core depends on no browser crate and reads no clock, file or network");
    Ok(())
}

/// The release web build into dist/; counts as one passed check.
pub fn release_build() -> Result<u64, String> {
    shell::step("release build (trunk build --release --offline)");
    shell::run_inherited(
        shell::command("trunk").args(["build", "--release", "--offline", "--skip-version-check"]),
        "trunk build --release",
    )?;
    Ok(1)
}

fn check(
    total: &mut Counts,
    what: &str,
    mut command: Command,
    is_test_run: bool,
) -> Result<(), String> {
    shell::step(what);
    let (counts, success) = shell::run_counted(&mut command, what)?;
    if is_test_run {
        total.passed += counts.passed;
        total.failed += counts.failed;
        if success && counts.passed == 0 {
            return Err(format!("{what}: the runner passed but ran no test"));
        }
    } else if success {
        total.passed += 1;
    }
    if success {
        Ok(())
    } else {
        Err(format!("{what} failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_tree_keeps_core_pure() {
        assert_eq!(core_is_pure(), Ok(()));
    }
}
