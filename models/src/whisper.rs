//! Whisper encoder and decoder on candle's CPU tensors (wasm32 simd128 or native).
//!
//! Differences from a straight port that matter for speed: q/k/v are one fused matrix, the
//! decoder keeps a key/value cache for self-attention (each step costs one token, not the whole
//! sequence), and only the last position is projected onto the vocabulary.

use std::collections::HashMap;
use std::io::Cursor;

use candle_core::quantized::{GgmlDType, QMatMul, QTensor, gguf_file};
use candle_core::{D, DType, Device, Module, Tensor};

use crate::backend::Backend;
use crate::config::WhisperConfig;
use crate::error::{ModelError, Result};
use crate::names;
use crate::tokens::Vocabulary;

/// How the large matrices are multiplied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compute {
    /// Keep Q8_0 blocks and multiply them directly (less memory).
    Quantized,
    /// Expand to f32 at load time and use dense matrix products.
    Dense,
}

/// A loaded speech model: configuration, vocabulary and weights.
pub struct SpeechModel {
    /// Dimensions.
    pub config: WhisperConfig,
    /// Tokens.
    pub vocabulary: Vocabulary,
    encoder: Encoder,
    decoder: Decoder,
}

impl std::fmt::Debug for SpeechModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SpeechModel")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

struct Weights {
    tensors: HashMap<String, QTensor>,
    compute: Compute,
}

impl Weights {
    fn take(&mut self, name: &str) -> Result<QTensor> {
        self.tensors
            .remove(name)
            .ok_or_else(|| ModelError::Invalid(format!("tensor {name} is missing")))
    }

    fn dense(&mut self, name: &str, dims: &[usize]) -> Result<Tensor> {
        let t = self.take(name)?;
        if t.shape().dims() != dims {
            return Err(ModelError::Invalid(format!(
                "tensor {name} has shape {:?}, expected {dims:?}",
                t.shape().dims()
            )));
        }
        Ok(t.dequantize(&Device::Cpu)?)
    }

    fn linear(&mut self, prefix: &str, out: usize, inp: usize) -> Result<Linear> {
        let name = format!("{prefix}.weight");
        let w = self.take(&name)?;
        if w.shape().dims() != [out, inp] {
            return Err(ModelError::Invalid(format!(
                "tensor {name} has shape {:?}, expected {:?}",
                w.shape().dims(),
                [out, inp]
            )));
        }
        let weight = match (self.compute, w.dtype()) {
            (Compute::Quantized, GgmlDType::Q8_0) => QMatMul::from_qtensor(w)?,
            _ => QMatMul::Tensor(w.dequantize(&Device::Cpu)?),
        };
        let bias = self.dense(&format!("{prefix}.bias"), &[out])?;
        Ok(Linear { weight, bias })
    }

    fn norm(&mut self, prefix: &str, dim: usize) -> Result<LayerNorm> {
        Ok(LayerNorm {
            weight: self.dense(&format!("{prefix}.weight"), &[dim])?,
            bias: self.dense(&format!("{prefix}.bias"), &[dim])?,
        })
    }
}

impl SpeechModel {
    /// Loads a sealed model file (see [`crate::container`]); the bytes are checked first.
    pub fn load(bytes: &[u8], compute: Compute) -> Result<Self> {
        let payload = crate::container::open(bytes)?;
        let mut reader = Cursor::new(payload);
        let content = gguf_file::Content::read(&mut reader)
            .map_err(|e| ModelError::Invalid(format!("model header: {e}")))?;
        let (config, tokens) = describe(&content)?;
        let vocabulary = Vocabulary::new(tokens)?;
        let mut tensors = HashMap::new();
        for name in content.tensor_infos.keys() {
            let t = content
                .tensor(&mut reader, name, &Device::Cpu)
                .map_err(|e| ModelError::Invalid(format!("tensor {name}: {e}")))?;
            tensors.insert(name.clone(), t);
        }
        let mut weights = Weights { tensors, compute };
        let encoder = Encoder::load(&mut weights, &config)?;
        let decoder = Decoder::load(&mut weights, &config)?;
        Ok(Self {
            config,
            vocabulary,
            encoder,
            decoder,
        })
    }
}

