//! Importing a Whisper model an organisation brings: a CTranslate2 directory (`model.bin`,
//! `config.json`, `vocabulary.json` or `vocabulary.txt`, as faster-whisper uses) or a Hugging
//! Face directory (`*.safetensors`, `config.json`, `generation_config.json`, `tokenizer.json` or
//! `vocab.json` + `added_tokens.json`). Any size — tiny to large-v3-turbo, 80 or 128 mel bins —
//! becomes one sealed model file through [`crate::convert`].

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::WhisperConfig;
use crate::convert::{Extras, Precision, convert};
use crate::ct2::Ct2Model;
use crate::error::{ModelError, Result};
use crate::hf::HfWhisper;
use crate::source::WhisperSource;

/// The layout of a model directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// CTranslate2 (`model.bin`).
    CTranslate2,
    /// Hugging Face safetensors.
    Safetensors,
}

/// A converted model.
#[derive(Debug)]
pub struct Imported {
    /// The sealed model file.
    pub sealed: Vec<u8>,
    /// Where it came from.
    pub format: SourceFormat,
    /// Its dimensions.
    pub config: WhisperConfig,
}

/// Timestamp tokens of every multilingual Whisper vocabulary (`<|0.00|>` … `<|30.00|>`).
const TIMESTAMPS: usize = 1501;

fn fail(message: impl Into<String>) -> ModelError {
    ModelError::Import(message.into())
}

fn read(dir: &Path, name: &str) -> Result<Vec<u8>> {
    std::fs::read(dir.join(name)).map_err(|e| fail(format!("{name}: {e}")))
}

fn read_json<T: for<'de> Deserialize<'de>>(dir: &Path, name: &str) -> Result<T> {
    serde_json::from_slice(&read(dir, name)?).map_err(|e| fail(format!("{name}: {e}")))
}

/// The files of `dir` that make up its weights, sorted by name (the source of a model).
pub fn weight_files(dir: &Path) -> Result<(SourceFormat, Vec<String>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| fail(format!("{}: {e}", dir.display())))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    if names.iter().any(|n| n == "model.bin") {
        return Ok((SourceFormat::CTranslate2, vec!["model.bin".into()]));
    }
    let shards: Vec<String> = names
        .into_iter()
        .filter(|n| n.ends_with(".safetensors"))
        .collect();
    if shards.is_empty() {
        return Err(fail(format!(
            "{} holds neither model.bin nor *.safetensors",
            dir.display()
        )));
    }
    Ok((SourceFormat::Safetensors, shards))
}

/// Converts the model in `dir`.
pub fn import_dir(dir: &Path, precision: Precision) -> Result<Imported> {
    let (format, files) = weight_files(dir)?;
    let (sealed, config) = match format {
        SourceFormat::CTranslate2 => {
            let bytes = read(dir, "model.bin")?;
            let model = Ct2Model::parse(&bytes)?;
            let extras = ct2_extras(dir, vocab_size(&model)?)?;
            finish(&model, &extras, precision)?
        }
        SourceFormat::Safetensors => {
            let shards = files
                .iter()
                .map(|f| read(dir, f))
                .collect::<Result<Vec<_>>>()?;
            let config_json = String::from_utf8(read(dir, "config.json")?)
                .map_err(|_| fail("config.json is not UTF-8"))?;
            let model = HfWhisper::new(shards, &config_json)?;
            let extras = hf_extras(dir, vocab_size(&model)?)?;
            finish(&model, &extras, precision)?
        }
    };
    Ok(Imported {
        sealed,
        format,
        config,
    })
}

fn vocab_size(model: &impl WhisperSource) -> Result<usize> {
    model
        .dims("decoder/embeddings/weight")?
        .first()
        .copied()
        .ok_or_else(|| fail("the token embedding has no rows"))
}

fn finish(
    model: &impl WhisperSource,
    extras: &Extras,
    precision: Precision,
) -> Result<(Vec<u8>, WhisperConfig)> {
    if !extras.vocabulary.lines().any(|t| t == "<|nl|>") {
        return Err(fail(
            "the vocabulary has no <|nl|>: an English-only model cannot transcribe Dutch",
        ));
    }
    let sealed = convert(model, extras, precision)?;
    // Loaded once by the engine's own loader: a shape the engine cannot use is found here, not
    // in a worker's browser.
    let loaded = crate::whisper::SpeechModel::load(&sealed, crate::whisper::Compute::Quantized)?;
    let config = crate::backend::Backend::config(&loaded).clone();
    Ok((sealed, config))
}

#[derive(Deserialize)]
struct Ct2Config {
    suppress_ids: Vec<u32>,
    suppress_ids_begin: Vec<u32>,
}

