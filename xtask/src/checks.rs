//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure; `--quick`: the
//! ones that need no browser and no release build.

use crate::setup::{self, CHROMEDRIVER};
use crate::shell::{self, Counts};
use crate::site::{self, BuildRequest};
use crate::size;
use std::process::Command;

/// Runs every check and prints one closing line `N passed, N failed`.
pub fn run_all() -> Result<(), String> {
    setup::test_tools()?;
    report(|total| {
        static_checks(total)?;
        browser_and_release_checks(total)
    })
}

/// `--quick`: format, clippy (native and wasm32) and the native tests; what CI runs besides these is
/// the browser tests and the release build, which `cargo xtask test` adds.
pub fn run_quick() -> Result<(), String> {
    report(static_checks)
}

/// Runs `checks`, then prints one closing line `N passed, N failed`.
fn report(checks: impl FnOnce(&mut Counts) -> Result<(), String>) -> Result<(), String> {
    let mut total = Counts::default();
    let result = checks(&mut total);
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

/// Format, clippy, core's dependencies and the native tests.
fn static_checks(total: &mut Counts) -> Result<(), String> {
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
    // The `split` feature compiles the split points of app/src/lazy.rs, which other builds leave out.
    clippy(
        total,
        "clippy, wasm32 with the split feature (the release build's code)",
        &[
            "--target",
            "wasm32-unknown-unknown",
            "-p",
            "closeout-app",
            "--features",
            "split",
        ],
    )?;
    // Clippy checked core's code (core/clippy.toml); what it depends on, clippy cannot see.
    shell::step("core depends on no browser crate");
    core_depends_on_no_browser_crate()?;
    total.passed += 1;
    check(
        total,
        "native tests",
        cargo(&["test", "--workspace", "--quiet"]),
        true,
    )
}

/// The path the deploy suites serve their build under (and the default of tests/support/deploy.mjs).
const SUBPATH_BASE: &str = "/closeout-sandbox/";

/// The wasm-bindgen tests in Chromium, the release build, its size, the build for a sub-path and the
/// Playwright suites.
fn browser_and_release_checks(total: &mut Counts) -> Result<(), String> {
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
    total.passed += site::release_build(&BuildRequest::default())?;
    shell::step("first-load size (gzip -9 of every file of the build, exact bytes)");
    size::check(
        &shell::root().join("dist"),
        size::FIRST_LOAD_CEILING,
        "CI ceiling",
    )?;
    total.passed += 1;
    // The deploy suites (tests/deploy-*.test.mjs) serve a build under a sub-path, as a GitHub Pages
    // project site is; the others use dist/, at the root.
    let subpath_dist = shell::target_dir().join("dist-subpath");
    total.passed += site::release_build(&BuildRequest {
        site: site::Site {
            base_path: SUBPATH_BASE.to_string(),
            ..site::Site::default()
        },
        dist: Some(subpath_dist.clone()),
    })?;
    let mut playwright = shell::command("node");
    playwright
        .current_dir(shell::root().join("tests"))
        .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
        .env("CLOSEOUT_DIST", shell::root().join("dist"))
        .env(
            "CLOSEOUT_HOSTILE_DIR",
            shell::target_dir().join("tmp/hostile-cases"),
        )
        .env("CLOSEOUT_SUBPATH_DIST", &subpath_dist)
        .env("CLOSEOUT_BASE_PATH", SUBPATH_BASE)
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
/// Fails when `closeout-core` depends on a browser crate, on either target. (That core reads no clock
/// and does no I/O is clippy's to check: core/clippy.toml.)
fn core_depends_on_no_browser_crate() -> Result<(), String> {
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
    println!("closeout-core depends on no browser crate");
    Ok(())
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
    fn core_depends_on_no_browser_crate_in_this_tree() {
        assert_eq!(core_depends_on_no_browser_crate(), Ok(()));
    }
}
