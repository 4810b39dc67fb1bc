//! Accessibility: axe-core (npm `axe-core` 4.x, installed by `scripts/setup.sh` into
//! `.tools/axe`) run on the page as it stands, against WCAG 2.0 and 2.1 levels A and AA, and
//! WCAG 2.2's minimum target size (24 by 24 CSS pixels, success criterion 2.5.8). A journey
//! calls it on every screen it reaches (see [`crate::page::screen`]) and fails on any
//! violation.

use std::sync::OnceLock;

use anyhow::{Context, bail};
use fantoccini::Client;

/// The rule tags checked: WCAG 2.0 and 2.1, levels A and AA; `wcag22aa` adds the target
/// size rule (`target-size`), which axe leaves off unless a run enables it by name.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']";

/// `axe.min.js`: `$AXE_JS`, or `.tools/axe/node_modules/axe-core/axe.min.js`.
fn source() -> anyhow::Result<&'static str> {
    static SOURCE: OnceLock<Result<String, String>> = OnceLock::new();
    let loaded = SOURCE.get_or_init(|| {
        let path = std::env::var_os("AXE_JS").map_or_else(
            || {
                std::path::PathBuf::from(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/../.tools/axe/node_modules/axe-core/axe.min.js"
                ))
            },
            std::path::PathBuf::from,
        );
        std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "{}: {e} (run scripts/test.sh, which installs axe-core)",
                path.display()
            )
        })
    });
    loaded.as_deref().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The violations axe finds on the page, one line each with up to five offending elements.
///
/// # Errors
/// When axe cannot be loaded or run.
pub async fn violations(c: &Client) -> anyhow::Result<Vec<String>> {
    let loaded = c
        .execute("return typeof window.axe === 'object';", vec![])
        .await?;
    if loaded != serde_json::Value::Bool(true) {
        c.execute(source()?, vec![])
            .await
            .context("cannot load axe-core into the page")?;
    }
    let script = format!(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }},
                               rules: {{ 'target-size': {{ enabled: true }} }},
                               resultTypes: ['violations'] }})
           .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + '\\n    '
               + v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — '
                   + (n.failureSummary || '').replace(/\\n/g, ' ')).join('\\n    '))
               .concat(!document.querySelector('button, input, select, textarea')
                   || r.passes.concat(r.violations, r.incomplete).some(v => v.id === 'target-size')
                   ? [] : ['target-size did not run: no control was measured'])))
           .catch(e => done(['axe failed: ' + e]));"
    );
    let found = c.execute_async(&script, vec![]).await?;
    Ok(found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Fails when axe finds a WCAG 2.1 AA (or 2.2 target size) violation on the page; `screen`
/// names it in the error.
///
/// # Errors
/// On any violation, or when axe cannot run.
pub async fn check(c: &Client, screen: &str) -> anyhow::Result<()> {
    let found = violations(c).await?;
    if !found.is_empty() {
        bail!(
            "{screen}: {} accessibility violation(s) (WCAG 2.1 AA and 2.2 target size, axe-core):\n{}",
            found.len(),
            found.join("\n")
        );
    }
    Ok(())
}
