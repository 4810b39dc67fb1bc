//! Reader for CTranslate2 `model.bin` files (the format the upstream Whisper weights come in).
//!
//! Layout, all little-endian: u32 binary version; spec name (u16 length including a trailing
//! NUL, then bytes); u32 spec revision; u32 variable count; per variable: name, u8 rank, rank ×
//! u32 dims, u8 dtype (0 f32, 1 i8, 2 i16, 3 i32, 4 f16, 5 bf16), u32 byte count, raw bytes;
//! then u32 alias count and (alias, target) name pairs.

use crate::error::{ModelError, Result};

/// Element type of a CTranslate2 variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Dtype {
    /// 32-bit float.
    F32,
    /// 8-bit integer.
    I8,
    /// 16-bit integer.
    I16,
    /// 32-bit integer.
    I32,
    /// IEEE half precision.
    F16,
    /// bfloat16.
    Bf16,
}

impl Ct2Dtype {
    fn from_code(code: u8) -> Result<Self> {
        Ok(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            other => return Err(ModelError::Ct2(format!("unknown dtype code {other}"))),
        })
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }
}

/// One named tensor of the file, borrowing its bytes.
#[derive(Debug, Clone)]
pub struct Ct2Variable<'a> {
    /// Variable name, e.g. `encoder/layer_0/ffn/linear_0/weight`.
    pub name: String,
    /// Dimensions, outermost first.
    pub dims: Vec<usize>,
    /// Element type.
    pub dtype: Ct2Dtype,
    /// Raw little-endian data.
    pub data: &'a [u8],
}

impl Ct2Variable<'_> {
    /// The values as f32 (f32, f16, bf16 and integer variables).
    pub fn to_f32(&self) -> Vec<f32> {
        match self.dtype {
            Ct2Dtype::F32 => self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Ct2Dtype::F16 => self
                .data
                .chunks_exact(2)
                .map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Ct2Dtype::Bf16 => self
                .data
                .chunks_exact(2)
                .map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32())
                .collect(),
            Ct2Dtype::I8 => self.data.iter().map(|&b| f32::from(b as i8)).collect(),
            Ct2Dtype::I16 => self
                .data
                .chunks_exact(2)
                .map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])))
                .collect(),
            Ct2Dtype::I32 => self
                .data
                .chunks_exact(4)
                .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f32)
                .collect(),
        }
    }
}

/// A parsed CTranslate2 model.
#[derive(Debug)]
pub struct Ct2Model<'a> {
    /// Spec name, e.g. `WhisperSpec`.
    pub spec: String,
    /// Spec revision.
    pub revision: u32,
    /// Variables in file order.
    pub variables: Vec<Ct2Variable<'a>>,
    /// Alias → target variable name.
    pub aliases: Vec<(String, String)>,
}

impl<'a> Ct2Model<'a> {
    /// Parses a whole file held in memory.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        let mut r = Reader { bytes, pos: 0 };
        let version = r.u32("binary version")?;
        if !(5..=6).contains(&version) {
            return Err(ModelError::Ct2(format!(
                "unsupported binary version {version} (5 or 6 expected)"
            )));
        }
        let spec = r.string("spec name")?;
        let revision = r.u32("spec revision")?;
        let count = r.u32("variable count")? as usize;
        let mut variables = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let name = r.string("variable name")?;
            let rank = r.u8(&name)? as usize;
            let mut dims = Vec::with_capacity(rank);
            for _ in 0..rank {
                dims.push(r.u32(&name)? as usize);
            }
            let dtype = Ct2Dtype::from_code(r.u8(&name)?)?;
            let byte_count = r.u32(&name)? as usize;
            let elements: usize = dims.iter().product();
            if elements.checked_mul(dtype.size()) != Some(byte_count) {
                return Err(ModelError::Ct2(format!(
                    "{name}: {byte_count} bytes do not match dims {dims:?} of {dtype:?}"
                )));
            }
            let data = r.take(byte_count, &name)?;
            variables.push(Ct2Variable {
                name,
                dims,
                dtype,
                data,
            });
        }
        let mut aliases = Vec::new();
        if r.pos < bytes.len() {
            let alias_count = r.u32("alias count")?;
            for _ in 0..alias_count {
                let alias = r.string("alias")?;
                let target = r.string("alias target")?;
                aliases.push((alias, target));
            }
        }
        Ok(Self {
            spec,
            revision,
            variables,
            aliases,
        })
    }

    /// The variable called `name`, following aliases.
    pub fn get(&self, name: &str) -> Result<&Ct2Variable<'a>> {
        let target = self
            .aliases
            .iter()
            .find(|(alias, _)| alias == name)
            .map_or(name, |(_, target)| target.as_str());
        self.variables
            .iter()
            .find(|v| v.name == target)
            .ok_or_else(|| ModelError::Ct2(format!("variable {name} is missing")))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(ModelError::Truncated(format!(
                "{what} needs {n} bytes at offset {} of {}",
                self.pos,
                self.bytes.len()
            )));
        };
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16> {
        let b = self.take(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn string(&mut self, what: &str) -> Result<String> {
        let len = self.u16(what)? as usize;
        let raw = self.take(len, what)?;
        let raw = raw.strip_suffix(&[0]).unwrap_or(raw);
        String::from_utf8(raw.to_vec())
            .map_err(|_| ModelError::Ct2(format!("{what} is not UTF-8 at offset {}", self.pos)))
    }
}
