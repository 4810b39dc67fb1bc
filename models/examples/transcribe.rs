//! Transcribes WAV files with the converted model and prints timed segments.
//!
//! `cargo run -p models --example transcribe -- [--dense] FILE.wav...`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use models::decode::DecodeOptions;
use models::{Compute, SpeechModel, Transcriber};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dense = args.iter().any(|a| a == "--dense");
    args.retain(|a| a != "--dense");
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/weights");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{root}/manifest.json")).unwrap())
            .unwrap();
    let bytes = std::fs::read(format!("{root}/{}", manifest["file"].as_str().unwrap())).unwrap();
    let t = Instant::now();
    let compute = if dense {
        Compute::Dense
    } else {
        Compute::Quantized
    };
    let model = SpeechModel::load(&bytes, compute).unwrap();
    eprintln!("loaded in {:.2} s", t.elapsed().as_secs_f64());
    let mut backend = Some(model);
    if std::env::var("PROFILE").is_ok() {
        use models::Backend;
        let m = backend.as_mut().unwrap();
        let mel = models::mel::MelExtractor::new(80);
        let t = Instant::now();
        let f = mel.window(&vec![0.01f32; 16000 * 10]);
        eprintln!("mel {:.3} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        m.encode(&f, 3000).unwrap();
        eprintln!("encode {:.3} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        m.decode(&[50258, 50271, 50359], true).unwrap();
        for i in 0..50 {
            m.decode(&[400 + i], false).unwrap();
        }
        eprintln!("50 decode steps {:.3} s", t.elapsed().as_secs_f64());
    }
    for path in args {
        let audio = models::audio::read_wav(&std::fs::read(&path).unwrap()).unwrap();
        let samples = models::audio::to_16k(&audio);
        let mut tr = Transcriber::new(backend.take().unwrap(), DecodeOptions::default());
        let t = Instant::now();
        let segments = tr.transcribe(&samples).unwrap();
        let secs = t.elapsed().as_secs_f64();
        let dur = samples.len() as f64 / 16000.0;
        for s in &segments {
            println!("[{:>7} → {:>7}] {}", s.start_ms, s.end_ms, s.text);
        }
        eprintln!(
            "{path}: {dur:.1} s audio in {secs:.2} s (RTF {:.3}), {} windows",
            secs / dur,
            tr.windows_decoded()
        );
        backend = Some(tr.into_backend());
    }
}
