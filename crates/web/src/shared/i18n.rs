//! The pages' words, in Fluent files: Finnish first, Swedish and English.
//! Every key is in every language (a test checks it, and that every key the
//! templates and handlers use exists).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use kirjo_domain::contact::Lang;
use std::sync::OnceLock;

pub const FI: &str = include_str!("../../i18n/fi.ftl");
pub const SV: &str = include_str!("../../i18n/sv.ftl");
pub const EN: &str = include_str!("../../i18n/en.ftl");

/// The languages in the order the switch shows them, each with its own
/// name in itself.
pub const LANGUAGES: [(Lang, &str); 3] = [
    (Lang::Fi, "Suomeksi"),
    (Lang::Sv, "På svenska"),
    (Lang::En, "In English"),
];

type Bundle = FluentBundle<FluentResource>;

fn build(lang: &str, source: &'static str) -> Option<Bundle> {
    let id: unic_langid::LanguageIdentifier = lang.parse().ok()?;
    let resource = FluentResource::try_new(source.to_owned()).ok()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would show up in copied text and tests.
    bundle.set_use_isolating(false);
    bundle.add_resource(resource).ok()?;
    Some(bundle)
}

fn bundles() -> &'static [Option<Bundle>; 3] {
    static BUNDLES: OnceLock<[Option<Bundle>; 3]> = OnceLock::new();
    BUNDLES.get_or_init(|| [build("fi", FI), build("sv", SV), build("en", EN)])
}

/// Translations in one language, for a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// `fi`, `sv` or `en`: for the `lang` attribute.
    pub fn code(&self) -> &'static str {
        self.lang.as_str()
    }

    fn bundle(&self) -> Option<&'static Bundle> {
        let i = match self.lang {
            Lang::Fi => 0,
            Lang::Sv => 1,
            Lang::En => 2,
        };
        bundles()[i].as_ref()
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(bundle) = self.bundle() else {
            return key.to_owned();
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            // A missing key shows as itself, and the test catches it.
            return key.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The text of `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(value.to_string()));
        self.format(key, Some(&args))
    }

    /// The text of `key` with three number arguments.
    pub fn t3(&self, key: &str, a: &(&str, i64), b: &(&str, i64), c: &(&str, i64)) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in [a, b, c] {
            args.set(*name, FluentValue::from(*value));
        }
        self.format(key, Some(&args))
    }

    /// The text of `key` with a number argument (for plural forms).
    pub fn n(&self, key: &str, name: &str, value: impl std::borrow::Borrow<i64>) -> String {
        let mut args = FluentArgs::new();
        args.set(name, FluentValue::from(*value.borrow()));
        self.format(key, Some(&args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn ids(source: &str) -> BTreeSet<String> {
        let resource = match fluent_syntax::parser::parse(source) {
            Ok(r) => r,
            Err((_, errors)) => {
                assert!(errors.is_empty(), "Fluent syntax errors: {errors:?}");
                return BTreeSet::new();
            }
        };
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_language_has_every_key() {
        let fi = ids(FI);
        assert!(fi.len() > 50, "the Finnish file has {} keys", fi.len());
        for (name, source) in [("sv", SV), ("en", EN)] {
            let other = ids(source);
            let missing: Vec<_> = fi.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fi).collect();
            assert!(missing.is_empty(), "{name} lacks {missing:?}");
            assert!(extra.is_empty(), "{name} has keys Finnish lacks: {extra:?}");
        }
        for lang in [Lang::Fi, Lang::Sv, Lang::En] {
            assert!(Tr::new(lang).bundle().is_some(), "{lang:?} does not load");
        }
    }

    /// Every key used as `.t("…")`, `.t1("…"`, `.n("…"` in the templates and
    /// the page code is in the Finnish file (and so, above, in all).
    #[test]
    fn every_key_used_exists() {
        let fi = ids(FI);
        // Every template and every Rust file of the crate, in every folder
        // but this one.
        let root = env!("CARGO_MANIFEST_DIR");
        let mut sources: Vec<String> = Vec::new();
        let mut dirs = vec![
            std::path::PathBuf::from(root).join("templates"),
            std::path::PathBuf::from(root).join("src"),
        ];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.ends_with("shared/i18n.rs") {
                    // This file: its tests name keys that must not exist.
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    sources.push(text);
                }
            }
        }
        let mut used = BTreeSet::new();
        for source in &sources {
            for opener in [".t(\"", ".t1(\"", ".t3(\"", ".n(\""] {
                for (i, _) in source.match_indices(opener) {
                    let rest = &source[i + opener.len()..];
                    if let Some(end) = rest.find('"') {
                        used.insert(rest[..end].to_owned());
                    }
                }
            }
        }
        assert!(used.len() > 40, "found only {} keys in use", used.len());
        let missing: Vec<_> = used.iter().filter(|k| !fi.contains(*k)).collect();
        assert!(
            missing.is_empty(),
            "keys used but not translated: {missing:?}"
        );
    }

    #[test]
    fn arguments_and_plurals_format() {
        let fi = Tr::new(Lang::Fi);
        assert_eq!(fi.n("recovery-left", "count", 1), "1 varakoodi jäljellä");
        assert_eq!(fi.n("recovery-left", "count", 3), "3 varakoodia jäljellä");
        let en = Tr::new(Lang::En);
        assert_eq!(en.n("recovery-left", "count", 1), "1 recovery code left");
        assert_eq!(Tr::new(Lang::Sv).t("nav-search"), "Sök");
        assert_eq!(fi.t("no-such-key"), "no-such-key");
    }
}
