//! Brings the Helsinki Design System's style sheets into the binary from
//! `ui/node_modules` (installed by `npm ci --prefix ui`, which the scripts
//! run). They are not copied into the repository.
//!
//! Without them the build fails with a message that says what to run: a
//! binary whose pages render unstyled is never built silently. A developer
//! who only needs the Rust side may build without them by setting
//! `KIRJO_ALLOW_UNSTYLED=1`; such a binary serves placeholders that say so,
//! and a test (`crates/web/tests/health.rs`) fails on it.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let lib = Path::new(&manifest).join("../../ui/node_modules/hds-core/lib");
    println!("cargo:rerun-if-env-changed=KIRJO_ALLOW_UNSTYLED");
    let allow_unstyled = std::env::var("KIRJO_ALLOW_UNSTYLED").is_ok_and(|v| v == "1");
    for (from, to) in [
        ("base.min.css", "hds-base.css"),
        ("components/all.min.css", "hds-components.css"),
    ] {
        let source = lib.join(from);
        println!("cargo:rerun-if-changed={}", source.display());
        let css = match std::fs::read_to_string(&source) {
            Ok(css) => css,
            Err(_) if allow_unstyled => {
                println!(
                    "cargo:warning=hds-core not installed ({}): built UNSTYLED because KIRJO_ALLOW_UNSTYLED=1; run `npm ci --prefix ui` for a binary to ship",
                    source.display()
                );
                format!("/* hds-core was not installed when Kirjo was built: {from} */\n")
            }
            Err(e) => {
                eprintln!(
                    "\nerror: the Helsinki Design System's style sheets are missing:\n  {} ({e})\n\n\
                     Kirjo's pages need them and the binary carries them. Install them with\n\n    \
                     npm ci --prefix ui\n\n\
                     (./scripts/demo and ./scripts/test do it for you). To build for the Rust\n\
                     side only, with unstyled pages, set KIRJO_ALLOW_UNSTYLED=1.\n",
                    source.display()
                );
                std::process::exit(1);
            }
        };
        if let Err(e) = std::fs::write(Path::new(&out).join(to), css) {
            eprintln!("error: cannot write {to} into {out}: {e}");
            std::process::exit(1);
        }
    }
}
