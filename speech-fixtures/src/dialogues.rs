//! Dialogues with a reference of who spoke when, for measuring speaker attribution.
//!
//! - [`espeak`]: the spoken lines of the drafting corpus (`casework/eval/`), each speaker read
//!   by another espeak-ng voice, 0.7 s apart.
//! - [`fillets`]: real speech, the two actors of the Dutch Fish Fillets NG dub: the clips of
//!   the two fish (`-v-` the big one, `-m-` the small one) of one level in script order,
//!   0.6 s apart, like a conversation.

use std::path::{Path, PathBuf};

use models::der::Turn;

use crate::{FixtureError, SAMPLE_RATE, silence, speak};

/// A recording and its reference turns.
#[derive(Debug, Clone)]
pub struct Dialogue {
    /// Name.
    pub name: String,
    /// 16 kHz mono samples.
    pub samples: Vec<f32>,
    /// Who spoke when (speakers numbered from 0 in order of appearance).
    pub turns: Vec<Turn>,
    /// The text of each turn, in order.
    pub texts: Vec<String>,
    /// Who each reference speaker is: the espeak-ng voice, or the fish (`v`, `m`).
    pub voices: Vec<String>,
}

/// espeak-ng voices, one per speaker, as different as espeak-ng's Dutch allows.
pub const VOICES: [&str; 4] = ["nl", "nl+f2", "nl+m7", "nl+f4"];

/// Amplitude above which a sample counts as voice when trimming a turn (-40 dBFS).
const VOICED: f32 = 0.01;

fn ms(samples: usize) -> u64 {
    (samples * 1000 / SAMPLE_RATE) as u64
}

/// Builds a dialogue from `(speaker, audio, text)` turns with `gap` seconds between them.
fn assemble(
    name: String,
    parts: Vec<(usize, Vec<f32>, String)>,
    gap: f32,
    voices: Vec<String>,
) -> Dialogue {
    let mut samples = silence(0.5);
    let (mut turns, mut texts) = (Vec::new(), Vec::new());
    for (speaker, audio, text) in parts {
        // The turn is where the voice is: the silence a clip starts or ends with is not speech.
        let loud = |x: &f32| x.abs() > VOICED;
        let first = audio.iter().position(loud).unwrap_or(0);
        let last = audio.iter().rposition(loud).map_or(audio.len(), |p| p + 1);
        let start = samples.len();
        samples.extend(audio);
        turns.push(Turn {
            start_ms: ms(start + first),
            end_ms: ms(start + last),
            speaker,
        });
        texts.push(text);
        samples.extend(silence(gap));
    }
    Dialogue {
        name,
        samples,
        turns,
        texts,
        voices,
    }
}

/// The drafting corpus directory (`casework/eval/`).
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../casework/eval")
}

/// The spoken lines (`X|text`, not `N|` notes) of one case file, with their speaker letters.
pub fn spoken_lines(text: &str) -> Vec<(char, String)> {
    text.lines()
        .filter_map(|line| {
            let (who, said) = line.trim().split_once('|')?;
            let who = who.trim();
            let letter = who.chars().next().filter(|c| c.is_ascii_uppercase())?;
            (who.len() == 1 && letter != 'N').then(|| (letter, said.trim().to_owned()))
        })
        .collect()
}

