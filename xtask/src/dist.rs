//! The files of a release build and what each is for: the page's first load, a part loaded on demand,
//! the install icons, the link preview, the static host's configuration, or a precompressed copy.
//! The service worker (offline.rs), the headers file (headers.rs), the precompression (compress.rs)
//! and the size check (size.rs) all sort the build's files by this one list.

use crate::page::{MANIFEST, PREVIEW_IMAGE, SERVICE_WORKER};
use crate::shell;
use crate::split::LAZY_PREFIX;
use std::path::Path;

/// The static-host headers file (Netlify, Cloudflare Pages), written by headers.rs.
pub const HEADERS_FILE: &str = "_headers";
/// The endings of the precompressed copies beside each text and Wasm file (compress.rs).
pub const PRECOMPRESSED: [&str; 2] = [".br", ".gz"];
/// The endings of the files precompressed: text and Wasm.
pub const COMPRESSIBLE: [&str; 8] = [
    ".html",
    ".js",
    ".css",
    ".svg",
    ".json",
    ".webmanifest",
    ".wasm",
    ".txt",
];
/// The icons the manifest offers for installing the app (copied from public/ by Trunk).
pub const INSTALL_ICONS: [&str; 2] = ["icon-192.png", "icon-512.png"];

/// What a file of the build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Fetched by the page on its first load (the page, its scripts, the main Wasm, the stylesheet, the
    /// favicon, the manifest, the service worker).
    FirstLoad,
    /// A deferred part (`lazy-*`), fetched when a visitor reaches or opens it.
    OnDemand,
    /// An install icon of the manifest, fetched when the app is installed.
    Install,
    /// The link preview's image, fetched by the services that unfurl a shared link.
    Preview,
    /// The static host's configuration, never served.
    HostConfig,
    /// A `.br` or `.gz` copy of another file, served in its place to clients that accept it.
    Precompressed,
}

impl Role {
    /// The role of the file called `name` (a path relative to the build's root).
    pub fn of(name: &str) -> Role {
        if PRECOMPRESSED.iter().any(|end| name.ends_with(end)) {
            Role::Precompressed
        } else if name == HEADERS_FILE {
            Role::HostConfig
        } else if name == PREVIEW_IMAGE {
            Role::Preview
        } else if INSTALL_ICONS.contains(&name) {
            Role::Install
        } else if name.starts_with(LAZY_PREFIX) {
            Role::OnDemand
        } else {
            Role::FirstLoad
        }
    }

    /// Whether the page's service worker keeps the file for offline use: everything the page or its
    /// installed app fetches, not what only other services or the host read.
    pub fn kept_offline(self) -> bool {
        matches!(self, Role::FirstLoad | Role::OnDemand | Role::Install)
    }
}

/// Whether the file called `name` may be cached for a year: its name changes whenever its bytes do.
/// Trunk and the split name every file they make after its hash; the rest keep fixed names: the page,
/// the service worker, the headers file and what Trunk copied from public/ as it is.
pub fn is_immutable(name: &str) -> bool {
    let fixed = ["index.html", SERVICE_WORKER, HEADERS_FILE, MANIFEST];
    !fixed.contains(&name) && !shell::root().join("public").join(name).is_file()
}

/// Whether the file called `name` gets precompressed copies.
pub fn is_compressible(name: &str) -> bool {
    COMPRESSIBLE.iter().any(|end| name.ends_with(end))
}

/// The files under `dir`, as paths relative to it with `/` between folders, sorted.
pub fn files(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    collect(dir, "", &mut found)?;
    found.sort();
    Ok(found)
}

fn collect(dir: &Path, prefix: &str, found: &mut Vec<String>) -> Result<(), String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        let kind = entry
            .file_type()
            .map_err(|e| format!("cannot read {name}: {e}"))?;
        if kind.is_dir() {
            // Trunk stages the build in dist/.stage; a finished build has no hidden folders.
            if !name.starts_with('.') {
                collect(&entry.path(), &format!("{name}/"), found)?;
            }
        } else if kind.is_file() {
            found.push(name);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_one_role() {
        assert_eq!(Role::of("index.html"), Role::FirstLoad);
        assert_eq!(Role::of("sw.js"), Role::FirstLoad);
        assert_eq!(Role::of("manifest.webmanifest"), Role::FirstLoad);
        assert_eq!(
            Role::of("lazy-split_chain-0123456789abcdef.wasm"),
            Role::OnDemand
        );
        assert_eq!(
            Role::of("lazy-split_chain-0123456789abcdef.wasm.br"),
            Role::Precompressed
        );
        assert_eq!(Role::of("index.html.gz"), Role::Precompressed);
        assert_eq!(Role::of("icon-512.png"), Role::Install);
        assert_eq!(Role::of("preview.png"), Role::Preview);
        assert_eq!(Role::of("_headers"), Role::HostConfig);
        assert!(Role::of("icon-192.png").kept_offline());
        assert!(!Role::of("preview.png").kept_offline());
        assert!(!Role::of("_headers").kept_offline());
    }

    #[test]
    fn hashed_names_are_immutable_and_fixed_ones_are_not() {
        assert!(is_immutable("closeout-app-1f2e3d4c5b6a7988_bg.wasm"));
        assert!(is_immutable("favicon-3a9c.svg"));
        for fixed in [
            "index.html",
            "sw.js",
            "_headers",
            "manifest.webmanifest",
            "favicon.svg",
            "preview.png",
            "icon-192.png",
        ] {
            assert!(!is_immutable(fixed), "{fixed}");
        }
    }
}
