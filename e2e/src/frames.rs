//! Whether the page kept drawing: animation frames counted in the page while something runs
//! (a page whose thread is blocked draws none until it is free again).

use anyhow::Context;
use fantoccini::Client;

/// Starts counting the page's animation frames and the longest gap between two.
///
/// # Errors
/// When the script cannot run.
pub async fn watch(c: &Client) -> anyhow::Result<()> {
    c.execute(
        "window.__zvFrames = { count: 0, gap: 0, last: performance.now(), on: true };
         const tick = (t) => {
           const w = window.__zvFrames;
           if (!w.on) return;
           w.count += 1;
           w.gap = Math.max(w.gap, t - w.last);
           w.last = t;
           requestAnimationFrame(tick);
         };
         requestAnimationFrame(tick);",
        vec![],
    )
    .await?;
    Ok(())
}

/// Stops the count started by [`watch`]: frames drawn, and the longest gap between two in
/// milliseconds (up to now).
///
/// # Errors
/// When no count was started or the script cannot run.
pub async fn seen(c: &Client) -> anyhow::Result<(u64, f64)> {
    let v = c
        .execute(
            "const w = window.__zvFrames;
             if (!w) return null;
             w.on = false;
             return [w.count, Math.max(w.gap, performance.now() - w.last)];",
            vec![],
        )
        .await?;
    let pair = v.as_array().context("no frame count was started")?;
    let count = pair.first().and_then(|n| n.as_u64()).unwrap_or(0);
    let gap = pair
        .get(1)
        .and_then(|n| n.as_f64())
        .unwrap_or(f64::INFINITY);
    Ok((count, gap))
}
