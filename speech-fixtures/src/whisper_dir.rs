//! Whisper model directories for tests: the CTranslate2 `model.bin` serialiser and a tiny
//! random-weight model (one block each side, width 64) with a synthetic vocabulary — the shape
//! of an organisation's model directory, small enough for any test.

use std::path::Path;

/// One CTranslate2 variable.
#[derive(Debug, Clone)]
pub struct Ct2Var {
    /// Name, e.g. `encoder/conv1/weight`.
    pub name: String,
    /// Dimensions, outermost first.
    pub dims: Vec<usize>,
    /// CTranslate2 dtype code (0 f32, 1 i8, 3 i32, 4 f16).
    pub dtype: u8,
    /// Little-endian data.
    pub bytes: Vec<u8>,
}

impl Ct2Var {
    /// An f32 variable.
    pub fn f32(name: impl Into<String>, dims: &[usize], values: &[f32]) -> Self {
        Self {
            name: name.into(),
            dims: dims.to_vec(),
            dtype: 0,
            bytes: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }
}

/// A CTranslate2 `model.bin` (binary version 6) of `spec` holding `vars`, without aliases.
pub fn ct2_file(spec: &str, vars: &[Ct2Var]) -> Vec<u8> {
    let string = |out: &mut Vec<u8>, s: &str| {
        out.extend(((s.len() + 1) as u16).to_le_bytes());
        out.extend(s.as_bytes());
        out.push(0);
    };
    let mut file = Vec::new();
    file.extend(6u32.to_le_bytes());
    string(&mut file, spec);
    file.extend(3u32.to_le_bytes());
    file.extend((vars.len() as u32).to_le_bytes());
    for var in vars {
        string(&mut file, &var.name);
        file.push(var.dims.len() as u8);
        for d in &var.dims {
            file.extend((*d as u32).to_le_bytes());
        }
        file.push(var.dtype);
        file.extend((var.bytes.len() as u32).to_le_bytes());
        file.extend(&var.bytes);
    }
    file.extend(0u32.to_le_bytes());
    file
}

/// A synthetic multilingual vocabulary: the 256 byte tokens, the special tokens the engine
/// looks up (with Dutch) and the 1,501 timestamps.
pub fn synthetic_vocabulary() -> Vec<String> {
    // GPT-2's byte table: printable bytes stand for themselves, the others for U+0100 onwards.
    let mut next = 0x100;
    let mut tokens: Vec<String> = (0u32..256)
        .map(|b| {
            let printable = (0x21..=0x7e).contains(&b)
                || (0xa1..=0xac).contains(&b)
                || (0xae..=0xff).contains(&b);
            let c = if printable {
                b
            } else {
                next += 1;
                next - 1
            };
            char::from_u32(c).map(String::from).unwrap_or_default()
        })
        .collect();
    for special in [
        "<|endoftext|>",
        "<|startoftranscript|>",
        "<|en|>",
        "<|nl|>",
        "<|translate|>",
        "<|transcribe|>",
        "<|startoflm|>",
        "<|startofprev|>",
        "<|nocaptions|>",
        "<|notimestamps|>",
    ] {
        tokens.push(special.into());
    }
    tokens.extend((0..1501).map(|i| format!("<|{}.{:02}|>", i / 50, i % 50 * 2)));
    tokens
}

/// Writes a tiny random-weight Whisper model as a CTranslate2 directory (`model.bin`,
/// `config.json`, `vocabulary.json`); `seed` varies the weights.
pub fn write_tiny_ct2(dir: &Path, seed: u64) -> std::io::Result<()> {
    const D: usize = 64;
    const MELS: usize = 80;
    let tokens = synthetic_vocabulary();
    let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut random = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                ((x >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * 0.1
            })
            .collect()
    };
    let mut vars = Vec::new();
    let mut add = |name: String, dims: &[usize], values: Vec<f32>| {
        vars.push(Ct2Var::f32(name, dims, &values));
    };
    add(
        "encoder/conv1/weight".into(),
        &[D, MELS, 3],
        random(D * MELS * 3),
    );
    add("encoder/conv1/bias".into(), &[D], random(D));
    add("encoder/conv2/weight".into(), &[D, D, 3], random(D * D * 3));
    add("encoder/conv2/bias".into(), &[D], random(D));
    add(
        "encoder/position_encodings/encodings".into(),
        &[1500, D],
        models::whisper::sinusoids(1500, D),
    );
    add(
        "decoder/position_encodings/encodings".into(),
        &[448, D],
        random(448 * D),
    );
    add(
        "decoder/embeddings/weight".into(),
        &[tokens.len(), D],
        random(tokens.len() * D),
    );
    for side in ["encoder", "decoder"] {
        add(format!("{side}/layer_norm/gamma"), &[D], vec![1.0; D]);
        add(format!("{side}/layer_norm/beta"), &[D], random(D));
        let layer = |s: &str| format!("{side}/layer_0/{s}");
        let mut linears = vec![
            ("self_attention/linear_0", 3 * D, D),
            ("self_attention/linear_1", D, D),
            ("ffn/linear_0", 4 * D, D),
            ("ffn/linear_1", D, 4 * D),
        ];
        let mut norms = vec!["self_attention/layer_norm", "ffn/layer_norm"];
        if side == "decoder" {
            linears.extend([
                ("attention/linear_0", D, D),
                ("attention/linear_1", 2 * D, D),
                ("attention/linear_2", D, D),
            ]);
            norms.push("attention/layer_norm");
        }
        for (name, rows, cols) in linears {
            add(
                layer(&format!("{name}/weight")),
                &[rows, cols],
                random(rows * cols),
            );
            add(layer(&format!("{name}/bias")), &[rows], random(rows));
        }
        for name in norms {
            add(layer(&format!("{name}/gamma")), &[D], vec![1.0; D]);
            add(layer(&format!("{name}/beta")), &[D], random(D));
        }
    }
    for side in ["encoder", "decoder"] {
        vars.push(Ct2Var {
            name: format!("{side}/num_heads"),
            dims: vec![],
            dtype: 3,
            bytes: 2i32.to_le_bytes().to_vec(),
        });
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("model.bin"), ct2_file("WhisperSpec", &vars))?;
    let eot = tokens
        .iter()
        .position(|t| t == "<|endoftext|>")
        .unwrap_or(256);
    let config = serde_json::json!({"suppress_ids": [1, 2], "suppress_ids_begin": [eot]});
    std::fs::write(dir.join("config.json"), config.to_string())?;
    std::fs::write(
        dir.join("vocabulary.json"),
        serde_json::Value::from(tokens).to_string(),
    )?;
    Ok(())
}
