//! Splitting the release Wasm into the first-load module and the parts loaded on demand.
//!
//! Trunk 0.21 cannot split a Wasm module (trunk-rs/trunk#1022), so this runs as Trunk's post-build hook,
//! after Trunk has built and bound the whole app. Whether to split is read from cargo's Wasm itself: it
//! has split points when the app was built with its `split` feature (`cargo xtask build` does that),
//! and then it is split, whatever Trunk's profile:
//! 1. `wasm_split_cli_support` splits cargo's Wasm (linked with `--emit-relocs`, see
//!    `.cargo/config.toml`) at the `wasm_split` functions of `app/src/lazy.rs`: a main module, one
//!    module per deferred part, shared chunks, and a JS module that fetches them; the parts it made
//!    must be exactly those of `app/src/lazy/parts.rs`;
//! 2. wasm-bindgen binds the main module under the name Trunk gave the app (`--keep-lld-exports`: the
//!    parts import the function table from it);
//! 3. the main module replaces Trunk's, the parts are named `lazy-<part>-<hash>.wasm` so a new build
//!    never meets an old part in a cache, and `index.html`'s integrity hashes are renewed.

use crate::deferred_parts::DEFERRED_PARTS;
use crate::shell;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What deferred-part files are called in dist/; `cargo xtask size` counts them apart from the first load.
pub const LAZY_PREFIX: &str = "lazy-";

/// What Trunk tells its hooks about the build.
pub struct TrunkBuild {
    /// Trunk's staging directory, which becomes dist/.
    pub staging: PathBuf,
    /// Trunk's profile: `release` or `debug`, the directory of cargo's output it built.
    pub profile: String,
    /// The URL the site is served under (`/` unless `--public-url` says otherwise); Trunk links every
    /// file as `<public url><file>`.
    pub public_url: String,
}

/// Splits the app staged by `build` when cargo's Wasm has split points; leaves it as Trunk made it
/// when it has none (a build without the app's `split` feature).
pub fn run(build: &TrunkBuild) -> Result<(), String> {
    let input = cargo_wasm(&build.profile)?;
    let input_wasm = std::fs::read(&input)
        .map_err(|e| format!("split: cannot read {}: {e}", input.display()))?;
    let split_points = split_points(&input_wasm)?;
    if split_points.is_empty() {
        println!(
            "split: {} has no split points (built without the `split` feature); not split",
            input.display()
        );
        return Ok(());
    }
    same_parts("the Wasm's split points", &split_points)?;
    let staging = build.staging.as_path();
    let stem = app_stem(staging)?;
    let work = shell::target_dir().join("wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    let parts_dir = work.join("parts");
    let main_wasm = work.join("main.wasm");
    let bound = work.join("bound");
    std::fs::create_dir_all(&bound)
        .map_err(|e| format!("split: cannot create {}: {e}", bound.display()))?;
    let link_name = format!("./{stem}-lazy.js");
    let main_module = format!("./{stem}.js");
    let split = wasm_split_cli_support::transform({
        let mut options = wasm_split_cli_support::Options::new(&input_wasm);
        options.output_dir = &parts_dir;
        options.main_out_path = &main_wasm;
        options.link_name = &link_name;
        options.main_module = &main_module;
        options
    })
    .map_err(|e| {
        format!(
            "split: wasm-split could not split {}: {e:#}",
            input.display()
        )
    })?;
    let made: BTreeSet<String> = split.prefetch_map.keys().cloned().collect();
    same_parts("the parts wasm-split made", &made)?;

    shell::run_inherited(
        shell::command("wasm-bindgen")
            .args([
                "--target",
                "web",
                "--keep-lld-exports",
                "--no-typescript",
                "--out-name",
                &stem,
                "--out-dir",
            ])
            .arg(&bound)
            .arg(&main_wasm),
        "split: wasm-bindgen on the main module",
    )?;
    let js_name = format!("{stem}.js");
    let wasm_name = format!("{stem}_bg.wasm");
    for name in [&js_name, &wasm_name] {
        copy(&bound.join(name), &staging.join(name))?;
    }

    let mut loader = read_text(&parts_dir.join(&link_name))?;
    for part in &split.split_modules {
        let bytes = std::fs::read(part)
            .map_err(|e| format!("split: cannot read {}: {e}", part.display()))?;
        let file = part
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .ok_or_else(|| format!("split: {} has no file name", part.display()))?;
        let part_stem = file.trim_end_matches(".wasm");
        let hash = hex::encode(&Sha256::digest(&bytes)[..8]);
        let named = format!("{LAZY_PREFIX}{part_stem}-{hash}.wasm");
        let reference = format!("\"./{file}\"");
        if !loader.contains(&reference) {
            return Err(format!("split: the loader does not mention {file}"));
        }
        loader = loader.replace(&reference, &format!("\"./{named}\""));
        std::fs::write(staging.join(&named), &bytes)
            .map_err(|e| format!("split: cannot write {named}: {e}"))?;
    }
    std::fs::write(staging.join(&link_name), loader)
        .map_err(|e| format!("split: cannot write {link_name}: {e}"))?;

    let index = staging.join("index.html");
    let html = read_text(&index)?;
    let mut renewed = Vec::new();
    for name in [&js_name, &wasm_name] {
        let bytes = std::fs::read(staging.join(name))
            .map_err(|e| format!("split: cannot read {name}: {e}"))?;
        renewed.push((format!("{}{name}", build.public_url), bytes));
    }
    let html = renew_integrity(&html, &renewed)?;
    std::fs::write(&index, html)
        .map_err(|e| format!("split: cannot write {}: {e}", index.display()))?;
    println!(
        "split: {} deferred module(s) ({}) beside the main module {wasm_name}",
        split.split_modules.len(),
        made.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    Ok(())
}

/// The deferred parts cargo's Wasm declares: the `<part>` of each `__wasm_split_00<part>00_import_<id>`
/// it imports (the names `wasm_split_helpers` gives the split points).
pub fn split_points(wasm: &[u8]) -> Result<BTreeSet<String>, String> {
    let mut parts = BTreeSet::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| format!("split: cargo's Wasm does not parse: {e}"))?;
        if let wasmparser::Payload::ImportSection(imports) = payload {
            for import in imports.into_imports() {
                let import =
                    import.map_err(|e| format!("split: cargo's Wasm has a bad import: {e}"))?;
                if let Some(part) = split_point_part(import.name) {
                    parts.insert(part.to_string());
                }
            }
        }
    }
    Ok(parts)
}

