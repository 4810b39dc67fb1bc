//! `spoken-cases SRC OUT [--limit N]`: writes a spoken version of every drafting case in `SRC`
//! that has spoken lines into `OUT`, for `zorgvuldig-eval --audio OUT`: the case itself
//! (`NAME.txt`, `NAME.expected.toml`), `NAME.wav` (espeak-ng, one voice per speaker, 16 kHz)
//! and `NAME.speakers.tsv` (who spoke when). Needs espeak-ng (`scripts/setup.sh`).

use std::path::PathBuf;
use std::process::ExitCode;

use speech_fixtures::dialogues::speak_case;

fn main() -> ExitCode {
    match run() {
        Ok(n) => {
            eprintln!("spoken-cases: {n} cases written");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("spoken-cases: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<usize, Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(src), Some(out)) = (
        args.next().map(PathBuf::from),
        args.next().map(PathBuf::from),
    ) else {
        return Err("usage: spoken-cases SRC OUT [--limit N]".into());
    };
    let limit: usize = speech_fixtures::arg("--limit")?.unwrap_or(usize::MAX);
    std::fs::create_dir_all(&out)?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&src)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let mut written = 0;
    for path in paths {
        if written >= limit {
            break;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .ok_or("a case file without a name")?
            .to_owned();
        let text = std::fs::read_to_string(&path)?;
        let Some((dialogue, letters)) = speak_case(name.clone(), &text)? else {
            continue;
        };
        std::fs::copy(&path, out.join(format!("{name}.txt")))?;
        let expected = format!("{name}.expected.toml");
        std::fs::copy(src.join(&expected), out.join(&expected))?;
        std::fs::write(
            out.join(format!("{name}.wav")),
            models::audio::wav_bytes(&dialogue.samples, 16_000),
        )?;
        let mut tsv = String::from("start_ms\tend_ms\tspeaker\ttext\n");
        for ((turn, letter), said) in dialogue.turns.iter().zip(&letters).zip(&dialogue.texts) {
            tsv.push_str(&format!(
                "{}\t{}\t{letter}\t{}\n",
                turn.start_ms,
                turn.end_ms,
                said.replace(['\t', '\n'], " ")
            ));
        }
        std::fs::write(out.join(format!("{name}.speakers.tsv")), tsv)?;
        written += 1;
    }
    Ok(written)
}
