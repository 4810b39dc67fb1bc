//! Security headers sent with every response.

use actix_web::middleware::DefaultHeaders;

/// Content-Security-Policy of the app.
///
/// Scripts only from the relay itself; `'wasm-unsafe-eval'` lets the page compile its own
/// WebAssembly (and nothing else: no `eval`, no inline scripts or styles). Workers and media may
/// use `blob:` URLs made by the app from local data (recordings are played from memory).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; \
    img-src 'self' data: blob:; \
    media-src 'self' blob:; \
    worker-src 'self' blob:; \
    connect-src 'self'; \
    font-src 'self'; \
    object-src 'none'; \
    base-uri 'none'; \
    form-action 'self'; \
    frame-ancestors 'none'";

/// The middleware adding the security headers.
pub fn security_headers(hsts_max_age_secs: u64) -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
        .add((
            "Strict-Transport-Security",
            format!("max-age={hsts_max_age_secs}"),
        ))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
        // Cross-origin isolation: needed for SharedArrayBuffer (multi-threaded WebAssembly).
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cross-Origin-Embedder-Policy", "require-corp"))
        .add(("Cross-Origin-Resource-Policy", "same-origin"))
        .add((
            "Permissions-Policy",
            "microphone=(self), camera=(), geolocation=(), payment=()",
        ))
}
