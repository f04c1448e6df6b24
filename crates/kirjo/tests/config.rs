//! Configuration: loading, overrides, validation and `kirjo config check`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{kirjo, run, stderr, stdout, temp_dir};
use kirjo::config::{self, ConfigError, ConfigSource};
use std::collections::HashMap;

fn no_env(_: &str) -> Option<String> {
    None
}

fn demo_text() -> String {
    std::fs::read_to_string(common::demo_config()).unwrap()
}

fn load_text(text: &str) -> Result<config::Loaded, ConfigError> {
    load_text_env(text, &no_env)
}

fn load_text_env(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<config::Loaded, ConfigError> {
    let dir = temp_dir("cfg");
    let path = dir.join("kirjo.toml");
    std::fs::write(&path, text).unwrap();
    config::load(ConfigSource::File(path), env)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_demo_configuration_is_valid() {
    let loaded = config::load(ConfigSource::BuiltInDemo, &no_env).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let c = &loaded.config;
    assert_eq!(c.server.listen.to_string(), "127.0.0.1:8080");
    assert!(c.database.url.is_none());
    assert_eq!(c.register.registers.len(), 1);
    assert_eq!(c.register.sub_registers().count(), 2);
    assert_eq!(
        c.register.supervisory_authority.email.as_deref(),
        Some("tietosuoja@om.fi")
    );
    // The file in the repository is the one built in.
    assert_eq!(demo_text(), config::DEMO_CONFIG);
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let text = demo_text().replace("level = \"info\"", "level = \"info");
    let e = load_text(&text).unwrap_err();
    assert!(e.source.ends_with("kirjo.toml"), "{e}");
    assert_eq!(e.line, Some(line_of(&text, "level = \"info")), "{e}");
    assert!(!e.to_string().contains('\n'));
}

#[test]
fn a_wrong_type_names_the_key_and_line() {
    let text = demo_text().replace("listen = \"127.0.0.1:8080\"", "listen = 8080");
    let e = load_text(&text).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("server.listen"), "{e}");
    assert_eq!(e.line, Some(line_of(&text, "listen = 8080")), "{e}");
    let shown = e.to_string();
    assert!(shown.contains("kirjo.toml:"), "{shown}");
    assert!(shown.contains("key `server.listen`"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
}

#[test]
fn an_unknown_key_is_an_error_not_ignored() {
    let text = demo_text().replace("max_connections = 16", "max_conections = 16");
    let e = load_text(&text).unwrap_err();
    assert_eq!(e.line, Some(line_of(&text, "max_conections")), "{e}");
    assert!(e.to_string().contains("max_conections"), "{e}");
}

#[test]
fn an_unknown_enumeration_value_names_the_key() {
    let text = demo_text().replace(
        "retention_rule_set = \"703/2023\"",
        "retention_rule_set = \"1999\"",
    );
    let e = load_text(&text).unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("register.registers[0].retention_rule_set"),
        "{e}"
    );
    assert_eq!(
        e.line,
        Some(line_of(&text, "retention_rule_set = \"1999\"")),
        "{e}"
    );
}

#[test]
fn a_duplicate_id_is_found_by_validation_with_its_line() {
    let text = demo_text().replace("id = \"lapsiperheet\"", "id = \"aikuiset\"");
    let e = load_text(&text).unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("register.registers[0].sub_registers[1].id"),
        "{e}"
    );
    // The second `id = "aikuiset"` in the file.
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"aikuiset\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert_eq!(e.line, Some(second), "{e}");
    assert!(e.message.contains("used twice"), "{e}");
}

#[test]
fn register_rules_are_enforced() {
    let cases = [
        (
            "business_id = \"1234567-1\"",
            "business_id = \"1234567-2\"",
            "register.controller.business_id",
        ),
        (
            "automated_decisions = false",
            "automated_decisions = true",
            "register.registers[0].automated_decisions",
        ),
        (
            "lawful_basis = [\"public_authority\", \"legal_obligation\"]",
            "lawful_basis = [\"consent\"]",
            "register.registers[0].lawful_basis",
        ),
        (
            "email = \"tietosuoja@harjuniemi.example\"",
            "email = \"tietosuoja\"",
            "register.data_protection_officer.email",
        ),
    ];
    for (from, to, key) in cases {
        let text = demo_text().replace(from, to);
        assert_ne!(text, demo_text(), "{from} not in the demo file");
        let e = load_text(&text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some(key), "{e}");
        assert_eq!(e.line, Some(line_of(&text, to)), "{e}");
    }
}

#[test]
fn the_repealed_retention_act_is_a_warning() {
    let text = demo_text().replace(
        "retention_rule_set = \"703/2023\"",
        "retention_rule_set = \"254/2015\"",
    );
    let loaded = load_text(&text).unwrap();
    assert_eq!(loaded.warnings.len(), 1);
    assert!(
        loaded.warnings[0].contains("repealed"),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn the_environment_overrides_the_file() {
    let env: HashMap<&str, &str> = [
        ("KIRJO_LISTEN", "127.0.0.1:9999"),
        ("DATABASE_URL", "postgres://owner:sekret@db.example/kirjo"),
        ("KIRJO_DATA_DIR", "/srv/kirjo"),
    ]
    .into();
    let get = |k: &str| env.get(k).map(|v| v.to_string());
    let loaded = load_text_env(&demo_text(), &get).unwrap();
    assert_eq!(loaded.config.server.listen.to_string(), "127.0.0.1:9999");
    assert_eq!(
        loaded.config.database.url.as_deref(),
        Some("postgres://owner:sekret@db.example/kirjo")
    );
    assert_eq!(loaded.config.storage.data_dir.to_str(), Some("/srv/kirjo"));
    assert_eq!(loaded.overrides.len(), 3);

    let bad = |k: &str| (k == "KIRJO_LISTEN").then(|| "not-an-address".to_owned());
    let e = load_text_env(&demo_text(), &bad).unwrap_err();
    assert_eq!(e.source, "environment KIRJO_LISTEN");
}

#[test]
fn config_check_prints_what_is_in_force_without_secrets() {
    let out = run(kirjo()
        .args(["config", "check", "--config"])
        .arg(common::demo_config())
        .env("DATABASE_URL", "postgres://owner:sekret@db.example/kirjo"));
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("server.listen = 127.0.0.1:8080"), "{text}");
    assert!(
        text.contains("database.url = postgres://owner:***@db.example/kirjo"),
        "{text}"
    );
    assert!(!text.contains("sekret"), "{text}");
    assert!(text.contains("sub-register `lapsiperheet`"), "{text}");
    assert!(
        text.contains("overridden by the environment: DATABASE_URL"),
        "{text}"
    );
    assert!(text.trim_end().ends_with("ok"), "{text}");
}

#[test]
fn config_check_fails_with_one_line_and_exit_2() {
    let dir = temp_dir("cfgcheck");
    let path = dir.join("broken.toml");
    std::fs::write(
        &path,
        demo_text().replace("listen = \"127.0.0.1:8080\"", "listen = \"nowhere\""),
    )
    .unwrap();
    let out = run(kirjo().args(["config", "check", "--config"]).arg(&path));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("broken.toml:"), "{err}");
    assert!(err.contains("key `server.listen`"), "{err}");
    let missing = run(kirjo().args(["config", "check", "--config", "/nonexistent/kirjo.toml"]));
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("/nonexistent/kirjo.toml"));
}

