//! The service worker of a release build (`sw.js` beside `index.html`): the template `sw.js` beside
//! this file, without its comment lines and indentation (it is part of the first load), given the
//! build's hash and the list of files it keeps, with the integrity of each whose name is fixed (a
//! file named after its bytes needs none). Written after every other change to the staged files except
//! their precompressed copies, so the integrity (the page's among them) is of the bytes served.

use crate::dist::{self, Role};
use crate::page::SERVICE_WORKER;
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::path::Path;

/// The service worker, with `{BUILD}` and `{FILES}` to fill in.
const TEMPLATE: &str = include_str!("sw.js");

/// One file the service worker keeps.
#[derive(Debug, PartialEq, Eq)]
pub struct Kept {
    /// Its path relative to the build's root.
    pub name: String,
    /// `sha384-<base64>` of its bytes, for a file whose name is fixed (dist.rs): a file named after
    /// its bytes is its build's under that name, and its integrity would only weigh on the first load.
    pub integrity: Option<String>,
}

/// Writes `sw.js` into `staging` for the files there; returns the build's hash.
pub fn run(staging: &Path) -> Result<String, String> {
    let mut kept = Vec::new();
    let mut hasher = Sha256::new();
    for name in dist::files(staging)? {
        if name == SERVICE_WORKER || !Role::of(&name).kept_offline() {
            continue;
        }
        let bytes = std::fs::read(staging.join(&name))
            .map_err(|e| format!("offline: cannot read {name}: {e}"))?;
        // Every file's bytes go into the build's hash; only fixed names get their integrity listed.
        let integrity = format!(
            "sha384-{}",
            base64::engine::general_purpose::STANDARD.encode(Sha384::digest(&bytes))
        );
        hasher.update(format!("{name} {integrity}\n"));
        kept.push(Kept {
            integrity: (!dist::is_immutable(&name)).then_some(integrity),
            name,
        });
    }
    if !kept.iter().any(|k| k.name == "index.html") {
        return Err(format!("offline: no index.html in {}", staging.display()));
    }
    let build = hex::encode(&hasher.finalize()[..8]);
    std::fs::write(staging.join(SERVICE_WORKER), service_worker(&build, &kept))
        .map_err(|e| format!("offline: cannot write {SERVICE_WORKER}: {e}"))?;
    println!(
        "offline: {SERVICE_WORKER} keeps build {build}: {} files",
        kept.len()
    );
    Ok(build)
}

/// The service worker's source for `build` (the hash of every kept file's name and bytes, so any
/// change is a new build and a new `sw.js`, which is how a browser learns of it) keeping `kept`.
pub fn service_worker(build: &str, kept: &[Kept]) -> String {
    let files: Vec<serde_json::Value> = kept
        .iter()
        .map(|k| match &k.integrity {
            Some(integrity) => serde_json::json!([k.name, integrity]),
            None => serde_json::json!([k.name]),
        })
        .collect();
    // The names are plain (Trunk's and the split's, and public/'s), but JSON quotes whatever they hold.
    let files = serde_json::to_string(&files).unwrap_or_else(|_| "[]".to_string());
    let code: Vec<&str> = TEMPLATE
        .lines()
        .map(str::trim_start)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect();
    code.join("\n")
        .replace("{BUILD}", build)
        .replace("{FILES}", &files)
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(name: &str, integrity: Option<&str>) -> Kept {
        Kept {
            name: name.into(),
            integrity: integrity.map(String::from),
        }
    }

    #[test]
    fn the_worker_lists_each_file_with_the_integrity_of_fixed_names_and_names_its_build() {
        let files = [
            kept("index.html", Some("sha384-A")),
            kept("app-1a2b.js", None),
        ];
        let worker = service_worker("0123456789abcdef", &files);
        assert!(worker.contains(r#"const BUILD = "0123456789abcdef";"#));
        assert!(worker.contains(r#"const FILES = [["index.html","sha384-A"],["app-1a2b.js"]];"#));
        assert!(!worker.contains("{BUILD}") && !worker.contains("{FILES}"));
        assert!(
            !worker.contains("\n//") && !worker.contains("\n "),
            "no comment lines, no indentation"
        );
        // It fetches nothing but its own scope's files, and never takes over a page that did not
        // start with it.
        assert!(!worker.contains("http://") && !worker.contains("https://"));
        assert!(!worker.contains("skipWaiting") && !worker.contains("clients.claim"));
    }

    #[test]
    fn a_staged_build_gets_a_worker_for_every_file_the_page_fetches_and_a_hash_of_all_their_bytes()
    {
        let dir = std::env::temp_dir().join(format!("closeout-offline-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        for name in [
            "index.html",
            "app-1a2b.js",
            "lazy-split_chain-1a2b.wasm",
            "app-1a2b.js.br",
            "_headers",
            "preview.png",
        ] {
            std::fs::write(dir.join(name), name).expect("write");
        }
        let build = run(&dir).expect("written");
        let worker = std::fs::read_to_string(dir.join(SERVICE_WORKER)).expect("read");
        let again = run(&dir).expect("written again");
        std::fs::write(dir.join("app-1a2b.js"), "changed").expect("write");
        let changed = run(&dir).expect("written after a change");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(build, again, "the worker does not keep itself");
        assert_ne!(
            build, changed,
            "a hashed file's bytes are part of the build's hash"
        );
        assert_eq!(build.len(), 16);
        assert!(worker.contains(r#"["index.html","sha384-"#));
        assert!(
            worker.contains(r#"["app-1a2b.js"]"#)
                && worker.contains(r#"["lazy-split_chain-1a2b.wasm"]"#)
        );
        for name in ["app-1a2b.js.br", "_headers", "preview.png", "\"sw.js\""] {
            assert!(!worker.contains(name), "{name}");
        }
        assert!(run(&std::env::temp_dir().join("closeout-offline-none")).is_err());
    }
}