/// The dimensions of a sealed model file, read from its header without loading the weights.
pub fn read_config(bytes: &[u8]) -> Result<WhisperConfig> {
    let payload = crate::container::open(bytes)?;
    let content = gguf_file::Content::read(&mut Cursor::new(payload))
        .map_err(|e| ModelError::Invalid(format!("model header: {e}")))?;
    Ok(describe(&content)?.0)
}

/// The dimensions and the vocabulary in a model file's metadata.
fn describe(content: &gguf_file::Content) -> Result<(WhisperConfig, Vec<String>)> {
    let meta_u32 = |key: &str| -> Result<usize> {
        content
            .metadata
            .get(key)
            .and_then(|v| v.to_u32().ok())
            .map(|v| v as usize)
            .ok_or_else(|| ModelError::Invalid(format!("metadata {key} is missing")))
    };
    let format = meta_u32(names::META_FORMAT)?;
    if format != names::FORMAT_VERSION as usize {
        return Err(ModelError::Invalid(format!(
            "model format {format}, this build reads {}",
            names::FORMAT_VERSION
        )));
    }
    let meta_ids = |key: &str| -> Result<Vec<u32>> {
        let Some(gguf_file::Value::Array(values)) = content.metadata.get(key) else {
            return Err(ModelError::Invalid(format!("metadata {key} is missing")));
        };
        values
            .iter()
            .map(|v| {
                v.to_u32()
                    .map_err(|_| ModelError::Invalid(format!("{key} holds a non-integer")))
            })
            .collect()
    };
    let Some(gguf_file::Value::Array(raw_tokens)) = content.metadata.get(names::META_TOKENS) else {
        return Err(ModelError::Invalid("the vocabulary is missing".into()));
    };
    let tokens = raw_tokens
        .iter()
        .map(|v| {
            v.to_string()
                .cloned()
                .map_err(|_| ModelError::Invalid("a vocabulary entry is not text".into()))
        })
        .collect::<Result<Vec<_>>>()?;
    let config = WhisperConfig {
        n_mels: meta_u32("whisper.n_mels")?,
        d_model: meta_u32("whisper.d_model")?,
        n_heads: meta_u32("whisper.n_heads")?,
        encoder_layers: meta_u32("whisper.encoder_layers")?,
        decoder_layers: meta_u32("whisper.decoder_layers")?,
        vocab_size: tokens.len(),
        n_text_ctx: meta_u32("whisper.n_text_ctx")?,
        n_audio_ctx: meta_u32("whisper.n_audio_ctx")?,
        suppress_ids: meta_ids("whisper.suppress_ids")?,
        suppress_ids_begin: meta_ids("whisper.suppress_ids_begin")?,
    };
    if config.n_heads == 0 || !config.d_model.is_multiple_of(config.n_heads) {
        return Err(ModelError::Invalid(
            "heads do not divide the model width".into(),
        ));
    }
    Ok((config, tokens))
}

impl Backend for SpeechModel {
    fn config(&self) -> &WhisperConfig {
        &self.config
    }

    fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    fn encode(&mut self, mel: &[f32], frames: usize) -> Result<()> {
        self.encode_unless(mel, frames, &|| false)
    }

    fn encode_unless(&mut self, mel: &[f32], frames: usize, stop: &dyn Fn() -> bool) -> Result<()> {
        let n_mels = self.config.n_mels;
        if mel.len() != n_mels * frames {
            return Err(ModelError::Audio(format!(
                "mel has {} values, expected {n_mels} × {frames}",
                mel.len()
            )));
        }
        let x = Tensor::from_slice(mel, (1, n_mels, frames), &Device::Cpu)?;
        let audio = self.encoder.forward(&x, stop)?;
        self.decoder.set_audio(&audio)?;
        Ok(())
    }

    fn decode(&mut self, tokens: &[u32], fresh: bool) -> Result<Vec<f32>> {
        self.decoder.forward(tokens, fresh)
    }

    fn fork(&mut self, beams: usize) -> Result<()> {
        self.decoder.fork(beams)
    }

    fn decode_beams(&mut self, parents: &[usize], tokens: &[u32]) -> Result<Vec<Vec<f32>>> {
        self.decoder.forward_beams(parents, tokens)
    }
}

struct Linear {
    weight: QMatMul,
    bias: Tensor,
}

impl Linear {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(self.weight.forward(x)?.broadcast_add(&self.bias)?)
    }
}

struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
}

impl LayerNorm {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        Ok(candle_nn::ops::layer_norm(
            x,
            &self.weight,
            &self.bias,
            1e-5,
        )?)
    }
}

/// Splits (batch, time, heads × dim) into (batch, heads, time, dim).
fn heads(x: &Tensor, n_heads: usize) -> Result<Tensor> {
    let (b, t, c) = x.dims3()?;
    Ok(x.reshape((b, t, n_heads, c / n_heads))?
        .transpose(1, 2)?
        .contiguous()?)
}

/// Scaled dot-product attention over (batch, heads, time, dim); returns (batch, time, width).
fn attention(q: &Tensor, k: &Tensor, v: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
    let dim = q.dim(D::Minus1)?;
    let scale = 1.0 / (dim as f64).sqrt();
    let mut scores = (q.matmul(&k.t()?)? * scale)?;
    if let Some(mask) = mask {
        scores = scores.broadcast_add(mask)?;
    }
    let weights = candle_nn::ops::softmax_last_dim(&scores)?;
    let out = weights.matmul(v)?;
    Ok(out.transpose(1, 2)?.flatten_from(2)?)
}

struct SelfAttention {
    qkv: Linear,
    out: Linear,
    n_heads: usize,
}

impl SelfAttention {
    fn load(w: &mut Weights, prefix: &str, cfg: &WhisperConfig) -> Result<Self> {
        let d = cfg.d_model;
        Ok(Self {
            qkv: w.linear(&format!("{prefix}.qkv"), 3 * d, d)?,
            out: w.linear(&format!("{prefix}.out"), d, d)?,
            n_heads: cfg.n_heads,
        })
    }

    /// Projects x into (q, k, v), each split into heads.
    fn project(&self, x: &Tensor) -> Result<(Tensor, Tensor, Tensor)> {
        let qkv = self.qkv.forward(x)?;
        let d = qkv.dim(D::Minus1)? / 3;
        let q = heads(&qkv.narrow(D::Minus1, 0, d)?, self.n_heads)?;
        let k = heads(&qkv.narrow(D::Minus1, d, d)?, self.n_heads)?;
        let v = heads(&qkv.narrow(D::Minus1, 2 * d, d)?, self.n_heads)?;
        Ok((q, k, v))
    }
}

struct EncoderBlock {
    attn_ln: LayerNorm,
    attn: SelfAttention,
    mlp_ln: LayerNorm,
    fc1: Linear,
    fc2: Linear,
}

fn mlp(ln: &LayerNorm, fc1: &Linear, fc2: &Linear, x: &Tensor) -> Result<Tensor> {
    let h = fc1.forward(&ln.forward(x)?)?.gelu()?;
    fc2.forward(&h)
}

impl EncoderBlock {
    fn forward(&self, x: &Tensor) -> Result<Tensor> {
        let (q, k, v) = self.attn.project(&self.attn_ln.forward(x)?)?;
        let a = self.attn.out.forward(&attention(&q, &k, &v, None)?)?;
        let x = (x + a)?;
        let m = mlp(&self.mlp_ln, &self.fc1, &self.fc2, &x)?;
        Ok((x + m)?)
    }
}

struct Encoder {
    conv1_w: Tensor,
    conv1_b: Tensor,
    conv2_w: Tensor,
    conv2_b: Tensor,
    positions: Tensor,
    blocks: Vec<EncoderBlock>,
    ln: LayerNorm,
}

/// Whisper's fixed sinusoidal encoder positions, (length × channels) row-major.
pub fn sinusoids(length: usize, channels: usize) -> Vec<f32> {
    let half = channels / 2;
    let increment = (10000f32).ln() / (half.saturating_sub(1).max(1)) as f32;
    let mut out = vec![0f32; length * channels];
    for t in 0..length {
        for i in 0..half {
            let angle = t as f32 * (-(i as f32) * increment).exp();
            out[t * channels + i] = angle.sin();
            out[t * channels + half + i] = angle.cos();
        }
    }
    out
}

