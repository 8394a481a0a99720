//! Where and how a release build is published: the path it is served under (`--base-path`), who may
//! frame it (`--frame-ancestors`) and the address link previews point at (`--site-url`).
//!
//! `cargo xtask build` reads these from its arguments and hands them to Trunk: the base path as Trunk's
//! `--public-url` (Trunk links every file under it and tells the post-build hook in `TRUNK_PUBLIC_URL`),
//! the other two in environment variables the hook, Trunk's child, inherits.

use crate::shell;
use std::path::PathBuf;

/// The environment variable that carries `--frame-ancestors` to the post-build hook.
const FRAME_ANCESTORS_ENV: &str = "CLOSEOUT_FRAME_ANCESTORS";
/// The environment variable that carries `--site-url` to the post-build hook.
const SITE_URL_ENV: &str = "CLOSEOUT_SITE_URL";
/// Who may put the page in a frame unless `--frame-ancestors` says otherwise: the site itself.
pub const DEFAULT_FRAME_ANCESTORS: &str = "'self'";

/// The usage line of `cargo xtask build`.
pub const BUILD_USAGE: &str = "usage: cargo xtask build [--base-path /path/] [--frame-ancestors \"'self' https://docs.example.com\"] [--site-url https://host/path/] [--dist DIR]";

/// How one release build is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    /// The path the site is served under, with a slash at each end (`/` at the root of a host).
    pub base_path: String,
    /// The `frame-ancestors` sources of the Content-Security-Policy header.
    pub frame_ancestors: String,
    /// The absolute address of the site (ending in the base path), when known; link previews need an
    /// absolute image URL, so without it they point at the base path only.
    pub site_url: Option<String>,
}

impl Default for Site {
    fn default() -> Self {
        Site {
            base_path: "/".to_string(),
            frame_ancestors: DEFAULT_FRAME_ANCESTORS.to_string(),
            site_url: None,
        }
    }
}

/// What `cargo xtask build` was asked for: the site and where to put it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BuildRequest {
    pub site: Site,
    /// Trunk's output directory (dist/ unless `--dist` says otherwise).
    pub dist: Option<PathBuf>,
}

impl BuildRequest {
    /// Reads `cargo xtask build`'s arguments.
    pub fn parse(args: &[String]) -> Result<BuildRequest, String> {
        let mut request = BuildRequest::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value\n{BUILD_USAGE}"))
            };
            match flag.as_str() {
                "--base-path" => request.site.base_path = base_path(&value()?)?,
                "--frame-ancestors" => request.site.frame_ancestors = frame_ancestors(&value()?)?,
                "--site-url" => request.site.site_url = Some(value()?),
                "--dist" => request.dist = Some(PathBuf::from(value()?)),
                other => return Err(format!("unknown option `{other}`\n{BUILD_USAGE}")),
            }
        }
        if let Some(url) = request.site.site_url.take() {
            request.site.site_url = Some(site_url(&url, &request.site.base_path)?);
        }
        Ok(request)
    }
}

impl Site {
    /// The site as the post-build hook sees it: Trunk's public URL and what `cargo xtask build` put in
    /// the environment (the defaults when the build was started by `trunk build` itself).
    pub fn from_hook(public_url: &str) -> Result<Site, String> {
        let base_path = base_path(public_url)
            .map_err(|e| format!("post-build: Trunk's public URL `{public_url}`: {e}"))?;
        let frame_ancestors = match std::env::var(FRAME_ANCESTORS_ENV) {
            Ok(value) => frame_ancestors(&value)?,
            Err(_) => DEFAULT_FRAME_ANCESTORS.to_string(),
        };
        let site_url = match std::env::var(SITE_URL_ENV) {
            Ok(value) if !value.is_empty() => Some(site_url(&value, &base_path)?),
            _ => None,
        };
        Ok(Site {
            base_path,
            frame_ancestors,
            site_url,
        })
    }

    /// The address of `file` of the build for a page elsewhere (a link preview): absolute when the
    /// site's URL is known, else from the root of the host.
    pub fn address_of(&self, file: &str) -> String {
        match &self.site_url {
            Some(url) => format!("{url}{file}"),
            None => format!("{}{file}", self.base_path),
        }
    }
}

/// `/path/` from `/path/` or `/path`: a path of plain segments (letters, digits, `-`, `_`, `.`, `~`),
/// since it is written into JavaScript, HTML, the headers file and URLs as it is.
pub fn base_path(raw: &str) -> Result<String, String> {
    let mut path = raw.to_string();
    if !path.ends_with('/') {
        path.push('/');
    }
    let plain_segments = path.trim_matches('/').split('/').all(|segment| {
        !segment.is_empty()
            && segment != "."
            && segment != ".."
            && segment
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.~".contains(c))
    });
    if path == "/" || (path.starts_with('/') && plain_segments) {
        Ok(path)
    } else {
        Err(format!(
            "the base path `{raw}` is not a path like /closeout-sandbox/: it must start with /, and each part between slashes may hold only letters, digits, -, _, . and ~"
        ))
    }
}

