//! Any Whisper size an organisation brings: small random-weight models with the shape of each
//! architecture (tiny … large-v3-turbo, 80 and 128 mel bins, the v3 vocabulary) are written in
//! both layouts — Hugging Face safetensors and CTranslate2 — and go through the real import and
//! loading code; the real base weights, rewritten as safetensors, transcribe as before.
//! `cargo xtask weights` must have written `models/weights/` (the real vocabulary comes from it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use candle_core::quantized::gguf_file;
use candle_core::{DType, Device, Tensor};
use models::convert::Precision;
use models::decode::DecodeOptions;
use models::import::{SourceFormat, import_dir};
use models::{Backend, Compute, ModelError, SpeechModel, Transcriber};
use speech_fixtures::whisper_dir::{Ct2Var, ct2_file};

fn base_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/weights");
        let manifest = std::fs::read_to_string(format!("{dir}/manifest.json"))
            .expect("models/weights/manifest.json is missing: run `cargo xtask weights`");
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        std::fs::read(format!("{dir}/{}", manifest["file"].as_str().unwrap())).unwrap()
    })
}

fn base_tokens() -> Vec<String> {
    static TOKENS: OnceLock<Vec<String>> = OnceLock::new();
    TOKENS
        .get_or_init(|| {
            SpeechModel::load(base_bytes(), Compute::Quantized)
                .unwrap()
                .vocabulary()
                .tokens()
                .to_vec()
        })
        .clone()
}

/// The shape of one Whisper architecture, made narrow (the real head and layer counts, mel
/// bins and vocabulary; a width of a few dimensions per head).
struct Architecture {
    name: &'static str,
    heads: usize,
    width: usize,
    encoder_layers: usize,
    decoder_layers: usize,
    mels: usize,
    v3: bool,
}

const ARCHITECTURES: [Architecture; 6] = [
    Architecture {
        name: "tiny",
        heads: 6,
        width: 96,
        encoder_layers: 4,
        decoder_layers: 4,
        mels: 80,
        v3: false,
    },
    Architecture {
        name: "base",
        heads: 8,
        width: 64,
        encoder_layers: 6,
        decoder_layers: 6,
        mels: 80,
        v3: false,
    },
    Architecture {
        name: "small",
        heads: 12,
        width: 96,
        encoder_layers: 12,
        decoder_layers: 12,
        mels: 80,
        v3: false,
    },
    Architecture {
        name: "medium",
        heads: 16,
        width: 64,
        encoder_layers: 24,
        decoder_layers: 24,
        mels: 80,
        v3: false,
    },
    Architecture {
        name: "large-v3",
        heads: 20,
        width: 160,
        encoder_layers: 32,
        decoder_layers: 32,
        mels: 128,
        v3: true,
    },
    Architecture {
        name: "large-v3-turbo",
        heads: 20,
        width: 160,
        encoder_layers: 32,
        decoder_layers: 4,
        mels: 128,
        v3: true,
    },
];

/// The multilingual vocabulary of the architecture: v3 adds Cantonese before the task tokens.
fn vocabulary(arch: &Architecture) -> Vec<String> {
    let mut tokens = base_tokens();
    if arch.v3 {
        let at = tokens.iter().position(|t| t == "<|translate|>").unwrap();
        tokens.insert(at, "<|yue|>".into());
    }
    tokens
}

/// Uniform values in ±`scale` from a small generator (a different stream for every call).
fn random(shape: &[usize], scale: f32) -> Tensor {
    static SEED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0x9e37_79b9);
    let mut x = SEED.fetch_add(0x632b_e5ab, std::sync::atomic::Ordering::Relaxed) | 1;
    let n: usize = shape.iter().product();
    let values: Vec<f32> = (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x >> 40) as f32 / (1u64 << 24) as f32 * 2.0 - 1.0) * scale
        })
        .collect();
    Tensor::from_vec(values, shape, &Device::Cpu).unwrap()
}