impl Encoder {
    fn load(w: &mut Weights, cfg: &WhisperConfig) -> Result<Self> {
        let d = cfg.d_model;
        let blocks = (0..cfg.encoder_layers)
            .map(|i| {
                let p = |s: &str| names::layer("encoder", i, s);
                Ok(EncoderBlock {
                    attn_ln: w.norm(&p("attn_ln"), d)?,
                    attn: SelfAttention::load(w, &p("attn"), cfg)?,
                    mlp_ln: w.norm(&p("mlp_ln"), d)?,
                    fc1: w.linear(&p("mlp.fc1"), 4 * d, d)?,
                    fc2: w.linear(&p("mlp.fc2"), d, 4 * d)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let positions = Tensor::from_vec(
            sinusoids(cfg.n_audio_ctx, d),
            (cfg.n_audio_ctx, d),
            &Device::Cpu,
        )?;
        Ok(Self {
            conv1_w: w.dense("encoder.conv1.weight", &[d, cfg.n_mels, 3])?,
            conv1_b: w.dense("encoder.conv1.bias", &[d])?.reshape((1, d, 1))?,
            conv2_w: w.dense("encoder.conv2.weight", &[d, d, 3])?,
            conv2_b: w.dense("encoder.conv2.bias", &[d])?.reshape((1, d, 1))?,
            positions,
            blocks,
            ln: w.norm("encoder.ln", d)?,
        })
    }

    /// Encodes `mel`, asking `stop` before each layer.
    fn forward(&self, mel: &Tensor, stop: &dyn Fn() -> bool) -> Result<Tensor> {
        if stop() {
            return Err(ModelError::Interrupted);
        }
        let x = mel
            .conv1d(&self.conv1_w, 1, 1, 1, 1)?
            .broadcast_add(&self.conv1_b)?
            .gelu()?;
        let x = x
            .conv1d(&self.conv2_w, 1, 2, 1, 1)?
            .broadcast_add(&self.conv2_b)?
            .gelu()?;
        let x = x.transpose(1, 2)?;
        let t = x.dim(1)?;
        if t > self.positions.dim(0)? {
            return Err(ModelError::Audio(format!(
                "{t} encoder frames exceed the window"
            )));
        }
        let mut x = x.broadcast_add(&self.positions.narrow(0, 0, t)?)?;
        for block in &self.blocks {
            if stop() {
                return Err(ModelError::Interrupted);
            }
            x = block.forward(&x)?;
        }
        self.ln.forward(&x)
    }
}

struct DecoderBlock {
    attn_ln: LayerNorm,
    attn: SelfAttention,
    xattn_ln: LayerNorm,
    xattn_q: Linear,
    xattn_kv: Linear,
    xattn_out: Linear,
    mlp_ln: LayerNorm,
    fc1: Linear,
    fc2: Linear,
    cache: Option<(Tensor, Tensor)>,
    audio_kv: Option<(Tensor, Tensor)>,
}

impl DecoderBlock {
    fn forward(&mut self, x: &Tensor, mask: Option<&Tensor>) -> Result<Tensor> {
        let n_heads = self.attn.n_heads;
        let (q, k, v) = self.attn.project(&self.attn_ln.forward(x)?)?;
        let a = self.self_attend(&q, k, v, mask)?;
        let a = self.attn.out.forward(&a)?;
        self.attend_audio((x + a)?, n_heads)
    }

    /// Self-attention of `q` over the cache extended by `k` and `v` (kept as the new cache).
    fn self_attend(
        &mut self,
        q: &Tensor,
        k: Tensor,
        v: Tensor,
        mask: Option<&Tensor>,
    ) -> Result<Tensor> {
        let (k, v) = match self.cache.take() {
            Some((pk, pv)) => (Tensor::cat(&[&pk, &k], 2)?, Tensor::cat(&[&pv, &v], 2)?),
            None => (k, v),
        };
        self.cache = Some((k.clone(), v.clone()));
        attention(q, &k, &v, mask)
    }

    /// Cross-attention to the audio, then the MLP, each with its residual.
    fn attend_audio(&self, x: Tensor, n_heads: usize) -> Result<Tensor> {
        let Some((ak, av)) = &self.audio_kv else {
            return Err(ModelError::Invalid("decoder run before the encoder".into()));
        };
        let q = heads(&self.xattn_q.forward(&self.xattn_ln.forward(&x)?)?, n_heads)?;
        let a = self.xattn_out.forward(&attention(&q, ak, av, None)?)?;
        let x = (x + a)?;
        let m = mlp(&self.mlp_ln, &self.fc1, &self.fc2, &x)?;
        Ok((x + m)?)
    }
}

impl DecoderBlock {
    /// One token for each of the beams in `x` (1, beams, width): self-attention against each
    /// beam's own cache (batch = beams), cross-attention with the beams as rows of one
    /// sequence (the audio is the same for all).
    fn forward_beams(&mut self, x: &Tensor) -> Result<Tensor> {
        let n_heads = self.attn.n_heads;
        let (_, beams, width) = x.dims3()?;
        let qkv = self.attn.qkv.forward(&self.attn_ln.forward(x)?)?;
        let per_beam = |t: Tensor| -> Result<Tensor> {
            Ok(t.reshape((beams, 1, n_heads, width / n_heads))?
                .transpose(1, 2)?
                .contiguous()?)
        };
        let q = per_beam(qkv.narrow(D::Minus1, 0, width)?)?;
        let k = per_beam(qkv.narrow(D::Minus1, width, width)?)?;
        let v = per_beam(qkv.narrow(D::Minus1, 2 * width, width)?)?;
        let a = self
            .self_attend(&q, k, v, None)?
            .reshape((1, beams, width))?;
        let x = (x + self.attn.out.forward(&a)?)?;
        self.attend_audio(x, n_heads)
    }
}

struct Decoder {
    embedding: Tensor,
    projection: QMatMul,
    positions: Tensor,
    blocks: Vec<DecoderBlock>,
    ln: LayerNorm,
    position: usize,
    n_text_ctx: usize,
}

impl Decoder {
    fn load(w: &mut Weights, cfg: &WhisperConfig) -> Result<Self> {
        let d = cfg.d_model;
        let blocks = (0..cfg.decoder_layers)
            .map(|i| {
                let p = |s: &str| names::layer("decoder", i, s);
                Ok(DecoderBlock {
                    attn_ln: w.norm(&p("attn_ln"), d)?,
                    attn: SelfAttention::load(w, &p("attn"), cfg)?,
                    xattn_ln: w.norm(&p("xattn_ln"), d)?,
                    xattn_q: w.linear(&p("xattn.q"), d, d)?,
                    xattn_kv: w.linear(&p("xattn.kv"), 2 * d, d)?,
                    xattn_out: w.linear(&p("xattn.out"), d, d)?,
                    mlp_ln: w.norm(&p("mlp_ln"), d)?,
                    fc1: w.linear(&p("mlp.fc1"), 4 * d, d)?,
                    fc2: w.linear(&p("mlp.fc2"), d, 4 * d)?,
                    cache: None,
                    audio_kv: None,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let table = w.take(names::TOKEN_EMBEDDING)?;
        if table.shape().dims() != [cfg.vocab_size, d] {
            return Err(ModelError::Invalid(format!(
                "token embedding has shape {:?}",
                table.shape().dims()
            )));
        }
        let embedding = table.dequantize(&Device::Cpu)?;
        let projection = match (w.compute, table.dtype()) {
            (Compute::Quantized, GgmlDType::Q8_0) => QMatMul::from_qtensor(table)?,
            _ => QMatMul::Tensor(embedding.clone()),
        };
        Ok(Self {
            embedding,
            projection,
            positions: w.dense(names::DECODER_POSITIONS, &[cfg.n_text_ctx, d])?,
            blocks,
            ln: w.norm("decoder.ln", d)?,
            position: 0,
            n_text_ctx: cfg.n_text_ctx,
        })
    }

    fn set_audio(&mut self, audio: &Tensor) -> Result<()> {
        for block in &mut self.blocks {
            let kv = block.xattn_kv.forward(audio)?;
            let d = kv.dim(D::Minus1)? / 2;
            let n = block.attn.n_heads;
            let k = heads(&kv.narrow(D::Minus1, 0, d)?, n)?;
            let v = heads(&kv.narrow(D::Minus1, d, d)?, n)?;
            block.audio_kv = Some((k, v));
            block.cache = None;
        }
        self.position = 0;
        Ok(())
    }

    /// Makes `beams` copies of the sequence fed so far (batch dimension of the caches).
    fn fork(&mut self, beams: usize) -> Result<()> {
        if beams == 0 {
            return Err(ModelError::Invalid("beam search needs a beam".into()));
        }
        for block in &mut self.blocks {
            let Some((k, v)) = block.cache.take() else {
                return Err(ModelError::Invalid("fork before any token".into()));
            };
            let copies = |t: &Tensor| Tensor::cat(&vec![t; beams], 0);
            block.cache = Some((copies(&k)?, copies(&v)?));
        }
        Ok(())
    }

    /// One token per beam after reordering the beams' caches by `parents`.
    fn forward_beams(&mut self, parents: &[usize], tokens: &[u32]) -> Result<Vec<Vec<f32>>> {
        let beams = tokens.len();
        if parents.len() != beams || beams == 0 {
            return Err(ModelError::Invalid(format!(
                "{} parents for {beams} beam tokens",
                parents.len()
            )));
        }
        if self.position + 1 > self.n_text_ctx {
            return Err(ModelError::Invalid(format!(
                "{} tokens exceed the decoder context of {}",
                self.position + 1,
                self.n_text_ctx
            )));
        }
        let vocab = self.embedding.dim(0)? as u32;
        if let Some(bad) = tokens.iter().find(|&&t| t >= vocab) {
            return Err(ModelError::Invalid(format!(
                "token {bad} is outside the vocabulary"
            )));
        }
        let order: Vec<u32> = parents.iter().map(|&p| p as u32).collect();
        let order = Tensor::from_vec(order, beams, &Device::Cpu)?;
        for block in &mut self.blocks {
            let Some((k, v)) = block.cache.take() else {
                return Err(ModelError::Invalid("beams before a fork".into()));
            };
            if parents.iter().any(|&p| p >= k.dim(0).unwrap_or(0)) {
                return Err(ModelError::Invalid(
                    "a parent beam that does not exist".into(),
                ));
            }
            block.cache = Some((k.index_select(&order, 0)?, v.index_select(&order, 0)?));
        }
        let ids = Tensor::from_slice(tokens, beams, &Device::Cpu)?;
        let mut x = self
            .embedding
            .index_select(&ids, 0)?
            .broadcast_add(&self.positions.narrow(0, self.position, 1)?)?
            .unsqueeze(0)?;
        for block in &mut self.blocks {
            x = block.forward_beams(&x)?;
        }
        self.position += 1;
        let logits = self.projection.forward(&self.ln.forward(&x)?)?;
        let logits = logits.squeeze(0)?.to_dtype(DType::F32)?.to_vec2::<f32>()?;
        Ok(logits)
    }

    fn forward(&mut self, tokens: &[u32], fresh: bool) -> Result<Vec<f32>> {
        if fresh {
            for block in &mut self.blocks {
                block.cache = None;
            }
            self.position = 0;
        }
        let n = tokens.len();
        if n == 0 {
            return Err(ModelError::Invalid(
                "decode needs at least one token".into(),
            ));
        }
        if self.position + n > self.n_text_ctx {
            return Err(ModelError::Invalid(format!(
                "{} tokens exceed the decoder context of {}",
                self.position + n,
                self.n_text_ctx
            )));
        }
        let vocab = self.embedding.dim(0)? as u32;
        if let Some(bad) = tokens.iter().find(|&&t| t >= vocab) {
            return Err(ModelError::Invalid(format!(
                "token {bad} is outside the vocabulary"
            )));
        }
        let ids = Tensor::from_slice(tokens, n, &Device::Cpu)?;
        let x = self
            .embedding
            .index_select(&ids, 0)?
            .broadcast_add(&self.positions.narrow(0, self.position, n)?)?
            .unsqueeze(0)?;
        let mask = if n > 1 {
            let past = self.position;
            let values: Vec<f32> = (0..n)
                .flat_map(|i| {
                    (0..past + n).map(move |j| if j > past + i { f32::NEG_INFINITY } else { 0.0 })
                })
                .collect();
            Some(Tensor::from_vec(values, (n, past + n), &Device::Cpu)?)
        } else {
            None
        };
        let mut x = x;
        for block in &mut self.blocks {
            x = block.forward(&x, mask.as_ref())?;
        }
        self.position += n;
        let last = self.ln.forward(&x.narrow(1, n - 1, 1)?)?;
        let logits = self.projection.forward(&last)?.flatten_all()?;
        Ok(logits.to_dtype(DType::F32)?.to_vec1::<f32>()?)
    }
}