/// The `frame-ancestors` sources: `'self'`, `'none'` or origins like `https://docs.example.com`,
/// separated by spaces (nothing that could end the directive or the header).
pub fn frame_ancestors(raw: &str) -> Result<String, String> {
    let sources: Vec<&str> = raw.split_whitespace().collect();
    let valid = |source: &&str| {
        matches!(*source, "'self'" | "'none'")
            || ((source.starts_with("https://") || source.starts_with("http://"))
                && source
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:/*".contains(c)))
    };
    if sources.is_empty() {
        return Err("--frame-ancestors is empty: give 'self', 'none' or origins such as https://docs.example.com".into());
    }
    match sources.iter().find(|s| !valid(s)) {
        None if sources.len() > 1 && sources.contains(&"'none'") => {
            Err("--frame-ancestors: 'none' cannot be combined with other sources".into())
        }
        None => Ok(sources.join(" ")),
        Some(bad) => Err(format!(
            "--frame-ancestors: `{bad}` is not a source a frame may come from; give 'self', 'none' or origins such as https://docs.example.com"
        )),
    }
}

/// The site's URL, ending in a slash, checked to be http(s) and to end in the base path.
fn site_url(raw: &str, base_path: &str) -> Result<String, String> {
    let mut url = raw.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("--site-url `{raw}` does not start with https:// or http://"))?;
    let path = rest.find('/').map_or("/", |slash| &rest[slash..]);
    let plain = url
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.~:/".contains(c));
    if !plain {
        return Err(format!(
            "--site-url `{raw}` holds characters other than letters, digits and -_.~:/"
        ));
    }
    if path != base_path {
        return Err(format!(
            "--site-url `{raw}` ends in the path {path}, but the build is for the base path {base_path}: give --base-path {path} or a URL ending in {base_path}"
        ));
    }
    Ok(url)
}

/// The release web build: `trunk build --release --features split` with the site's public URL, into
/// `dist` (dist/ by default). Counts as one passed check.
pub fn release_build(request: &BuildRequest) -> Result<u64, String> {
    let site = &request.site;
    shell::step(&format!(
        "release build (trunk build --release --features split --public-url {})",
        site.base_path
    ));
    let mut trunk = shell::command("trunk");
    trunk
        .args([
            "build",
            "--release",
            "--features",
            "split",
            "--offline",
            "--skip-version-check",
            "--public-url",
            &site.base_path,
        ])
        .env(FRAME_ANCESTORS_ENV, &site.frame_ancestors)
        .env(SITE_URL_ENV, site.site_url.as_deref().unwrap_or(""));
    if let Some(dist) = &request.dist {
        trunk.arg("--dist").arg(dist);
    }
    shell::run_inherited(&mut trunk, "trunk build --release")?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn base_paths_get_their_slashes_and_plain_segments_only() {
        assert_eq!(base_path("/"), Ok("/".to_string()));
        assert_eq!(base_path("/repo"), Ok("/repo/".to_string()));
        assert_eq!(base_path("/a/b-c_d.e~/"), Ok("/a/b-c_d.e~/".to_string()));
        for bad in [
            "repo/", "//", "/a//b/", "/../", "/a b/", "/a\"/", "/a'/", "/<x>/", "/a;b/",
        ] {
            assert!(base_path(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn frame_ancestors_take_self_none_or_origins() {
        assert_eq!(
            frame_ancestors(" 'self'  https://docs.example.com "),
            Ok("'self' https://docs.example.com".into())
        );
        assert_eq!(frame_ancestors("'none'"), Ok("'none'".into()));
        for bad in [
            "",
            "self",
            "'self'; script-src *",
            "https://a.example,b",
            "'none' 'self'",
            "https://a\nX: y",
        ] {
            assert!(frame_ancestors(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn the_build_request_reads_every_flag_and_checks_the_site_url_against_the_path() {
        let request = BuildRequest::parse(&args(&[
            "--base-path",
            "/repo",
            "--site-url",
            "https://owner.github.io/repo",
            "--frame-ancestors",
            "'self' https://docs.example.com",
            "--dist",
            "out",
        ]))
        .expect("parsed");
        assert_eq!(request.site.base_path, "/repo/");
        assert_eq!(
            request.site.site_url.as_deref(),
            Some("https://owner.github.io/repo/")
        );
        assert_eq!(
            request.site.address_of("preview.png"),
            "https://owner.github.io/repo/preview.png"
        );
        assert_eq!(request.dist, Some(PathBuf::from("out")));
        assert_eq!(BuildRequest::parse(&[]), Ok(BuildRequest::default()));
        assert_eq!(Site::default().address_of("preview.png"), "/preview.png");
        let other_path = BuildRequest::parse(&args(&[
            "--base-path",
            "/repo/",
            "--site-url",
            "https://h.example/other/",
        ]));
        assert!(other_path.is_err_and(|e| e.contains("ends in the path /other/")));
        assert!(BuildRequest::parse(&args(&["--site-url", "ftp://h.example/"])).is_err());
        assert!(BuildRequest::parse(&args(&["--site-url", "https://h.example/\"x"])).is_err());
        assert!(BuildRequest::parse(&args(&["--base-path"])).is_err());
        assert!(BuildRequest::parse(&args(&["--bogus"])).is_err());
    }
}
