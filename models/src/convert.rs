//! Conversion of the upstream CTranslate2 Whisper model into this crate's model file.
//!
//! Linear weights and the token embedding are stored as Q8_0 (8-bit blocks of 32 with an f16
//! scale); the convolutions and the decoder positions as f16; norms and biases as f32. The
//! encoder positions are Whisper's fixed sinusoids: they are checked against the source and
//! recomputed at load time rather than stored. Fused projections stay fused (q, k and v in one
//! matrix), which is also how the engine multiplies them.

use std::io::Cursor;

use candle_core::quantized::{GgmlDType, QTensor, gguf_file};

use crate::config::WhisperConfig;
use crate::error::{ModelError, Result};
use crate::names;
use crate::source::WhisperSource;

/// Storage precision of the large matrices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    /// 8-bit blocks (Q8_0): about half the size of f16.
    Q8,
    /// Half precision, as in the source.
    F16,
}

/// Inputs of a conversion besides the model itself.
#[derive(Debug, Clone)]
pub struct Extras {
    /// Vocabulary, one byte-level token per line, in id order.
    pub vocabulary: String,
    /// Token ids never sampled (`suppress_ids` of the upstream config).
    pub suppress_ids: Vec<u32>,
    /// Token ids never sampled first (`suppress_ids_begin`).
    pub suppress_ids_begin: Vec<u32>,
}

/// Converts Whisper weights (any size; CTranslate2 or safetensors, see [`WhisperSource`]) to a
/// sealed model file.
pub fn convert(
    model: &impl WhisperSource,
    extras: &Extras,
    precision: Precision,
) -> Result<Vec<u8>> {
    let config = infer_config(model, extras)?;
    let tokens: Vec<&str> = extras.vocabulary.lines().collect();
    if tokens.len() != config.vocab_size {
        return Err(ModelError::Ct2(format!(
            "vocabulary has {} tokens, the embedding {}",
            tokens.len(),
            config.vocab_size
        )));
    }
    check_encoder_positions(model, &config)?;

    let mut tensors: Vec<(String, QTensor)> = Vec::new();
    let big = match precision {
        Precision::Q8 => GgmlDType::Q8_0,
        Precision::F16 => GgmlDType::F16,
    };
    let mut put = |ours: String, theirs: &str, dtype: GgmlDType| -> Result<()> {
        let tensor = model.tensor(theirs)?;
        tensors.push((ours, QTensor::quantize(&tensor, dtype)?));
        Ok(())
    };
    for (side, layers) in [
        ("encoder", config.encoder_layers),
        ("decoder", config.decoder_layers),
    ] {
        for i in 0..layers {
            let theirs = |s: &str| format!("{side}/layer_{i}/{s}");
            let ours = |s: &str| names::layer(side, i, s);
            let mut linear = |o: &str, t: &str| -> Result<()> {
                put(
                    ours(&format!("{o}.weight")),
                    &theirs(&format!("{t}/weight")),
                    big,
                )?;
                put(
                    ours(&format!("{o}.bias")),
                    &theirs(&format!("{t}/bias")),
                    GgmlDType::F32,
                )
            };
            linear("attn.qkv", "self_attention/linear_0")?;
            linear("attn.out", "self_attention/linear_1")?;
            linear("mlp.fc1", "ffn/linear_0")?;
            linear("mlp.fc2", "ffn/linear_1")?;
            if side == "decoder" {
                linear("xattn.q", "attention/linear_0")?;
                linear("xattn.kv", "attention/linear_1")?;
                linear("xattn.out", "attention/linear_2")?;
            }
            let mut norm = |o: &str, t: &str| -> Result<()> {
                put(
                    ours(&format!("{o}.weight")),
                    &theirs(&format!("{t}/gamma")),
                    GgmlDType::F32,
                )?;
                put(
                    ours(&format!("{o}.bias")),
                    &theirs(&format!("{t}/beta")),
                    GgmlDType::F32,
                )
            };
            norm("attn_ln", "self_attention/layer_norm")?;
            norm("mlp_ln", "ffn/layer_norm")?;
            if side == "decoder" {
                norm("xattn_ln", "attention/layer_norm")?;
            }
        }
        put(
            format!("{side}.ln.weight"),
            &format!("{side}/layer_norm/gamma"),
            GgmlDType::F32,
        )?;
        put(
            format!("{side}.ln.bias"),
            &format!("{side}/layer_norm/beta"),
            GgmlDType::F32,
        )?;
    }
    for conv in ["conv1", "conv2"] {
        put(
            format!("encoder.{conv}.weight"),
            &format!("encoder/{conv}/weight"),
            GgmlDType::F16,
        )?;
        put(
            format!("encoder.{conv}.bias"),
            &format!("encoder/{conv}/bias"),
            GgmlDType::F32,
        )?;
    }
    put(
        names::TOKEN_EMBEDDING.into(),
        "decoder/embeddings/weight",
        big,
    )?;
    put(
        names::DECODER_POSITIONS.into(),
        "decoder/position_encodings/encodings",
        GgmlDType::F16,
    )?;

    let u32s =
        |v: &[u32]| gguf_file::Value::Array(v.iter().map(|&x| gguf_file::Value::U32(x)).collect());
    let metadata: Vec<(&str, gguf_file::Value)> = vec![
        (
            names::META_FORMAT,
            gguf_file::Value::U32(names::FORMAT_VERSION),
        ),
        (
            "whisper.n_mels",
            gguf_file::Value::U32(config.n_mels as u32),
        ),
        (
            "whisper.d_model",
            gguf_file::Value::U32(config.d_model as u32),
        ),
        (
            "whisper.n_heads",
            gguf_file::Value::U32(config.n_heads as u32),
        ),
        (
            "whisper.encoder_layers",
            gguf_file::Value::U32(config.encoder_layers as u32),
        ),
        (
            "whisper.decoder_layers",
            gguf_file::Value::U32(config.decoder_layers as u32),
        ),
        (
            "whisper.n_text_ctx",
            gguf_file::Value::U32(config.n_text_ctx as u32),
        ),
        (
            "whisper.n_audio_ctx",
            gguf_file::Value::U32(config.n_audio_ctx as u32),
        ),
        ("whisper.suppress_ids", u32s(&config.suppress_ids)),
        (
            "whisper.suppress_ids_begin",
            u32s(&config.suppress_ids_begin),
        ),
        (
            names::META_TOKENS,
            gguf_file::Value::Array(
                tokens
                    .iter()
                    .map(|t| gguf_file::Value::String((*t).to_owned()))
                    .collect(),
            ),
        ),
    ];
    let metadata_refs: Vec<(&str, &gguf_file::Value)> =
        metadata.iter().map(|(k, v)| (*k, v)).collect();
    let tensor_refs: Vec<(&str, &QTensor)> = tensors.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let mut payload = Cursor::new(Vec::new());
    gguf_file::write(&mut payload, &metadata_refs, &tensor_refs)?;
    Ok(crate::container::seal(&payload.into_inner()))
}