fn ct2_extras(dir: &Path, vocab_size: usize) -> Result<Extras> {
    let config: Ct2Config = read_json(dir, "config.json")?;
    let tokens: Vec<String> = if dir.join("vocabulary.json").exists() {
        read_json(dir, "vocabulary.json")?
    } else {
        String::from_utf8(read(dir, "vocabulary.txt")?)
            .map_err(|_| fail("vocabulary.txt is not UTF-8"))?
            .lines()
            .map(str::to_owned)
            .collect()
    };
    Ok(Extras {
        vocabulary: lines(tokens, vocab_size)?,
        suppress_ids: config.suppress_ids,
        suppress_ids_begin: config.suppress_ids_begin,
    })
}

#[derive(Deserialize, Default)]
struct HfGeneration {
    #[serde(default)]
    suppress_tokens: Option<Vec<u32>>,
    #[serde(default)]
    begin_suppress_tokens: Option<Vec<u32>>,
}

#[derive(Deserialize)]
struct HfTokenizer {
    model: HfTokenizerModel,
    #[serde(default)]
    added_tokens: Vec<HfAdded>,
}

#[derive(Deserialize)]
struct HfTokenizerModel {
    vocab: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
struct HfAdded {
    id: u32,
    content: String,
}

fn hf_extras(dir: &Path, vocab_size: usize) -> Result<Extras> {
    // The generation settings hold the suppressed tokens; older models keep them in config.json.
    let generation: HfGeneration = if dir.join("generation_config.json").exists() {
        read_json(dir, "generation_config.json")?
    } else {
        HfGeneration::default()
    };
    let config: HfGeneration = read_json(dir, "config.json")?;
    let suppress_ids = generation
        .suppress_tokens
        .or(config.suppress_tokens)
        .ok_or_else(|| fail("no suppress_tokens in generation_config.json or config.json"))?;
    let suppress_ids_begin = generation
        .begin_suppress_tokens
        .or(config.begin_suppress_tokens)
        .unwrap_or_default();
    let mut by_id: BTreeMap<u32, String> = BTreeMap::new();
    if dir.join("tokenizer.json").exists() {
        let tokenizer: HfTokenizer = read_json(dir, "tokenizer.json")?;
        by_id.extend(tokenizer.model.vocab.into_iter().map(|(t, id)| (id, t)));
        by_id.extend(
            tokenizer
                .added_tokens
                .into_iter()
                .map(|a| (a.id, a.content)),
        );
    } else {
        let vocab: BTreeMap<String, u32> = read_json(dir, "vocab.json")?;
        by_id.extend(vocab.into_iter().map(|(t, id)| (id, t)));
        if dir.join("added_tokens.json").exists() {
            let added: BTreeMap<String, u32> = read_json(dir, "added_tokens.json")?;
            by_id.extend(added.into_iter().map(|(t, id)| (id, t)));
        }
    }
    // A text id the tokenizer does not name (Whisper's 50256) stays empty, as in CTranslate2's
    // vocabulary; a missing special token is an error.
    let eot = by_id
        .iter()
        .find(|(_, t)| *t == "<|endoftext|>")
        .map(|(id, _)| *id)
        .ok_or_else(|| fail("the tokenizer has no <|endoftext|>"))?;
    let mut tokens = Vec::with_capacity(vocab_size);
    for (id, token) in by_id {
        while (tokens.len() as u32) < id.min(eot) {
            tokens.push(String::new());
        }
        if id as usize != tokens.len() {
            return Err(fail(format!("the tokenizer has no token {}", tokens.len())));
        }
        tokens.push(token);
    }
    Ok(Extras {
        vocabulary: lines(tokens, vocab_size)?,
        suppress_ids,
        suppress_ids_begin,
    })
}

/// The vocabulary one token per line; older tokenizers leave out the timestamp tokens at the
/// end, which are then written out.
fn lines(mut tokens: Vec<String>, vocab_size: usize) -> Result<String> {
    if tokens.len() + TIMESTAMPS == vocab_size && !tokens.iter().any(|t| t == "<|0.00|>") {
        tokens.extend((0..TIMESTAMPS).map(|i| format!("<|{}.{:02}|>", i / 50, i % 50 * 2)));
    }
    if tokens.len() != vocab_size {
        return Err(fail(format!(
            "the vocabulary has {} tokens, the embedding {vocab_size}",
            tokens.len()
        )));
    }
    if let Some(bad) = tokens.iter().find(|t| t.contains('\n')) {
        return Err(fail(format!("vocabulary token {bad:?} cannot be stored")));
    }
    Ok(tokens.join("\n"))
}
