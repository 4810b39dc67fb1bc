//! Real recorded Dutch speech: the Dutch voice dub of Fish Fillets NG (Debian
//! `fillets-ng-data-nl`, two actors, ~96 minutes, GPL-2) with its Dutch subtitles
//! (`fillets-ng-data`) as reference text. Fetched with `apt-get download` into
//! `.tools/fillets` on first use; clips are converted with sox.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{Fixture, FixtureError, silence, tools_dir};

fn run(cmd: &mut Command) -> Result<Vec<u8>, FixtureError> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .output()
        .map_err(|e| FixtureError::Tool(format!("{shown}: {e}")))?;
    if !out.status.success() {
        return Err(FixtureError::Tool(format!(
            "{shown}: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(out.stdout)
}

/// The unpacked game data (`…/usr/share/games/fillets-ng`), fetched on first use.
///
/// # Errors
/// [`FixtureError::Tool`] when `apt-get download` or `dpkg-deb` fails.
pub fn root() -> Result<PathBuf, FixtureError> {
    let dir = tools_dir().join("fillets");
    let games = dir.join("usr/share/games/fillets-ng");
    if games.join("sound").is_dir() && games.join("script").is_dir() {
        return Ok(games);
    }
    std::fs::create_dir_all(&dir).map_err(|e| FixtureError::Tool(e.to_string()))?;
    run(Command::new("apt-get")
        .args(["download", "fillets-ng-data-nl", "fillets-ng-data"])
        .current_dir(&dir))?;
    for entry in std::fs::read_dir(&dir).map_err(|e| FixtureError::Tool(e.to_string()))? {
        let deb = entry.map_err(|e| FixtureError::Tool(e.to_string()))?.path();
        if deb.extension().is_some_and(|e| e == "deb") {
            run(Command::new("dpkg-deb").arg("-x").arg(&deb).arg(&dir))?;
            std::fs::remove_file(&deb).map_err(|e| FixtureError::Tool(e.to_string()))?;
        }
    }
    Ok(games)
}

/// Dutch subtitle lines of one level (`dialogs_nl.lua`): clip id → text.
pub fn dialogs(lua: &str) -> HashMap<String, String> {
    let quoted = |line: &str, prefix: &str| {
        let rest = line.trim().strip_prefix(prefix)?;
        let end = rest.rfind("\")")?;
        Some(rest[..end].replace("\\\"", "\"").replace("\\n", " "))
    };
    let mut out = HashMap::new();
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

/// The clip ids of one level's `dialogs_nl.lua`, in script order.
pub fn dialog_order(lua: &str) -> Vec<String> {
    lua.lines()
        .filter_map(|line| line.trim().strip_prefix("dialogId(\""))
        .filter_map(|rest| rest.split('"').next().map(str::to_owned))
        .collect()
}

/// One clip (Ogg Vorbis) as 16 kHz mono samples, converted with sox.
///
/// # Errors
/// [`FixtureError::Tool`] when sox fails, or the audio error.
pub fn clip(path: &Path) -> Result<Vec<f32>, FixtureError> {
    let wav = run(Command::new("sox")
        .arg(path)
        .args(["-t", "wav", "-r", "16000", "-c", "1", "-b", "16", "-"]))?;
    Ok(models::audio::read_wav(&wav)?.samples)
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
}

/// One recording per game level (the first `limit` levels by name): every voiced clip with a
/// Dutch subtitle, in file-name order, 0.6 s apart, like a conversation.
///
/// # Errors
/// When the data cannot be fetched or a clip cannot be converted.
pub fn levels(limit: usize) -> Result<Vec<Fixture>, FixtureError> {
    let games = root()?;
    let mut out = Vec::new();
    for level_dir in list(&games.join("sound"))
        .into_iter()
        .filter(|p| p.join("nl").is_dir())
        .take(limit)
    {
        let level = level_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(lua) = std::fs::read_to_string(games.join(format!("script/{level}/dialogs_nl.lua")))
        else {
            continue;
        };
        let dialogs = dialogs(&lua);
        let (mut samples, mut reference) = (silence(0.5), Vec::new());
        for clip in list(&level_dir.join("nl"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "ogg"))
        {
            let id = clip
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let Some(text) = dialogs.get(&id) else {
                continue;
            };
            samples.extend(self::clip(&clip)?);
            samples.extend(silence(0.6));
            reference.push(text.clone());
        }
        if !reference.is_empty() {
            out.push(Fixture {
                name: format!("fillets/{level}"),
                samples,
                reference: reference.join(" "),
            });
        }
    }
    Ok(out)
}