/// `chain` of `__wasm_split_00chain00_import_<id>`.
fn split_point_part(import: &str) -> Option<&str> {
    let rest = import.strip_prefix("__wasm_split_00")?;
    let (part, _id) = rest.rsplit_once("00_import_")?;
    Some(part)
}

/// An error naming what is missing or extra when `found` is not exactly `app/src/lazy/parts.rs`'s list.
pub fn same_parts(what: &str, found: &BTreeSet<String>) -> Result<(), String> {
    let declared: BTreeSet<String> = DEFERRED_PARTS.iter().map(|p| p.to_string()).collect();
    let missing: Vec<&String> = declared.difference(found).collect();
    let extra: Vec<&String> = found.difference(&declared).collect();
    if missing.is_empty() && extra.is_empty() {
        return Ok(());
    }
    let list = |names: &[&String]| {
        names
            .iter()
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing {}", list(&missing)));
    }
    if !extra.is_empty() {
        problems.push(format!("not declared: {}", list(&extra)));
    }
    Err(format!(
        "split: {what} are not the parts app/src/lazy/parts.rs declares ({})",
        problems.join("; ")
    ))
}

/// The name Trunk gave the app's files: `closeout-app-<hash>` of `closeout-app-<hash>_bg.wasm`.
fn app_stem(staging: &Path) -> Result<String, String> {
    let entries = std::fs::read_dir(staging)
        .map_err(|e| format!("split: cannot read {}: {e}", staging.display()))?;
    let stems: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix("_bg.wasm"))
                .map(String::from)
        })
        .collect();
    match stems.as_slice() {
        [stem] => Ok(stem.clone()),
        [] => Err(format!("split: no *_bg.wasm in {}", staging.display())),
        _ => Err(format!(
            "split: more than one *_bg.wasm in {}",
            staging.display()
        )),
    }
}

/// Cargo's Wasm of the app for Trunk's `profile`, before wasm-bindgen: in the target directory cargo
/// itself reports (`cargo metadata`), so a `CARGO_TARGET_DIR` or a `build.target-dir` is followed.
fn cargo_wasm(profile: &str) -> Result<PathBuf, String> {
    let metadata = shell::output_of_in(
        &shell::root(),
        "cargo",
        &[
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ],
    )
    .ok_or("split: `cargo metadata` failed")?;
    let metadata: serde_json::Value = serde_json::from_str(&metadata)
        .map_err(|e| format!("split: `cargo metadata` printed no JSON: {e}"))?;
    let target_dir = metadata
        .get("target_directory")
        .and_then(serde_json::Value::as_str)
        .ok_or("split: `cargo metadata` names no target_directory")?;
    let path = Path::new(target_dir)
        .join("wasm32-unknown-unknown")
        .join(profile)
        .join("closeout-app.wasm");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("split: cargo's Wasm is not at {}", path.display()))
    }
}

