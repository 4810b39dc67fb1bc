//! Chrome DevTools Protocol commands sent through ChromeDriver (`goog/cdp/execute`), for what
//! WebDriver cannot ask: whether the browser would let the worker install the app.

use anyhow::{Context, ensure};
use fantoccini::Client;
use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::Value;

/// A ChromeDriver extension command: `POST /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
pub(crate) struct SessionPost {
    /// The path after the session, e.g. `goog/cdp/execute`.
    pub path: &'static str,
    /// The JSON body.
    pub body: String,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.clone()))
    }
}

/// Runs DevTools command `cmd` with `params` on the current page and returns its result.
///
/// # Errors
/// When ChromeDriver or the browser refuses the command.
pub async fn execute(c: &Client, cmd: &str, params: Value) -> anyhow::Result<Value> {
    let body = serde_json::json!({ "cmd": cmd, "params": params }).to_string();
    c.issue_cmd(SessionPost {
        path: "goog/cdp/execute",
        body,
    })
    .await
    .with_context(|| format!("DevTools command {cmd} failed"))
}

/// Fails unless the browser finds the page installable as an app: a manifest it parsed without
/// errors, whose icons all load at their declared sizes, and no installability errors
/// (manifest, icons, service worker, secure origin).
///
/// # Errors
/// Every reason the browser gives, in its own words.
pub async fn check_installable(c: &Client) -> anyhow::Result<()> {
    let manifest = execute(c, "Page.getAppManifest", Value::Object(Default::default())).await?;
    let manifest_errors = manifest["errors"].as_array().cloned().unwrap_or_default();
    ensure!(
        manifest["url"].as_str().is_some_and(|u| !u.is_empty()),
        "the page links no web app manifest"
    );
    ensure!(
        manifest_errors.is_empty(),
        "the manifest has errors: {manifest_errors:?}"
    );
    // Every icon it lists loads, at the size it declares (the PNGs that Android, Windows and
    // iOS use where Chromium would also take the SVG).
    let icons = c
        .execute_async(
            "const done = arguments[0];
             const link = document.querySelector('link[rel=manifest]');
             fetch(link.href).then((r) => r.json()).then((m) => Promise.all(m.icons.map((i) =>
               new Promise((ok) => {
                 const img = new Image();
                 img.onload = () => ok(i.sizes === 'any'
                   || i.sizes === img.naturalWidth + 'x' + img.naturalHeight ? null
                   : i.src + ' is ' + img.naturalWidth + 'x' + img.naturalHeight);
                 img.onerror = () => ok(i.src + ' does not load');
                 img.src = i.src;
               }))))
               .then((found) => done({ count: found.length, bad: found.filter((f) => f) }),
                     (e) => done({ count: 0, bad: ['manifest: ' + e] }));",
            vec![],
        )
        .await?;
    let bad = icons["bad"].as_array().cloned().unwrap_or_default();
    ensure!(bad.is_empty(), "manifest icons: {bad:?}");
    ensure!(
        icons["count"].as_u64().unwrap_or(0) >= 3,
        "the manifest lists fewer icons than the SVG and the 192 and 512 pixel PNGs: {icons}"
    );
    let found = execute(
        c,
        "Page.getInstallabilityErrors",
        Value::Object(Default::default()),
    )
    .await?;
    let errors = found["installabilityErrors"]
        .as_array()
        .context("no installability answer")?;
    ensure!(
        errors.is_empty(),
        "the browser would not install the app: {errors:?}"
    );
    Ok(())
}
