//! Whisper weights as the converter reads them: one tensor at a time, under CTranslate2's
//! variable names, whatever file they come from ([`crate::ct2`] or [`crate::hf`]).

use candle_core::{Device, Tensor};

use crate::ct2::{Ct2Dtype, Ct2Model};
use crate::error::{ModelError, Result};

/// A Whisper model's weights, named as CTranslate2 names them
/// (`encoder/layer_0/self_attention/linear_0/weight`, with q, k and v fused).
pub trait WhisperSource {
    /// The tensor called `name`, as f32 on the CPU.
    fn tensor(&self, name: &str) -> Result<Tensor>;
    /// The dimensions of `name`, outermost first.
    fn dims(&self, name: &str) -> Result<Vec<usize>>;
    /// Whether the weights have a tensor called `name`.
    fn contains(&self, name: &str) -> bool;
    /// Attention heads (the same in the encoder and the decoder).
    fn n_heads(&self) -> Result<usize>;
}

impl WhisperSource for Ct2Model<'_> {
    fn tensor(&self, name: &str) -> Result<Tensor> {
        let var = self.get(name)?;
        let mut values = var.to_f32();
        if var.dtype == Ct2Dtype::I16 {
            return Err(ModelError::Ct2(format!(
                "{name}: int16 weights are not supported (convert the model to int8, float16 or float32)"
            )));
        }
        // An int8 model stores each row of a matrix with a scale (`q = w × scale`).
        if var.dtype == Ct2Dtype::I8 {
            let scale = self.get(&format!("{name}_scale"))?.to_f32();
            let rows = scale.len();
            if rows == 0 || values.is_empty() || values.len() % rows != 0 {
                return Err(ModelError::Ct2(format!(
                    "{name}: {} scales for {} values",
                    scale.len(),
                    values.len()
                )));
            }
            let width = values.len() / rows;
            for (row, s) in values.chunks_mut(width).zip(&scale) {
                if *s == 0.0 || !s.is_finite() {
                    return Err(ModelError::Ct2(format!("{name}: scale {s}")));
                }
                row.iter_mut().for_each(|v| *v /= s);
            }
        }
        Ok(Tensor::from_vec(values, var.dims.as_slice(), &Device::Cpu)?)
    }

    fn dims(&self, name: &str) -> Result<Vec<usize>> {
        Ok(self.get(name)?.dims.clone())
    }

    fn contains(&self, name: &str) -> bool {
        self.get(name).is_ok()
    }

    fn n_heads(&self) -> Result<usize> {
        if self.spec != "WhisperSpec" {
            return Err(ModelError::Ct2(format!(
                "spec {} is not WhisperSpec",
                self.spec
            )));
        }
        match self.get("encoder/num_heads")?.to_f32().as_slice() {
            [n] if *n >= 1.0 => Ok(*n as usize),
            other => Err(ModelError::Ct2(format!("encoder/num_heads is {other:?}"))),
        }
    }
}