/// The spoken cases of `split` (`dev` or `test`) with exactly `voices` speakers (2 or more),
/// first `limit` by name, read by espeak-ng with one voice per speaker.
///
/// # Errors
/// When a case cannot be read or espeak-ng fails.
pub fn espeak(split: &str, voices: usize, limit: usize) -> Result<Vec<Dialogue>, FixtureError> {
    let dir = corpus_dir().join(split);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| FixtureError::Tool(format!("{}: {e}", dir.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        if out.len() >= limit {
            break;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| FixtureError::Tool(format!("{}: {e}", path.display())))?;
        if speakers(&spoken_lines(&text)).len() != voices || voices > VOICES.len() {
            continue;
        }
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some((dialogue, _)) = speak_case(format!("espeak{voices}/{name}"), &text)? {
            out.push(dialogue);
        }
    }
    Ok(out)
}

/// The speaker letters of `lines`, in order of appearance.
fn speakers(lines: &[(char, String)]) -> Vec<char> {
    let mut order: Vec<char> = Vec::new();
    for (who, _) in lines {
        if !order.contains(who) {
            order.push(*who);
        }
    }
    order
}

/// The spoken lines of one case file read by espeak-ng, one voice per speaker in order of
/// appearance (up to four voices; further speakers share the fourth), 0.7 s apart, with the
/// speaker letter of each turn; `None` when the case has no spoken lines.
///
/// # Errors
/// When espeak-ng fails.
pub fn speak_case(name: String, text: &str) -> Result<Option<(Dialogue, Vec<char>)>, FixtureError> {
    let lines = spoken_lines(text);
    if lines.is_empty() {
        return Ok(None);
    }
    let order = speakers(&lines);
    let mut parts = Vec::new();
    let mut letters = Vec::new();
    for (who, said) in lines {
        let speaker = order.iter().position(|c| *c == who).unwrap_or(0);
        let voice = VOICES[speaker.min(VOICES.len() - 1)];
        parts.push((speaker, speak(voice, &said)?, said));
        letters.push(who);
    }
    let voices = (0..order.len())
        .map(|i| VOICES[i.min(VOICES.len() - 1)].to_owned())
        .collect();
    Ok(Some((assemble(name, parts, 0.7, voices), letters)))
}

/// Two-speaker dialogues of real speech: one per game level (levels `skip..skip + limit` by
/// name that have clips of both fish), the clips in the order of the level's script.
///
/// # Errors
/// When the data cannot be fetched or a clip cannot be converted.
pub fn fillets(skip: usize, limit: usize) -> Result<Vec<Dialogue>, FixtureError> {
    let games = crate::fillets::root()?;
    let mut levels: Vec<PathBuf> = std::fs::read_dir(games.join("sound"))
        .map_err(|e| FixtureError::Tool(e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("nl").is_dir())
        .collect();
    levels.sort();
    let mut out = Vec::new();
    for level_dir in levels.into_iter().skip(skip) {
        if out.len() >= limit {
            break;
        }
        let level = level_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Ok(lua) = std::fs::read_to_string(games.join(format!("script/{level}/dialogs_nl.lua")))
        else {
            continue;
        };
        let texts = crate::fillets::dialogs(&lua);
        let mut parts = Vec::new();
        let mut order: Vec<char> = Vec::new();
        for id in crate::fillets::dialog_order(&lua) {
            let fish = if id.contains("-v-") {
                'v'
            } else if id.contains("-m-") {
                'm'
            } else {
                continue;
            };
            let clip = level_dir.join("nl").join(format!("{id}.ogg"));
            let (Some(text), true) = (texts.get(&id), clip.is_file()) else {
                continue;
            };
            if !order.contains(&fish) {
                order.push(fish);
            }
            let speaker = order.iter().position(|c| *c == fish).unwrap_or(0);
            parts.push((speaker, crate::fillets::clip(&clip)?, text.clone()));
        }
        if order.len() == 2 && parts.len() >= 4 {
            let voices = order.iter().map(char::to_string).collect();
            out.push(assemble(format!("fillets/{level}"), parts, 0.6, voices));
        }
    }
    Ok(out)
}

/// About `seconds` of one fish's voice (`v` or `m`) from the levels other than `except` (a
/// level's name, as in [`Dialogue::name`] after `fillets/`), clip after clip: what a voice
/// print of that actor is made of without hearing the dialogue it is used on.
///
/// # Errors
/// When the data cannot be fetched or a clip cannot be converted.
pub fn fillets_voice(fish: char, except: &str, seconds: f32) -> Result<Vec<f32>, FixtureError> {
    let games = crate::fillets::root()?;
    let mut levels: Vec<PathBuf> = std::fs::read_dir(games.join("sound"))
        .map_err(|e| FixtureError::Tool(e.to_string()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("nl").is_dir() && !p.ends_with(except))
        .collect();
    levels.sort();
    let wanted = (seconds * SAMPLE_RATE as f32) as usize;
    let mut out = Vec::new();
    let marker = format!("-{fish}-");
    for level in levels {
        let mut clips: Vec<PathBuf> = std::fs::read_dir(level.join("nl"))
            .map_err(|e| FixtureError::Tool(e.to_string()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(&marker))
            })
            .collect();
        clips.sort();
        for clip in clips {
            out.extend(crate::fillets::clip(&clip)?);
            out.extend(silence(0.3));
            if out.len() >= wanted {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// The dialogues a bench asks for on its command line: `--set espeak2|espeak3|fillets` (or
/// `espeak`, two voices), `--split dev|test`, `--skip N` (fillets levels), `--limit N`; with
/// the set's name.
///
/// # Errors
/// A bad argument, or the dialogues cannot be made.
pub fn from_args(default_set: &str) -> Result<(String, Vec<Dialogue>), FixtureError> {
    let set: String = crate::arg("--set")?.unwrap_or_else(|| default_set.into());
    let split: String = crate::arg("--split")?.unwrap_or_else(|| "dev".into());
    let skip: usize = crate::arg("--skip")?.unwrap_or(0);
    let limit: usize = crate::arg("--limit")?.unwrap_or(usize::MAX);
    let dialogues = match set.as_str() {
        "fillets" => fillets(skip, limit)?,
        "espeak3" => espeak(&split, 3, limit)?,
        _ => espeak(&split, 2, limit)?,
    };
    Ok((set, dialogues))
}
