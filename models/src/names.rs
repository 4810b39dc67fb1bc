//! Tensor and metadata names inside the model file.

/// Metadata key holding the format version of the model file.
pub const META_FORMAT: &str = "zorgvuldig.speech.format";
/// Current format version.
pub const FORMAT_VERSION: u32 = 1;
/// Metadata key holding the byte-level vocabulary.
pub const META_TOKENS: &str = "tokenizer.tokens";
/// Token embedding, also the output projection.
pub const TOKEN_EMBEDDING: &str = "decoder.embed_tokens.weight";
/// Learned decoder positions.
pub const DECODER_POSITIONS: &str = "decoder.embed_positions.weight";

/// Name of a tensor inside block `index` of `side` (`encoder` or `decoder`).
pub fn layer(side: &str, index: usize, rest: &str) -> String {
    format!("{side}.layers.{index}.{rest}")
}
