//! `zorgvuldig-templates check [DIR]`: checks every template file in DIR (default: the
//! shipped `templates/data`), printing each problem as `file:line: message`.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = match args.as_slice() {
        [cmd] if cmd == "check" => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data")),
        [cmd, dir] if cmd == "check" => PathBuf::from(dir),
        _ => return Err("usage: zorgvuldig-templates check [DIR]".into()),
    };
    let mut files = Vec::new();
    let unreadable =
        |path: &std::path::Path, e: std::io::Error| format!("cannot read {}: {e}", path.display());
    for entry in std::fs::read_dir(&dir).map_err(|e| unreadable(&dir, e))? {
        let path = entry.map_err(|e| unreadable(&dir, e))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
            files.push((path.display().to_string(), text));
        }
    }
    files.sort();
    match templates::check_files(files.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        Ok(found) => {
            for t in &found {
                println!(
                    "ok  {} — {} ({} sections)",
                    t.key(),
                    t.title,
                    t.sections.len()
                );
            }
            println!("{} template file(s) checked, no problems", found.len());
            Ok(())
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            Err(format!("{} problem(s) in {}", errors.len(), dir.display()))
        }
    }
}
