//! Whisper weights in Hugging Face's safetensors layout (`WhisperForConditionalGeneration`),
//! read as a [`WhisperSource`]: separate q, k and v projections are fused as the engine
//! multiplies them (k has no bias; it is zero in the fused one).

use candle_core::safetensors::BufferedSafetensors;
use candle_core::{DType, Device, Tensor};
use serde::Deserialize;

use crate::error::{ModelError, Result};
use crate::source::WhisperSource;

/// The fields of a Hugging Face `config.json` the conversion needs.
#[derive(Debug, Clone, Deserialize)]
pub struct HfConfig {
    /// `whisper` for a Whisper model.
    pub model_type: String,
    /// Heads of the encoder's attention.
    pub encoder_attention_heads: usize,
    /// Heads of the decoder's attention.
    pub decoder_attention_heads: usize,
}

/// A Hugging Face Whisper model held in memory (one or more safetensors shards).
pub struct HfWhisper {
    shards: Vec<BufferedSafetensors>,
    prefix: &'static str,
    heads: usize,
}

impl std::fmt::Debug for HfWhisper {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HfWhisper")
            .field("shards", &self.shards.len())
            .field("prefix", &self.prefix)
            .field("heads", &self.heads)
            .finish()
    }
}

/// Where a CTranslate2 variable comes from in the Hugging Face layout.
enum Origin {
    /// One tensor.
    One(String),
    /// Rows of several tensors in order; `None` is a missing bias (zeros as wide as the
    /// matching weight's rows).
    Fused(Vec<(String, Option<String>)>),
}

fn invalid(message: String) -> ModelError {
    ModelError::Invalid(format!("safetensors model: {message}"))
}

impl HfWhisper {
    /// Reads the shards (the bytes of each `*.safetensors` file) with the model's `config.json`.
    pub fn new(shards: Vec<Vec<u8>>, config_json: &str) -> Result<Self> {
        let config: HfConfig =
            serde_json::from_str(config_json).map_err(|e| invalid(format!("config.json: {e}")))?;
        if config.model_type != "whisper" {
            return Err(invalid(format!(
                "model_type {} is not whisper",
                config.model_type
            )));
        }
        if config.encoder_attention_heads != config.decoder_attention_heads {
            return Err(invalid(format!(
                "{} encoder heads and {} decoder heads (the engine needs one number)",
                config.encoder_attention_heads, config.decoder_attention_heads
            )));
        }
        let shards = shards
            .into_iter()
            .map(BufferedSafetensors::new)
            .collect::<candle_core::Result<Vec<_>>>()
            .map_err(|e| invalid(e.to_string()))?;
        let mut model = Self {
            shards,
            prefix: "",
            heads: config.encoder_attention_heads,
        };
        if model.has("model.encoder.conv1.weight") {
            model.prefix = "model.";
        } else if !model.has("encoder.conv1.weight") {
            return Err(invalid(
                "no encoder.conv1.weight: not a Whisper model".into(),
            ));
        }
        Ok(model)
    }

    fn has(&self, name: &str) -> bool {
        self.shards.iter().any(|s| s.get(name).is_ok())
    }

    fn load(&self, name: &str) -> Result<Tensor> {
        let full = format!("{}{name}", self.prefix);
        let shard = self
            .shards
            .iter()
            .find(|s| s.get(&full).is_ok())
            .ok_or_else(|| invalid(format!("tensor {full} is missing")))?;
        Ok(shard.load(&full, &Device::Cpu)?.to_dtype(DType::F32)?)
    }

