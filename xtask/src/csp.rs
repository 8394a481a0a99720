//! The Content-Security-Policy of the release build, added by Trunk's post-build hook
//! (`cargo xtask post-build`).
//!
//! The policy allows nothing beyond the page's own origin and WebAssembly compilation
//! (`'wasm-unsafe-eval'`): no `'unsafe-eval'`, no `'unsafe-inline'`. Trunk inlines a small module script
//! that loads the app, so that one script is allowed by its sha256, computed here from the built page.

use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The directives besides `script-src`.
const POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

/// Adds the policy to the staged `index.html` of a release build and returns it (the static-host
/// headers carry it too, headers.rs). The deferred parts' loader is a module of the page's own origin
/// (`'self'`) and fetches its Wasm from there (`connect-src 'self'`); so does the service worker
/// (`script-src 'self'` allows it, `connect-src 'self'` its fetches).
pub fn run(staging: &Path) -> Result<String, String> {
    let path = staging.join("index.html");
    let html = std::fs::read_to_string(&path)
        .map_err(|e| format!("csp: cannot read {}: {e}", path.display()))?;
    let with_policy = add_policy(&html)?;
    std::fs::write(&path, with_policy)
        .map_err(|e| format!("csp: cannot write {}: {e}", path.display()))?;
    Ok(policy(&html))
}

/// The policy for `html`: [`POLICY`] and a `script-src` allowing each of its inline scripts by hash.
pub fn policy(html: &str) -> String {
    let hashes: Vec<String> = inline_scripts(html)
        .iter()
        .map(|script| {
            format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()))
            )
        })
        .collect();
    format!(
        "{POLICY}; script-src 'self' 'wasm-unsafe-eval' {}",
        hashes.join(" ")
    )
    .trim_end()
    .to_string()
}

/// The page with a `<meta http-equiv="Content-Security-Policy">` first in `<head>`.
pub fn add_policy(html: &str) -> Result<String, String> {
    let meta = format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\" />",
        policy(html)
    );
    let head = html.find("<head>").ok_or("csp: the page has no <head>")? + "<head>".len();
    Ok(format!("{}\n    {meta}{}", &html[..head], &html[head..]))
}

/// The content of every `<script>` without a `src`.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + open_end];
        let body_start = start + open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close..];
    }
    scripts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_each_inline_script_and_puts_the_policy_first() {
        let html = "<html><head><meta charset=\"utf-8\"><script type=\"module\">init()</script><script src=\"/a.js\"></script></head></html>";
        let out = add_policy(html).unwrap();
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(out.contains(&format!("'sha256-{expected}'")));
        assert!(out.find("Content-Security-Policy").unwrap() < out.find("<meta charset").unwrap());
        assert!(!out.contains("unsafe-inline") && !out.contains("'unsafe-eval'"));
        assert_eq!(inline_scripts(html), vec!["init()"]);
    }
}