fn infer_config(model: &impl WhisperSource, extras: &Extras) -> Result<WhisperConfig> {
    let count_layers = |side: &str| {
        (0..)
            .take_while(|i| model.contains(&format!("{side}/layer_{i}/ffn/linear_0/weight")))
            .count()
    };
    let conv1 = model.dims("encoder/conv1/weight")?;
    let embedding = model.dims("decoder/embeddings/weight")?;
    let positions = model.dims("decoder/position_encodings/encodings")?;
    let audio_positions = model.dims("encoder/position_encodings/encodings")?;
    let n_heads = model.n_heads()?;
    let (&[d_model, n_mels, _], &[vocab_size, _], &[n_text_ctx, _], &[n_audio_ctx, _]) = (
        conv1.as_slice(),
        embedding.as_slice(),
        positions.as_slice(),
        audio_positions.as_slice(),
    ) else {
        return Err(ModelError::Ct2(
            "unexpected shapes of the embeddings".into(),
        ));
    };
    if n_heads == 0 || !d_model.is_multiple_of(n_heads) {
        return Err(ModelError::Ct2(format!(
            "{n_heads} heads do not divide {d_model}"
        )));
    }
    Ok(WhisperConfig {
        n_mels,
        d_model,
        n_heads,
        encoder_layers: count_layers("encoder"),
        decoder_layers: count_layers("decoder"),
        vocab_size,
        n_text_ctx,
        n_audio_ctx,
        suppress_ids: extras.suppress_ids.clone(),
        suppress_ids_begin: extras.suppress_ids_begin.clone(),
    })
}

fn check_encoder_positions(model: &impl WhisperSource, config: &WhisperConfig) -> Result<()> {
    let stored = model
        .tensor("encoder/position_encodings/encodings")?
        .flatten_all()?
        .to_vec1::<f32>()?;
    let ours = crate::whisper::sinusoids(config.n_audio_ctx, config.d_model);
    let worst = stored
        .iter()
        .zip(&ours)
        .map(|(a, b)| (a - b).abs())
        .fold(0f32, f32::max);
    if stored.len() != ours.len() || worst > 1e-2 {
        return Err(ModelError::Ct2(format!(
            "encoder positions are not the standard sinusoids (largest difference {worst})"
        )));
    }
    Ok(())
}