/// Random weights under Hugging Face's names (without the `model.` prefix).
fn random_weights(arch: &Architecture, vocab: usize) -> BTreeMap<String, Tensor> {
    let d = arch.width;
    let mut w = BTreeMap::new();
    let mut put = |name: String, t: Tensor| {
        w.insert(name, t);
    };
    put(
        "encoder.conv1.weight".into(),
        random(&[d, arch.mels, 3], 0.1),
    );
    put("encoder.conv1.bias".into(), random(&[d], 0.1));
    put("encoder.conv2.weight".into(), random(&[d, d, 3], 0.1));
    put("encoder.conv2.bias".into(), random(&[d], 0.1));
    let sinusoids = models::whisper::sinusoids(1500, d);
    put(
        "encoder.embed_positions.weight".into(),
        Tensor::from_vec(sinusoids, (1500, d), &Device::Cpu).unwrap(),
    );
    put(
        "decoder.embed_tokens.weight".into(),
        random(&[vocab, d], 0.1),
    );
    put(
        "decoder.embed_positions.weight".into(),
        random(&[448, d], 0.1),
    );
    for (side, layers) in [
        ("encoder", arch.encoder_layers),
        ("decoder", arch.decoder_layers),
    ] {
        put(
            format!("{side}.layer_norm.weight"),
            Tensor::ones(d, DType::F32, &Device::Cpu).unwrap(),
        );
        put(format!("{side}.layer_norm.bias"), random(&[d], 0.1));
        for i in 0..layers {
            let mut linear = |m: &str, out: usize, inp: usize, bias: bool| {
                put(
                    format!("{side}.layers.{i}.{m}.weight"),
                    random(&[out, inp], 0.1),
                );
                if bias {
                    put(format!("{side}.layers.{i}.{m}.bias"), random(&[out], 0.1));
                }
            };
            let mut modules = vec!["self_attn"];
            if side == "decoder" {
                modules.push("encoder_attn");
            }
            for m in &modules {
                linear(&format!("{m}.q_proj"), d, d, true);
                linear(&format!("{m}.k_proj"), d, d, false);
                linear(&format!("{m}.v_proj"), d, d, true);
                linear(&format!("{m}.out_proj"), d, d, true);
            }
            linear("fc1", 4 * d, d, true);
            linear("fc2", d, 4 * d, true);
            let mut norms = vec!["self_attn_layer_norm", "final_layer_norm"];
            if side == "decoder" {
                norms.push("encoder_attn_layer_norm");
            }
            for norm in norms {
                put(
                    format!("{side}.layers.{i}.{norm}.weight"),
                    Tensor::ones(d, DType::F32, &Device::Cpu).unwrap(),
                );
                put(format!("{side}.layers.{i}.{norm}.bias"), random(&[d], 0.1));
            }
        }
    }
    // Half precision, as the published models are; both layouts get the same values.
    w.into_iter()
        .map(|(k, t)| (k, t.to_dtype(DType::F16).unwrap()))
        .collect()
}

const SUPPRESS: [u32; 3] = [1, 2, 7];