/// `html` with the `integrity` of each `<link>` whose `href` is one of `files`' URLs set to the sha384
/// of that file's bytes. The page is parsed (lol_html, the rewriter Trunk itself uses), so attribute
/// order, quoting and other elements do not matter; every URL must be linked, with a sha384 integrity.
pub fn renew_integrity(html: &str, files: &[(String, Vec<u8>)]) -> Result<String, String> {
    let renewed: RefCell<BTreeSet<String>> = RefCell::new(BTreeSet::new());
    let problems: RefCell<Vec<String>> = RefCell::new(Vec::new());
    let rewritten = lol_html::rewrite_str(
        html,
        lol_html::RewriteStrSettings::new().append_element_content_handler(lol_html::element!(
            "link[href]",
            |link| {
                let Some(href) = link.get_attribute("href") else {
                    return Ok(());
                };
                let Some((url, bytes)) = files.iter().find(|(url, _)| *url == href) else {
                    return Ok(());
                };
                let has_sha384 = link
                    .get_attribute("integrity")
                    .is_some_and(|value| value.starts_with("sha384-"));
                if !has_sha384 {
                    problems
                        .borrow_mut()
                        .push(format!("the link to {url} has no sha384 integrity"));
                    return Ok(());
                }
                let digest =
                    base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
                link.set_attribute("integrity", &format!("sha384-{digest}"))?;
                renewed.borrow_mut().insert(url.clone());
                Ok(())
            }
        )),
    )
    .map_err(|e| format!("split: cannot rewrite index.html: {e}"))?;
    let mut problems = problems.into_inner();
    let renewed = renewed.into_inner();
    for (url, _) in files {
        if !renewed.contains(url) && !problems.iter().any(|p| p.contains(url.as_str())) {
            problems.push(format!("index.html does not link {url}"));
        }
    }
    if problems.is_empty() {
        Ok(rewritten)
    } else {
        Err(format!("split: {}", problems.join("; ")))
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| {
        format!(
            "split: cannot copy {} to {}: {e}",
            from.display(),
            to.display()
        )
    })
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("split: cannot read {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(url: &str) -> Vec<(String, Vec<u8>)> {
        vec![(url.to_string(), b"abc".to_vec())]
    }

    #[test]
    fn renews_only_the_named_files_integrity() {
        let html = r#"<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-OLD"><link rel="preload" href="/app-1_bg.wasm" integrity="sha384-KEEP" as="fetch">"#;
        let renewed = renew_integrity(html, &file("/app-1.js")).expect("renewed");
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"abc"));
        assert!(renewed.contains(&format!(
            "href=\"/app-1.js\" crossorigin=\"anonymous\" integrity=\"sha384-{expected}\""
        )));
        assert!(renewed.contains("integrity=\"sha384-KEEP\""));
        assert!(renew_integrity(html, &file("/other.js")).is_err());
        assert!(renew_integrity(r#"<link href="/app-1.js">"#, &file("/app-1.js")).is_err());
    }

    #[test]
    fn follows_the_public_url_and_any_attribute_order_or_quoting() {
        // Under a sub-path Trunk links `<public url><file>`; attributes may come in any order and quoting.
        let html = "<link integrity='sha384-OLD' rel=modulepreload href='/sandbox/app-1.js'><link href=\"/app-1.js\" integrity=\"sha384-OTHER\">";
        let renewed = renew_integrity(html, &file("/sandbox/app-1.js")).expect("renewed");
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"abc"));
        assert!(renewed.contains(&expected));
        assert!(!renewed.contains("sha384-OLD"));
        assert!(renewed.contains("sha384-OTHER"));
    }

    #[test]
    fn reads_the_part_of_a_split_point_import() {
        assert_eq!(
            split_point_part("__wasm_split_00chain00_import_0123456789abcdef0123456789abcdef"),
            Some("chain")
        );
        assert_eq!(split_point_part("__wbindgen_describe"), None);
        assert_eq!(split_point_part("__wasm_split_load_chain"), None);
    }

    #[test]
    fn the_parts_must_be_exactly_those_declared() {
        let declared: BTreeSet<String> = DEFERRED_PARTS.iter().map(|p| p.to_string()).collect();
        assert_eq!(same_parts("parts", &declared), Ok(()));
        let mut missing = declared.clone();
        missing.remove("files");
        let error = same_parts("parts", &missing).expect_err("one missing");
        assert!(error.contains("missing files"), "{error}");
        let mut extra = declared.clone();
        extra.insert("report".to_string());
        let error = same_parts("parts", &extra).expect_err("one extra");
        assert!(error.contains("not declared: report"), "{error}");
    }

    #[test]
    fn a_wasm_without_split_points_has_none() {
        // The smallest module: the magic number and version 1, no sections.
        let empty = b"\0asm\x01\0\0\0";
        assert_eq!(split_points(empty), Ok(BTreeSet::new()));
        assert!(split_points(b"not wasm").is_err());
    }
}
