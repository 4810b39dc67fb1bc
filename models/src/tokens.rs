//! Whisper's byte-level vocabulary: token text, special tokens and decoding to UTF-8.

use std::collections::HashMap;

use crate::error::{ModelError, Result};

/// Special token ids looked up by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specials {
    /// `<|endoftext|>`.
    pub eot: u32,
    /// `<|startoftranscript|>`.
    pub sot: u32,
    /// `<|transcribe|>`.
    pub transcribe: u32,
    /// `<|translate|>`.
    pub translate: u32,
    /// `<|notimestamps|>`.
    pub no_timestamps: u32,
    /// `<|nospeech|>` or `<|nocaptions|>`.
    pub no_speech: u32,
    /// `<|startofprev|>`.
    pub start_of_prev: u32,
    /// `<|0.00|>`: timestamps are this id plus the number of 20-ms steps.
    pub timestamp_begin: u32,
}

impl Specials {
    /// Whether `id` is a text token (not special, not a timestamp).
    pub fn is_text(&self, id: u32) -> bool {
        id < self.eot
    }
}

/// The token table.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    tokens: Vec<String>,
    by_text: HashMap<String, u32>,
    byte_of: HashMap<char, u8>,
    /// Text tokens by their bytes, for encoding.
    by_bytes: HashMap<Vec<u8>, u32>,
    specials: Specials,
}

/// GPT-2's byte ↔ printable character table: printable bytes map to themselves, the others to
/// U+0100 onwards.
fn byte_table() -> HashMap<char, u8> {
    let mut table = HashMap::with_capacity(256);
    let mut next = 0u32;
    for b in 0u32..=255 {
        let printable =
            (0x21..=0x7e).contains(&b) || (0xa1..=0xac).contains(&b) || (0xae..=0xff).contains(&b);
        let c = if printable {
            char::from_u32(b)
        } else {
            next += 1;
            char::from_u32(255 + next)
        };
        if let Some(c) = c {
            table.insert(c, b as u8);
        }
    }
    table
}

impl Vocabulary {
    /// Builds the table from tokens in id order.
    pub fn new(tokens: Vec<String>) -> Result<Self> {
        let by_text: HashMap<String, u32> = tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        let id = |name: &str| {
            by_text
                .get(name)
                .copied()
                .ok_or_else(|| ModelError::Invalid(format!("special token {name} is missing")))
        };
        let specials = Specials {
            eot: id("<|endoftext|>")?,
            sot: id("<|startoftranscript|>")?,
            transcribe: id("<|transcribe|>")?,
            translate: id("<|translate|>")?,
            no_timestamps: id("<|notimestamps|>")?,
            no_speech: id("<|nospeech|>").or_else(|_| id("<|nocaptions|>"))?,
            start_of_prev: id("<|startofprev|>")?,
            timestamp_begin: id("<|0.00|>")?,
        };
        let byte_of = byte_table();
        let by_bytes = tokens[..specials.eot as usize]
            .iter()
            .enumerate()
            .map(|(id, t)| {
                let bytes = t.chars().filter_map(|c| byte_of.get(&c).copied()).collect();
                (bytes, id as u32)
            })
            .collect();
        Ok(Self {
            tokens,
            by_text,
            byte_of,
            by_bytes,
            specials,
        })
    }

    /// The tokens in id order (byte-level text, specials and timestamps).
    pub fn tokens(&self) -> &[String] {
        &self.tokens
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether the table is empty (never, for a loaded model).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Special token ids.
    pub fn specials(&self) -> Specials {
        self.specials
    }

    /// The id of a language token such as `nl`.
    pub fn language(&self, code: &str) -> Result<u32> {
        self.by_text
            .get(&format!("<|{code}|>"))
            .copied()
            .ok_or_else(|| ModelError::Invalid(format!("language {code} is not in the model")))
    }

    /// Whether `id` is a timestamp token.
    pub fn is_timestamp(&self, id: u32) -> bool {
        id >= self.specials.timestamp_begin
    }

    /// Whether `id` is a text token (not special, not a timestamp).
    pub fn is_text(&self, id: u32) -> bool {
        self.specials.is_text(id)
    }

    /// Encodes text into text tokens the way Whisper's own tokenizer does (for prompts).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        crate::bpe::pieces(text)
            .into_iter()
            .filter_map(|piece| crate::bpe::merge(piece.as_bytes(), &self.by_bytes))
            .flatten()
            .collect()
    }

    /// Decodes text tokens to a string; special and timestamp tokens are skipped and invalid
    /// UTF-8 is replaced.
    pub fn decode(&self, ids: &[u32]) -> String {
        let mut bytes = Vec::new();
        for &id in ids.iter().filter(|&&id| self.is_text(id)) {
            if let Some(token) = self.tokens.get(id as usize) {
                bytes.extend(token.chars().filter_map(|c| self.byte_of.get(&c).copied()));
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    }
}