/// A Hugging Face directory: the weights in two shards, `config.json`,
/// `generation_config.json` and `tokenizer.json` (or the older `vocab.json` +
/// `added_tokens.json` without timestamp tokens).
fn write_hf(
    dir: &Path,
    weights: &BTreeMap<String, Tensor>,
    arch: &Architecture,
    tokens: &[String],
    old_tokenizer: bool,
) {
    std::fs::create_dir_all(dir).unwrap();
    let (first, second): (HashMap<_, _>, HashMap<_, _>) = weights
        .iter()
        .map(|(k, t)| (format!("model.{k}"), t.clone()))
        .partition(|(k, _)| k.contains("encoder"));
    candle_core::safetensors::save(&first, dir.join("model-00001-of-00002.safetensors")).unwrap();
    candle_core::safetensors::save(&second, dir.join("model-00002-of-00002.safetensors")).unwrap();
    let config = serde_json::json!({
        "model_type": "whisper",
        "encoder_attention_heads": arch.heads,
        "decoder_attention_heads": arch.heads,
        "num_mel_bins": arch.mels,
    });
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    let eot = tokens.iter().position(|t| t == "<|endoftext|>").unwrap();
    let generation = serde_json::json!({
        "suppress_tokens": SUPPRESS,
        "begin_suppress_tokens": [220, eot],
    });
    std::fs::write(dir.join("generation_config.json"), generation.to_string()).unwrap();
    let vocab: BTreeMap<&str, usize> = tokens[..eot]
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    if old_tokenizer {
        let first_timestamp = tokens.iter().position(|t| t == "<|0.00|>").unwrap();
        let added: BTreeMap<&str, usize> = (eot..first_timestamp)
            .map(|i| (tokens[i].as_str(), i))
            .collect();
        std::fs::write(
            dir.join("vocab.json"),
            serde_json::to_string(&vocab).unwrap(),
        )
        .unwrap();
        std::fs::write(
            dir.join("added_tokens.json"),
            serde_json::to_string(&added).unwrap(),
        )
        .unwrap();
    } else {
        let added: Vec<_> = (eot..tokens.len())
            .map(|i| serde_json::json!({"id": i, "content": tokens[i], "special": true}))
            .collect();
        let tokenizer =
            serde_json::json!({"model": {"type": "BPE", "vocab": vocab}, "added_tokens": added});
        std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    }
}

