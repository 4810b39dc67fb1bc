//! Build tasks. `cargo xtask dist [OUT]` packages the browser app for the relay:
//!
//! 1. builds `app`, `speech-worker`, `key-worker` and `export-worker` for
//!    `wasm32-unknown-unknown` (SIMD on, see `.cargo/config.toml`) with the `wasm-release`
//!    profile;
//! 2. runs `wasm-bindgen --target web` on each (the CLI must match the `wasm-bindgen` in
//!    Cargo.lock);
//! 3. runs `wasm-opt` (`-Oz` for the app and the export worker, `-O3` for the speech and key
//!    workers) when binaryen's `wasm-opt` is on `PATH` (use binaryen from npm: Debian's version
//!    108 breaks wasm-bindgen output);
//! 4. copies the fonts that PDF exports embed (DejaVu Sans and DejaVu Sans Bold, from Debian's
//!    `fonts-dejavu-core`; `ZV_FONT_DIR` overrides where they are read from);
//! 5. names every asset by its content hash (`assets/NAME-HASH.EXT`), fills the names into
//!    `index.html` and the boot scripts, and writes `.br` and `.gz` next to each file;
//! 6. writes the service worker (`sw.js`, from `app/sw.js`) with the files it keeps for use
//!    without a connection (see `offline.rs`).
//!
//! The output directory is replaced atomically: it is written beside the target and renamed.
//!
//! `cargo xtask weights` fetches, checks and converts the speech model (see `weights.rs`).

mod offline;
mod weights;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail, ensure};
use sha2::{Digest, Sha256};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dist") => {
            let root = workspace_root()?;
            let out = args
                .get(1)
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("dist"));
            dist(&root, &out)
        }
        Some("weights") => weights::weights(&workspace_root()?).map(|_| ()),
        _ => bail!("usage: cargo xtask dist [OUT_DIR] | cargo xtask weights"),
    }
}

fn workspace_root() -> anyhow::Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map(Path::to_owned)
        .context("xtask must live one level below the workspace root")
}

fn run(cmd: &mut Command) -> anyhow::Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start {shown}"))?;
    ensure!(status.success(), "{shown} failed with {status}");
    Ok(())
}

