//! Splitting the release Wasm into the first-load module and the parts loaded on demand.
//!
//! Trunk 0.21 cannot split a Wasm module (trunk-rs/trunk#1022), so this runs as Trunk's post-build hook,
//! after Trunk has built and bound the whole app:
//! 1. `wasm_split_cli_support` splits cargo's Wasm (linked with `--emit-relocs`, see
//!    `.cargo/config.toml`) at the `wasm_split` functions of `app/src/lazy.rs`: a main module, one
//!    module per deferred part, shared chunks, and a JS module that fetches them;
//! 2. wasm-bindgen binds the main module under the name Trunk gave the app (`--keep-lld-exports`: the
//!    parts import the function table from it);
//! 3. the main module replaces Trunk's, the parts are named `lazy-<part>-<hash>.wasm` so a new build
//!    never meets an old part in a cache, and `index.html`'s integrity hashes are renewed.

use crate::shell;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::path::{Path, PathBuf};

/// What deferred-part files are called in dist/; `cargo xtask size` counts them apart from the first load.
pub const LAZY_PREFIX: &str = "lazy-";

/// Splits the app staged in `staging` (Trunk's staging directory of a release build).
pub fn run(staging: &Path) -> Result<(), String> {
    let stem = app_stem(staging)?;
    let input = cargo_wasm()?;
    let work = shell::target_dir().join("wasm-split");
    let _ = std::fs::remove_dir_all(&work);
    let parts_dir = work.join("parts");
    let main_wasm = work.join("main.wasm");
    let bound = work.join("bound");
    std::fs::create_dir_all(&bound)
        .map_err(|e| format!("split: cannot create {}: {e}", bound.display()))?;
    let input_wasm = std::fs::read(&input)
        .map_err(|e| format!("split: cannot read {}: {e}", input.display()))?;
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
    let mut html = read_text(&index)?;
    for name in [&js_name, &wasm_name] {
        let bytes = std::fs::read(staging.join(name))
            .map_err(|e| format!("split: cannot read {name}: {e}"))?;
        html = renew_integrity(&html, name, &bytes)?;
    }
    std::fs::write(&index, html)
        .map_err(|e| format!("split: cannot write {}: {e}", index.display()))?;
    println!(
        "split: {} deferred module(s) beside the main module {wasm_name}",
        split.split_modules.len()
    );
    Ok(())
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

/// Cargo's release Wasm of the app, before wasm-bindgen.
fn cargo_wasm() -> Result<PathBuf, String> {
    let path = shell::target_dir().join("wasm32-unknown-unknown/release/closeout-app.wasm");
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!("split: cargo's Wasm is not at {}", path.display()))
    }
}

/// `html` with the `integrity` of the tag referring to `/<name>` set to the sha384 of `bytes`.
pub fn renew_integrity(html: &str, name: &str, bytes: &[u8]) -> Result<String, String> {
    let href = format!("href=\"/{name}\"");
    let at = html
        .find(&href)
        .ok_or_else(|| format!("split: index.html does not link {name}"))?;
    let tag_end = at
        + html[at..]
            .find('>')
            .ok_or("split: index.html ends inside a tag")?;
    let key = "integrity=\"sha384-";
    let value_start = html[at..tag_end]
        .find(key)
        .map(|i| at + i + key.len())
        .ok_or_else(|| format!("split: the link to {name} has no sha384 integrity"))?;
    let value_end = value_start
        + html[value_start..]
            .find('"')
            .ok_or("split: unterminated integrity")?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes));
    Ok(format!(
        "{}{digest}{}",
        &html[..value_start],
        &html[value_end..]
    ))
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

    #[test]
    fn renews_only_the_named_files_integrity() {
        let html = r#"<link rel="modulepreload" href="/app-1.js" crossorigin="anonymous" integrity="sha384-OLD"><link rel="preload" href="/app-1_bg.wasm" integrity="sha384-KEEP" as="fetch">"#;
        let renewed = renew_integrity(html, "app-1.js", b"abc").expect("renewed");
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"abc"));
        assert!(renewed.contains(&format!(
            "href=\"/app-1.js\" crossorigin=\"anonymous\" integrity=\"sha384-{expected}\""
        )));
        assert!(renewed.contains("integrity=\"sha384-KEEP\""));
        assert!(renew_integrity(html, "other.js", b"abc").is_err());
        assert!(renew_integrity(r#"<link href="/app-1.js">"#, "app-1.js", b"abc").is_err());
    }
}