fn f16_bytes(t: &Tensor) -> Vec<u8> {
    t.flatten_all()
        .unwrap()
        .to_dtype(DType::F16)
        .unwrap()
        .to_vec1::<half::f16>()
        .unwrap()
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

/// The same weights as a CTranslate2 directory, fused the way CTranslate2 stores them.
fn write_ct2(
    dir: &Path,
    weights: &BTreeMap<String, Tensor>,
    arch: &Architecture,
    tokens: &[String],
) {
    std::fs::create_dir_all(dir).unwrap();
    let mut vars: Vec<Ct2Var> = Vec::new();
    let mut add = |name: String, t: Tensor| {
        let dims = t.dims().to_vec();
        vars.push(Ct2Var {
            name,
            dims,
            dtype: 4,
            bytes: f16_bytes(&t),
        });
    };
    let get = |n: &str| weights.get(n).unwrap_or_else(|| panic!("{n}")).clone();
    let zeros = |n: usize| Tensor::zeros(n, DType::F16, &Device::Cpu).unwrap();
    let leaf = |p: &str| if p == "weight" { "gamma" } else { "beta" };
    for side in ["encoder", "decoder"] {
        for p in ["weight", "bias"] {
            add(
                format!("{side}/layer_norm/{}", leaf(p)),
                get(&format!("{side}.layer_norm.{p}")),
            );
        }
        let layers = if side == "encoder" {
            arch.encoder_layers
        } else {
            arch.decoder_layers
        };
        for i in 0..layers {
            let hf = |m: &str| format!("{side}.layers.{i}.{m}");
            let ct = |m: &str| format!("{side}/layer_{i}/{m}");
            let qkv = ["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"];
            add(
                ct("self_attention/linear_0/weight"),
                Tensor::cat(&qkv.map(|m| get(&hf(&format!("{m}.weight")))), 0).unwrap(),
            );
            add(
                ct("self_attention/linear_0/bias"),
                Tensor::cat(
                    &[
                        get(&hf("self_attn.q_proj.bias")),
                        zeros(arch.width),
                        get(&hf("self_attn.v_proj.bias")),
                    ],
                    0,
                )
                .unwrap(),
            );
            let mut single = |ours: &str, theirs: &str| {
                for p in ["weight", "bias"] {
                    add(
                        ct(&format!("{ours}/{p}")),
                        get(&hf(&format!("{theirs}.{p}"))),
                    );
                }
            };
            single("self_attention/linear_1", "self_attn.out_proj");
            single("ffn/linear_0", "fc1");
            single("ffn/linear_1", "fc2");
            if side == "decoder" {
                single("attention/linear_0", "encoder_attn.q_proj");
                single("attention/linear_2", "encoder_attn.out_proj");
                let kv = ["encoder_attn.k_proj", "encoder_attn.v_proj"];
                add(
                    ct("attention/linear_1/weight"),
                    Tensor::cat(&kv.map(|m| get(&hf(&format!("{m}.weight")))), 0).unwrap(),
                );
                add(
                    ct("attention/linear_1/bias"),
                    Tensor::cat(
                        &[zeros(arch.width), get(&hf("encoder_attn.v_proj.bias"))],
                        0,
                    )
                    .unwrap(),
                );
            }
            let mut norm = |ours: &str, theirs: &str| {
                for p in ["weight", "bias"] {
                    add(
                        ct(&format!("{ours}/{}", leaf(p))),
                        get(&hf(&format!("{theirs}.{p}"))),
                    );
                }
            };
            norm("self_attention/layer_norm", "self_attn_layer_norm");
            norm("ffn/layer_norm", "final_layer_norm");
            if side == "decoder" {
                norm("attention/layer_norm", "encoder_attn_layer_norm");
            }
        }
    }
    for side in ["encoder", "decoder"] {
        add(
            format!("{side}/position_encodings/encodings"),
            get(&format!("{side}.embed_positions.weight")),
        );
    }
    for conv in ["conv1", "conv2"] {
        for p in ["weight", "bias"] {
            add(
                format!("encoder/{conv}/{p}"),
                get(&format!("encoder.{conv}.{p}")),
            );
        }
    }
    add(
        "decoder/embeddings/weight".into(),
        get("decoder.embed_tokens.weight"),
    );
    for side in ["encoder", "decoder"] {
        vars.push(Ct2Var {
            name: format!("{side}/num_heads"),
            dims: vec![],
            dtype: 3,
            bytes: (arch.heads as i32).to_le_bytes().to_vec(),
        });
    }
    let file = ct2_file("WhisperSpec", &vars);
    std::fs::write(dir.join("model.bin"), file).unwrap();
    let eot = tokens.iter().position(|t| t == "<|endoftext|>").unwrap();
    let config = serde_json::json!({"suppress_ids": SUPPRESS, "suppress_ids_begin": [220, eot]});
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
    std::fs::write(
        dir.join("vocabulary.json"),
        serde_json::to_string(tokens).unwrap(),
    )
    .unwrap();
}

#[test]
fn every_whisper_architecture_imports_from_both_layouts_and_runs() {
    let root = tempfile::tempdir().unwrap();
    for (n, arch) in ARCHITECTURES.iter().enumerate() {
        let tokens = vocabulary(arch);
        let weights = random_weights(arch, tokens.len());
        let hf_dir = root.path().join(format!("{}-hf", arch.name));
        let ct2_dir = root.path().join(format!("{}-ct2", arch.name));
        write_hf(&hf_dir, &weights, arch, &tokens, n % 2 == 1);
        write_ct2(&ct2_dir, &weights, arch, &tokens);

        let from_hf = import_dir(&hf_dir, Precision::Q8).unwrap();
        let from_ct2 = import_dir(&ct2_dir, Precision::Q8).unwrap();
        assert_eq!(from_hf.format, SourceFormat::Safetensors);
        assert_eq!(from_ct2.format, SourceFormat::CTranslate2);
        // The same weights in either layout make the same model file, byte for byte.
        assert!(
            from_hf.sealed == from_ct2.sealed,
            "{}: the two layouts differ",
            arch.name
        );

        let c = &from_hf.config;
        let shape = (
            c.n_mels,
            c.d_model,
            c.n_heads,
            c.encoder_layers,
            c.decoder_layers,
            c.vocab_size,
        );
        let expected = (
            arch.mels,
            arch.width,
            arch.heads,
            arch.encoder_layers,
            arch.decoder_layers,
            tokens.len(),
        );
        assert_eq!(shape, expected, "{}", arch.name);
        assert_eq!(c.suppress_ids, SUPPRESS);
        assert_eq!(tokens.len(), if arch.v3 { 51_866 } else { 51_865 });

        // Loaded by the real loading code, the model runs a window of audio end to end.
        let mut model = SpeechModel::load(&from_hf.sealed, Compute::Quantized).unwrap();
        assert_eq!(model.vocabulary().tokens(), tokens.as_slice());
        let noise: Vec<f32> = (0..16_000)
            .map(|i| ((i * 7919 % 200) as f32 - 100.0) / 1000.0)
            .collect();
        let options = DecodeOptions {
            max_tokens: 8,
            temperatures: vec![0.0],
            ..DecodeOptions::default()
        };
        let mut transcriber = Transcriber::new(&mut model, options);
        transcriber.transcribe(&noise).unwrap();
    }
}

#[test]
fn directories_that_are_not_a_dutch_whisper_model_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let empty = root.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(matches!(
        import_dir(&empty, Precision::Q8),
        Err(ModelError::Import(_))
    ));

    // An English-only vocabulary (no language tokens) cannot transcribe Dutch.
    let arch = &ARCHITECTURES[0];
    let tokens: Vec<String> = vocabulary(arch)
        .into_iter()
        .filter(|t| t != "<|nl|>")
        .collect();
    let weights = random_weights(arch, tokens.len());
    let english = root.path().join("english");
    write_hf(&english, &weights, arch, &tokens, false);
    let err = import_dir(&english, Precision::Q8).unwrap_err();
    assert!(err.to_string().contains("<|nl|>"), "{err}");

    // A tokenizer that does not cover the embedding is refused, not padded.
    let short = root.path().join("short");
    let tokens = vocabulary(arch);
    let weights = random_weights(arch, tokens.len() + 3);
    write_hf(&short, &weights, arch, &tokens, false);
    assert!(matches!(
        import_dir(&short, Precision::Q8),
        Err(ModelError::Import(_))
    ));

    // A damaged shard is an error, not a panic.
    let broken = root.path().join("broken");
    let weights = random_weights(arch, tokens.len());
    write_hf(&broken, &weights, arch, &tokens, false);
    std::fs::write(
        broken.join("model-00001-of-00002.safetensors"),
        b"not a safetensors file",
    )
    .unwrap();
    assert!(import_dir(&broken, Precision::Q8).is_err());
}