#[test]
fn serve_without_any_configuration_says_what_to_do() {
    let dir = temp_dir("nocfg");
    let out = run(kirjo().arg("serve").current_dir(&dir));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--config"), "{}", stderr(&out));
}

#[test]
fn the_privacy_notice_is_printed_from_the_configuration() {
    let out = run(kirjo()
        .args(["register", "notice", "--config"])
        .arg(common::demo_config()));
    assert!(out.status.success(), "{}", stderr(&out));
    let notice = stdout(&out);
    let loaded = config::load(ConfigSource::BuiltInDemo, &no_env).unwrap();
    let r = &loaded.config.register;
    for must in [
        r.registers[0].name.fi.as_str(),
        r.controller.name.as_str(),
        r.data_protection_officer.name.as_str(),
        r.responsible_official.name.as_str(),
        "## 3. Vastuuhenkilö ja yhteyshenkilöt",
        "Tietosuojavaltuutetun toimisto, PL 800, 00531 Helsinki",
        "lain liitteen mukaiset: 703/2023",
        "Lasten ja lapsiperheiden osarekisteri: Lastensuojelu",
        "Työllisyyspalvelut: Kuntouttavan työtoiminnan aktivointisuunnitelma",
        "vain asiakkaan nimenomaisella suostumuksella",
        "ei käytetä automatisoituihin yksittäispäätöksiin",
    ] {
        assert!(
            notice.contains(must),
            "the notice lacks {must:?}:\n{notice}"
        );
    }
    for d in &r.registers[0].regular_disclosures {
        assert!(notice.contains(&d.recipient.fi));
    }
}

#[test]
fn appeal_templates_default_to_the_shipped_two_and_are_checked() {
    let loaded = load_text(&demo_text()).unwrap();
    let ids: Vec<&str> = loaded
        .config
        .decisions
        .appeal_templates
        .iter()
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, ["child_welfare", "social_welfare"]);
    // Given, they replace the shipped ones; each needs all three languages.
    let text = demo_text().replace(
        "# [[decisions.appeal_templates]]\n# id = \"disability\"\n# legal_bases = [\"675/2023\", \"vammaispalvelulaki\"]\n# means = \"rectification\"          # or \"appeal\"\n# days = 30\n# authority_fi = \"Hyvinvointialueen toimielin\"\n# authority_sv = \"Välfärdsområdets organ\"\n# authority_en = \"The wellbeing services county's board\"\n# instructions_fi = \"Oikaisuvaatimusohje. ...\"\n# instructions_sv = \"Anvisning om begäran om omprövning. ...\"",
        "[[decisions.appeal_templates]]\nid = \"disability\"\nlegal_bases = [\"675/2023\", \"vammaispalvelulaki\"]\nmeans = \"rectification\"\ndays = 30\nauthority_fi = \"a\"\nauthority_sv = \"b\"\nauthority_en = \"c\"\ninstructions_fi = \"Ohje.\"\ninstructions_sv = \"\"",
    );
    assert_ne!(text, demo_text(), "the example is in the demo file");
    let text = text.replace(
        "# instructions_en = \"Instructions for a request for review. ...\"",
        "instructions_en = \"Instructions.\"",
    );
    let e = load_text(&text).unwrap_err();
    assert_eq!(
        e.key.as_deref(),
        Some("decisions.appeal_templates[0].instructions_sv"),
        "{e}"
    );
    let loaded =
        load_text(&text.replace("instructions_sv = \"\"", "instructions_sv = \"Anvisning.\""))
            .unwrap();
    assert_eq!(loaded.config.decisions.appeal_templates.len(), 1);
    assert_eq!(loaded.config.decisions.appeal_templates[0].id, "disability");
}
