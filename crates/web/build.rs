//! Brings the Helsinki Design System's style sheets into the binary from
//! `ui/node_modules` (installed by `npm ci --prefix ui`, which the scripts
//! run). They are not copied into the repository. Without them the pages
//! still work on Kirjo's own style sheet, and the build says so.

use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let out = std::env::var("OUT_DIR").unwrap_or_default();
    let lib = Path::new(&manifest).join("../../ui/node_modules/hds-core/lib");
    for (from, to) in [
        ("base.min.css", "hds-base.css"),
        ("components/all.min.css", "hds-components.css"),
    ] {
        let source = lib.join(from);
        println!("cargo:rerun-if-changed={}", source.display());
        let css = match std::fs::read_to_string(&source) {
            Ok(css) => css,
            Err(_) => {
                println!(
                    "cargo:warning=hds-core not installed ({}): run `npm ci --prefix ui`; the pages fall back to Kirjo's own style sheet",
                    source.display()
                );
                format!("/* hds-core was not installed when Kirjo was built: {from} */\n")
            }
        };
        let _ = std::fs::write(Path::new(&out).join(to), css);
    }
}