/// The shipped base weights, rewritten in Hugging Face's layout (q, k and v split again).
fn base_as_hf(dir: &Path) {
    let payload = models::container::open(base_bytes()).unwrap();
    let mut reader = Cursor::new(payload);
    let content = gguf_file::Content::read(&mut reader).unwrap();
    let model = SpeechModel::load(base_bytes(), Compute::Quantized).unwrap();
    let config = model.config().clone();
    let mut out: BTreeMap<String, Tensor> = BTreeMap::new();
    let names: Vec<String> = content.tensor_infos.keys().cloned().collect();
    for name in names {
        let t = content
            .tensor(&mut reader, &name, &Device::Cpu)
            .unwrap()
            .dequantize(&Device::Cpu)
            .unwrap();
        let renamed = name
            .replace(".ln.", ".layer_norm.")
            .replace(".attn.out.", ".self_attn.out_proj.")
            .replace(".mlp.fc1.", ".fc1.")
            .replace(".mlp.fc2.", ".fc2.")
            .replace(".xattn.q.", ".encoder_attn.q_proj.")
            .replace(".xattn.out.", ".encoder_attn.out_proj.")
            .replace(".attn_ln.", ".self_attn_layer_norm.")
            .replace(".mlp_ln.", ".final_layer_norm.")
            .replace(".xattn_ln.", ".encoder_attn_layer_norm.");
        let split = |module: &str, parts: &[&str], out: &mut BTreeMap<String, Tensor>| {
            let leaf = if renamed.ends_with("weight") {
                "weight"
            } else {
                "bias"
            };
            let base = renamed.split(module).next().unwrap().to_owned();
            let rows = t.dim(0).unwrap() / parts.len();
            for (i, part) in parts.iter().enumerate() {
                let piece = t.narrow(0, i * rows, rows).unwrap();
                if part.ends_with("k_proj") && leaf == "bias" {
                    assert_eq!(
                        piece
                            .abs()
                            .unwrap()
                            .sum_all()
                            .unwrap()
                            .to_scalar::<f32>()
                            .unwrap(),
                        0.0
                    );
                    continue;
                }
                out.insert(format!("model.{base}{part}.{leaf}"), piece);
            }
        };
        if renamed.contains(".attn.qkv.") {
            split(
                "attn.qkv",
                &["self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj"],
                &mut out,
            );
        } else if renamed.contains(".xattn.kv.") {
            split(
                "xattn.kv",
                &["encoder_attn.k_proj", "encoder_attn.v_proj"],
                &mut out,
            );
        } else {
            out.insert(format!("model.{renamed}"), t);
        }
    }
    let sinusoids = models::whisper::sinusoids(config.n_audio_ctx, config.d_model);
    out.insert(
        "model.encoder.embed_positions.weight".into(),
        Tensor::from_vec(
            sinusoids,
            (config.n_audio_ctx, config.d_model),
            &Device::Cpu,
        )
        .unwrap(),
    );
    let tensors: HashMap<String, Tensor> = out.into_iter().collect();
    std::fs::create_dir_all(dir).unwrap();
    candle_core::safetensors::save(&tensors, dir.join("model.safetensors")).unwrap();
    let arch = Architecture {
        name: "base",
        heads: config.n_heads,
        width: config.d_model,
        encoder_layers: 6,
        decoder_layers: 6,
        mels: 80,
        v3: false,
    };
    write_hf(
        dir,
        &BTreeMap::new(),
        &arch,
        model.vocabulary().tokens(),
        false,
    );
    // `write_hf` wrote empty shards for the empty map: the real weights are in model.safetensors.
    for shard in [
        "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors",
    ] {
        std::fs::remove_file(dir.join(shard)).unwrap();
    }
    let generation = serde_json::json!({
        "suppress_tokens": config.suppress_ids,
        "begin_suppress_tokens": config.suppress_ids_begin,
    });
    std::fs::write(dir.join("generation_config.json"), generation.to_string()).unwrap();
}

#[test]
fn the_real_base_weights_read_the_same_from_safetensors() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("whisper-base");
    base_as_hf(&dir);
    let imported = import_dir(&dir, Precision::Q8).unwrap();
    let audio = speech_fixtures::speak("nl", "Mevrouw heeft een afspraak bij het OCMW op dinsdag.")
        .unwrap();
    let text = |bytes: &[u8]| {
        let mut model = SpeechModel::load(bytes, Compute::Quantized).unwrap();
        let mut transcriber = Transcriber::new(&mut model, DecodeOptions::default());
        let segments = transcriber.transcribe(&audio).unwrap();
        segments
            .iter()
            .map(|s| s.text.trim().to_owned())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let original = text(base_bytes());
    assert!(original.split_whitespace().count() >= 4, "{original}");
    assert_eq!(text(&imported.sealed), original);
    assert_eq!(
        models::whisper::read_config(&imported.sealed).unwrap(),
        *SpeechModel::load(base_bytes(), Compute::Quantized)
            .unwrap()
            .config()
    );
}
