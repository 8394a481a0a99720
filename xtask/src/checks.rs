//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure.

use crate::setup::{self, CHROMEDRIVER};
use crate::shell::{self, Counts};
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

fn run_checks(total: &mut Counts) -> Result<(), String> {
    // A check that is no test runner (fmt, clippy, build) counts as one test.
    check(
        total,
        "format (cargo fmt --check)",
        cargo(&["fmt", "--all", "--check"]),
        false,
    )?;
    check(
        total,
        "clippy, native",
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]),
        false,
    )?;
    check(
        total,
        "clippy, wasm32",
        cargo(&[
            "clippy",
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "closeout-core",
            "-p",
            "closeout-app",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ]),
        false,
    )?;
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
    let mut playwright = shell::command("node");
    playwright
        .current_dir(shell::root().join("tests"))
        .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .env("CLOSEOUT_DIST", shell::root().join("dist"))
        .env(
            "CLOSEOUT_HOSTILE_DIR",
            shell::root().join("target/tmp/hostile-cases"),
        )
        .env("CHROMIUM", setup::CHROMIUM);
    check(
        total,
        "Playwright tests against the release build",
        playwright,
        true,
    )
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
