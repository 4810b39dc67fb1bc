//! Errors of the speech engine: every bad input is a value, never a panic.

/// What can go wrong loading weights or transcribing audio.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The CTranslate2 source file is not what the converter expects.
    #[error("CTranslate2 model: {0}")]
    Ct2(String),
    /// A model directory (CTranslate2 or safetensors) cannot be imported.
    #[error("model directory: {0}")]
    Import(String),
    /// The model file ends before its header says it should.
    #[error("model file is truncated: {0}")]
    Truncated(String),
    /// The model file is readable but its content is wrong (missing tensor, bad shape, bad metadata).
    #[error("model file is damaged or not a Zorgvuldig speech model: {0}")]
    Invalid(String),
    /// The audio input cannot be used.
    #[error("audio: {0}")]
    Audio(String),
    /// The caller asked to stop (the recording ended); the work in hand was dropped and is
    /// done again later, so nothing is lost.
    #[error("interrupted")]
    Interrupted,
    /// A tensor operation failed.
    #[error("tensor operation: {0}")]
    Tensor(#[from] candle_core::Error),
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, ModelError>;
