//! Writes the shipped templates, checked from their TOML files, as JSON for the app to embed:
//! the app reads templates as JSON only and carries no TOML parser.

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed=build.rs");
    let templates = templates::builtin().map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        format!(
            "the shipped templates do not pass their checks:\n{}",
            lines.join("\n")
        )
    })?;
    let json = serde_json::to_string(&templates)?;
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR")?);
    std::fs::write(out.join("builtin-templates.json"), json)?;
    Ok(())
}
