//! Model dimensions and the token ids the decoder needs.

/// Whisper dimensions, read from the model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhisperConfig {
    /// Mel bins of the input (80).
    pub n_mels: usize,
    /// Width of the residual stream.
    pub d_model: usize,
    /// Attention heads (encoder and decoder).
    pub n_heads: usize,
    /// Encoder blocks.
    pub encoder_layers: usize,
    /// Decoder blocks.
    pub decoder_layers: usize,
    /// Vocabulary size.
    pub vocab_size: usize,
    /// Longest token sequence the decoder accepts.
    pub n_text_ctx: usize,
    /// Encoder positions (1500 for 30 s).
    pub n_audio_ctx: usize,
    /// Tokens never sampled.
    pub suppress_ids: Vec<u32>,
    /// Tokens never sampled first.
    pub suppress_ids_begin: Vec<u32>,
}