    fn origin(name: &str) -> Result<Origin> {
        let unknown = || invalid(format!("no counterpart for {name}"));
        let parts: Vec<&str> = name.split('/').collect();
        let leaf = |p: &str| match p {
            "gamma" | "weight" => Some("weight"),
            "beta" | "bias" => Some("bias"),
            _ => None,
        };
        Ok(match parts.as_slice() {
            [side, "conv1" | "conv2", p] => Origin::One(format!(
                "{side}.{}.{}",
                parts[1],
                leaf(p).ok_or_else(unknown)?
            )),
            [side, "layer_norm", p] => Origin::One(format!(
                "{side}.layer_norm.{}",
                leaf(p).ok_or_else(unknown)?
            )),
            ["decoder", "embeddings", "weight"] => {
                Origin::One("decoder.embed_tokens.weight".into())
            }
            [side, "position_encodings", "encodings"] => {
                Origin::One(format!("{side}.embed_positions.weight"))
            }
            [side, layer, rest @ ..] => {
                let index = layer.strip_prefix("layer_").ok_or_else(unknown)?;
                let base = format!("{side}.layers.{index}.");
                let (module, p) = match rest {
                    [a, b, p] => (format!("{a}/{b}"), *p),
                    _ => return Err(unknown()),
                };
                let p = leaf(p).ok_or_else(unknown)?;
                let one = |m: &str| Origin::One(format!("{base}{m}.{p}"));
                let fused = |ms: &[&str], biasless: &str| {
                    Origin::Fused(
                        ms.iter()
                            .map(|m| {
                                let weight = format!("{base}{m}.weight");
                                if p == "weight" {
                                    (weight, None)
                                } else if *m == biasless {
                                    (String::new(), Some(weight))
                                } else {
                                    (format!("{base}{m}.bias"), None)
                                }
                            })
                            .collect(),
                    )
                };
                match module.as_str() {
                    "self_attention/linear_0" => fused(
                        &["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"],
                        "self_attn.k_proj",
                    ),
                    "self_attention/linear_1" => one("self_attn.out_proj"),
                    "self_attention/layer_norm" => one("self_attn_layer_norm"),
                    "attention/linear_0" => one("encoder_attn.q_proj"),
                    "attention/linear_1" => fused(
                        &["encoder_attn.k_proj", "encoder_attn.v_proj"],
                        "encoder_attn.k_proj",
                    ),
                    "attention/linear_2" => one("encoder_attn.out_proj"),
                    "attention/layer_norm" => one("encoder_attn_layer_norm"),
                    "ffn/linear_0" => one("fc1"),
                    "ffn/linear_1" => one("fc2"),
                    "ffn/layer_norm" => one("final_layer_norm"),
                    _ => return Err(unknown()),
                }
            }
            _ => return Err(unknown()),
        })
    }
}

impl WhisperSource for HfWhisper {
    fn tensor(&self, name: &str) -> Result<Tensor> {
        match Self::origin(name)? {
            Origin::One(n) => self.load(&n),
            Origin::Fused(pieces) => {
                let mut rows = Vec::with_capacity(pieces.len());
                for (name, zeros_like) in pieces {
                    rows.push(match zeros_like {
                        None => self.load(&name)?,
                        Some(weight) => {
                            let width = self.load(&weight)?.dim(0)?;
                            Tensor::zeros(width, DType::F32, &Device::Cpu)?
                        }
                    });
                }
                Ok(Tensor::cat(&rows, 0)?)
            }
        }
    }

    fn dims(&self, name: &str) -> Result<Vec<usize>> {
        match Self::origin(name)? {
            Origin::One(n) => {
                let full = format!("{}{n}", self.prefix);
                let shard = self
                    .shards
                    .iter()
                    .find_map(|s| s.get(&full).ok())
                    .ok_or_else(|| invalid(format!("tensor {full} is missing")))?;
                Ok(shard.shape().to_vec())
            }
            Origin::Fused(_) => Ok(self.tensor(name)?.dims().to_vec()),
        }
    }

    fn contains(&self, name: &str) -> bool {
        match Self::origin(name) {
            Ok(Origin::One(n)) => self.has(&format!("{}{n}", self.prefix)),
            Ok(Origin::Fused(pieces)) => pieces.iter().all(|(n, zeros_like)| {
                self.has(&format!(
                    "{}{}",
                    self.prefix,
                    zeros_like.as_ref().unwrap_or(n)
                ))
            }),
            Err(_) => false,
        }
    }

    fn n_heads(&self) -> Result<usize> {
        Ok(self.heads)
    }
}
