//! Installing what the build and the tests need on a fresh machine; a second run installs nothing.

use crate::shell::{self, output_of};
use std::path::Path;

/// The trunk release the web build uses (0.22 needs a newer rustc than these machines have).
pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml and `[tools]` in Trunk.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// Everything `trunk build` needs: the wasm32 target, trunk, the matching wasm-bindgen CLI, and the
/// crates (fetched once, so trunk can build `--offline`).
pub fn web_tools() -> Result<(), String> {
    wasm_target()?;
    cargo_tool(
        "trunk",
        &["--version"],
        &format!("trunk {TRUNK_VERSION}"),
        &["trunk", "--version", TRUNK_VERSION, "--locked"],
    )?;
    // The CLI's own lock file does not resolve here, so it is installed without `--locked`.
    cargo_tool(
        "wasm-bindgen",
        &["--version"],
        &format!("wasm-bindgen {WASM_BINDGEN_VERSION}"),
        &["wasm-bindgen-cli", "--version", WASM_BINDGEN_VERSION],
    )?;
    shell::step("fetching crates (no-op when they are already here)");
    shell::run_inherited(
        shell::command("cargo").args(["fetch", "--quiet"]),
        "cargo fetch",
    )
}

/// Everything the tests need beyond the web build: Chromium and its driver, and Playwright's core.
pub fn test_tools() -> Result<(), String> {
    web_tools()?;
    chromium()?;
    playwright_core()
}

fn wasm_target() -> Result<(), String> {
    let installed = output_of("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    shell::step(&format!("installing the Rust target {WASM_TARGET}"));
    shell::run_inherited(
        shell::command("rustup").args(["target", "add", WASM_TARGET]),
        "rustup target add",
    )
}

/// Installs a cargo tool unless `program args` already prints `expected` (the exact version).
fn cargo_tool(
    program: &str,
    args: &[&str],
    expected: &str,
    install: &[&str],
) -> Result<(), String> {
    let found = output_of(program, args).unwrap_or_default();
    if found.lines().next().map(str::trim) == Some(expected) {
        return Ok(());
    }
    let was = if found.is_empty() {
        "not installed".to_string()
    } else {
        format!("found `{found}`")
    };
    shell::step(&format!(
        "installing {expected} ({was}; one time, takes a few minutes)"
    ));
    shell::run_inherited(
        shell::command("cargo").arg("install").args(install),
        &format!("cargo install {}", install[0]),
    )?;
    let now = output_of(program, args).unwrap_or_default();
    if now.lines().next().map(str::trim) == Some(expected) {
        Ok(())
    } else {
        Err(format!(
            "`{program}` on PATH is `{now}` after installing, not `{expected}`: put ~/.cargo/bin first on PATH"
        ))
    }
}

fn is_root() -> bool {
    output_of("id", &["-u"]).as_deref() == Some("0")
}

fn chromium() -> Result<(), String> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install(
        "Debian's Chromium and ChromeDriver (the browser tests)",
        &["chromium", "chromium-driver"],
    )
}

/// Installs Debian packages when root; otherwise says the exact command to run.
fn apt_install(what: &str, packages: &[&str]) -> Result<(), String> {
    let list = packages.join(" ");
    if !is_root() {
        return Err(format!(
            "{what} is missing; run as root:\n    sudo sh -c 'apt-get update && apt-get install -y {list}'"
        ));
    }
    shell::step(&format!("installing {list} from Debian (one time)"));
    shell::run_inherited(shell::command("apt-get").arg("update"), "apt-get update")?;
    shell::run_inherited(
        shell::command("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
        &format!("apt-get install {list}"),
    )
}

fn playwright_core() -> Result<(), String> {
    let tests = shell::root().join("tests");
    if tests
        .join("node_modules/playwright-core/package.json")
        .exists()
    {
        return Ok(());
    }
    if output_of("npm", &["--version"]).is_none() {
        return Err("the Playwright tests need Node.js and npm; install them (Debian: apt-get install -y nodejs npm)".to_string());
    }
    shell::step(
        "installing playwright-core and axe-core from npm into tests/ (no browser is downloaded)",
    );
    shell::run_inherited(
        shell::command("npm")
            .current_dir(&tests)
            .args(["ci", "--no-audit", "--no-fund"]),
        "npm ci in tests/",
    )
}