fn dist(root: &Path, out: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    run(Command::new(&cargo).current_dir(root).args([
        "build",
        "-p",
        "app",
        "-p",
        "speech-worker",
        "-p",
        "key-worker",
        "-p",
        "export-worker",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let built = target.join("wasm32-unknown-unknown/wasm-release");
    let bindgen_dir = target.join("wasm-bindgen");
    if bindgen_dir.exists() {
        std::fs::remove_dir_all(&bindgen_dir)?;
    }
    // The app is size-bound (it is the first download); the speech worker is speed-bound.
    let app = bindgen(
        &built.join("zorgvuldig-app.wasm"),
        &bindgen_dir,
        "app",
        "-Oz",
    )?;
    let speech = bindgen(
        &built.join("speech_worker.wasm"),
        &bindgen_dir,
        "speech",
        "-O3",
    )?;
    // Argon2id is speed-bound too: the worker waits on it while unlocking.
    let key = bindgen(&built.join("key_worker.wasm"), &bindgen_dir, "key", "-O3")?;
    // The export writers are fetched on the first export: small, like the app.
    let export = bindgen(
        &built.join("export_worker.wasm"),
        &bindgen_dir,
        "export",
        "-Oz",
    )?;

    let staging = out.with_extension("tmp");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)?;
    }
    std::fs::create_dir_all(staging.join("assets"))?;
    let app_wasm = publish(&staging, "app", "wasm", &std::fs::read(&app.wasm)?)?;
    let app_js = publish(&staging, "app", "js", &std::fs::read(&app.js)?)?;
    let speech_wasm = publish(&staging, "speech", "wasm", &std::fs::read(&speech.wasm)?)?;
    let speech_js = publish(&staging, "speech", "js", &std::fs::read(&speech.js)?)?;
    let key_wasm = publish(&staging, "key", "wasm", &std::fs::read(&key.wasm)?)?;
    let key_js = publish(&staging, "key", "js", &std::fs::read(&key.js)?)?;
    let export_wasm = publish(&staging, "export", "wasm", &std::fs::read(&export.wasm)?)?;
    let export_js = publish(&staging, "export", "js", &std::fs::read(&export.js)?)?;
    let font_dir = std::env::var_os("ZV_FONT_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(FONT_DIR));
    let font = |file: &str| {
        let path = font_dir.join(file);
        std::fs::read(&path).with_context(|| {
            format!(
                "cannot read {} (PDF exports embed it): install fonts-dejavu-core \
                 (scripts/setup.sh ensure_fonts) or set ZV_FONT_DIR",
                path.display()
            )
        })
    };
    let font_regular = publish(&staging, "DejaVuSans", "ttf", &font("DejaVuSans.ttf")?)?;
    let font_bold = publish(
        &staging,
        "DejaVuSans-Bold",
        "ttf",
        &font("DejaVuSans-Bold.ttf")?,
    )?;
    let style = publish(
        &staging,
        "style",
        "css",
        &std::fs::read(root.join("app/style.css"))?,
    )?;
    let icon = publish(
        &staging,
        "icon",
        "svg",
        &std::fs::read(root.join("app/icon.svg"))?,
    )?;
    let png = |name: &str| -> anyhow::Result<String> {
        let file = format!("app/{name}.png");
        let bytes = std::fs::read(root.join(&file)).with_context(|| format!("reading {file}"))?;
        publish(&staging, name, "png", &bytes)
    };
    let icon_192 = png("icon-192")?;
    let icon_512 = png("icon-512")?;
    let icon_maskable = png("icon-maskable-512")?;
    let fill = |template: &str| {
        template
            .replace("{{app_js}}", &app_js)
            .replace("{{app_wasm}}", &app_wasm)
            .replace("{{speech_js}}", &speech_js)
            .replace("{{speech_wasm}}", &speech_wasm)
            .replace("{{key_js}}", &key_js)
            .replace("{{key_wasm}}", &key_wasm)
            .replace("{{export_js}}", &export_js)
            .replace("{{export_wasm}}", &export_wasm)
            .replace("{{style}}", &style)
            .replace("{{icon}}", &icon)
            .replace("{{icon_192}}", &icon_192)
            .replace("{{icon_512}}", &icon_512)
            .replace("{{icon_maskable}}", &icon_maskable)
            .replace("{{font_regular}}", &font_regular)
            .replace("{{font_bold}}", &font_bold)
    };
    let read = |name: &str| std::fs::read_to_string(root.join("app").join(name));
    let boot = publish(&staging, "boot", "js", fill(&read("boot.js")?).as_bytes())?;
    let speech_boot = publish(
        &staging,
        "speech-boot",
        "js",
        fill(&read("speech-boot.js")?).as_bytes(),
    )?;
    let key_boot = publish(
        &staging,
        "key-boot",
        "js",
        fill(&read("key-boot.js")?).as_bytes(),
    )?;
    let export_boot = publish(
        &staging,
        "export-boot",
        "js",
        fill(&read("export-boot.js")?).as_bytes(),
    )?;
    let manifest = publish(
        &staging,
        "manifest",
        "webmanifest",
        fill(&read("manifest.webmanifest")?).as_bytes(),
    )?;
    let capture = publish(
        &staging,
        "capture",
        "js",
        read("capture-worklet.js")?.as_bytes(),
    )?;
    let index = fill(&read("index.html")?)
        .replace("{{boot}}", &boot)
        .replace("{{speech_boot}}", &speech_boot)
        .replace("{{key_boot}}", &key_boot)
        .replace("{{export_boot}}", &export_boot)
        .replace("{{capture}}", &capture)
        .replace("{{manifest}}", &manifest);
    ensure!(
        !index.contains("{{"),
        "index.html has an unfilled placeholder"
    );
    write_with_variants(&staging.join("index.html"), index.as_bytes())?;
    let shell = offline::shell(&staging)?;
    let worker = offline::service_worker(&read("sw.js")?, &shell)?;
    ensure!(!worker.contains("{{"), "sw.js has an unfilled placeholder");
    write_with_variants(&staging.join("sw.js"), worker.as_bytes())?;

    if out.exists() {
        std::fs::remove_dir_all(out)?;
    }
    std::fs::rename(&staging, out)?;
    for (name, url, raw) in [
        ("app", &app_wasm, app.raw_size),
        ("speech", &speech_wasm, speech.raw_size),
        ("key", &key_wasm, key.raw_size),
        ("export", &export_wasm, export.raw_size),
    ] {
        let path = out.join(url.trim_start_matches('/'));
        println!(
            "dist: {name} wasm {} bytes before wasm-opt, {} after, {} gzip, {} brotli",
            raw,
            std::fs::metadata(&path)?.len(),
            std::fs::metadata(sibling(&path, "gz"))?.len(),
            std::fs::metadata(sibling(&path, "br"))?.len(),
        );
    }
    for (name, url) in [("font", &font_regular), ("bold font", &font_bold)] {
        let path = out.join(url.trim_start_matches('/'));
        println!(
            "dist: PDF {name} {} bytes, {} brotli (fetched on the first PDF export)",
            std::fs::metadata(&path)?.len(),
            std::fs::metadata(sibling(&path, "br"))?.len(),
        );
    }
    println!(
        "dist: {} in {:.1}s",
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Where Debian's `fonts-dejavu-core` puts DejaVu Sans.
const FONT_DIR: &str = "/usr/share/fonts/truetype/dejavu";

/// A module after `wasm-bindgen` (and `wasm-opt` when available).
struct Bound {
    wasm: PathBuf,
    js: PathBuf,
    raw_size: u64,
}

/// Runs `wasm-bindgen --target web` on `wasm` as `name`, then `wasm-opt` at `level` when
/// binaryen is on `PATH`.
fn bindgen(wasm: &Path, dir: &Path, name: &str, level: &str) -> anyhow::Result<Bound> {
    let out_dir = dir.join(name);
    run(Command::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            name,
            "--out-dir",
        ])
        .arg(&out_dir)
        .arg(wasm))?;
    ensure!(
        !out_dir.join("snippets").exists(),
        "wasm-bindgen emitted JS snippets for {name}; the packager does not hash those yet"
    );
    let bg = out_dir.join(format!("{name}_bg.wasm"));
    let raw_size = std::fs::metadata(&bg)?.len();
    if which("wasm-opt") {
        let optimised = out_dir.join(format!("{name}_opt.wasm"));
        run(Command::new("wasm-opt")
            .args([
                level,
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "--enable-simd",
            ])
            .arg(&bg)
            .arg("-o")
            .arg(&optimised))?;
        std::fs::rename(&optimised, &bg)?;
    } else {
        eprintln!("note: wasm-opt not on PATH; {name} is served without it (larger download)");
    }
    Ok(Bound {
        wasm: bg,
        js: out_dir.join(format!("{name}.js")),
        raw_size,
    })
}

/// Writes `assets/STEM-HASH.EXT` with its compressed variants; returns its URL path.
fn publish(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> anyhow::Result<String> {
    let hash = &hex::encode(Sha256::digest(bytes))[..16];
    let name = format!("assets/{stem}-{hash}.{ext}");
    write_with_variants(&dir.join(&name), bytes)?;
    Ok(format!("/{name}"))
}

fn write_with_variants(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes)?;
    std::fs::write(sibling(path, "gz"), gz.finish()?)?;
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params)?;
    std::fs::write(sibling(path, "br"), br)?;
    Ok(())
}

fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

fn which(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
