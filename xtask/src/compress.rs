//! Precompressed copies of a release build's text and Wasm files: `<file>.br` (brotli, quality 11) and
//! `<file>.gz` (gzip -9) beside each, for hosts that serve a file's precompressed copy to clients that
//! accept it (nginx's `gzip_static`, Caddy's `precompressed`), so no server compresses on the fly.
//! The last step of the post-build hook: every file it compresses is final.

use crate::dist;
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::path::Path;

/// Writes the `.br` and `.gz` copy of every text and Wasm file in `staging`; returns how many files.
pub fn run(staging: &Path) -> Result<usize, String> {
    let mut count = 0;
    for name in dist::files(staging)? {
        if !dist::is_compressible(&name) {
            continue;
        }
        let path = staging.join(&name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("compress: cannot read {name}: {e}"))?;
        for (ending, compressed) in [(".br", brotli(&bytes)?), (".gz", gzip(&bytes)?)] {
            std::fs::write(staging.join(format!("{name}{ending}")), compressed)
                .map_err(|e| format!("compress: cannot write {name}{ending}: {e}"))?;
        }
        count += 1;
    }
    println!("compress: .br and .gz beside {count} text and Wasm files");
    Ok(count)
}

/// Brotli at its best quality and largest window: xtask runs once per build, time does not matter.
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .map_err(|e| format!("compress: brotli failed: {e}"))?;
    Ok(out)
}

/// Gzip at level 9, as the size check measures.
pub fn gzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder
        .write_all(bytes)
        .and_then(|()| encoder.finish())
        .map_err(|e| format!("compress: gzip failed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn each_text_and_wasm_file_gets_copies_that_decompress_to_it() {
        let dir = std::env::temp_dir().join(format!("closeout-compress-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let text = "let a = 1;\n".repeat(200);
        std::fs::write(dir.join("app.js"), &text).expect("write");
        std::fs::write(dir.join("app_bg.wasm"), b"\0asm\x01\0\0\0").expect("write");
        std::fs::write(dir.join("preview.png"), b"png").expect("write");
        std::fs::write(dir.join("_headers"), b"/*").expect("write");
        let count = run(&dir).expect("compressed");
        let read = |name: &str| std::fs::read(dir.join(name));
        let (br, gz) = (
            read("app.js.br").expect("br"),
            read("app.js.gz").expect("gz"),
        );
        let wasm = read("app_bg.wasm.br").is_ok() && read("app_bg.wasm.gz").is_ok();
        let skipped = read("preview.png.br").is_err() && read("_headers.gz").is_err();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(count, 2);
        assert!(wasm && skipped);
        let mut unbrotli = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut unbrotli).expect("brotli decodes");
        let mut ungzip = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut ungzip)
            .expect("gzip decodes");
        assert_eq!(unbrotli, text.as_bytes());
        assert_eq!(ungzip, text);
        assert!(br.len() < text.len() / 10 && gz.len() < text.len() / 10);
    }
}
