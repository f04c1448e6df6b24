//! Command-line interface.

use clap::{Parser, Subcommand};
use kirjo::config::{self, Loaded};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Kirjo: a client information system for Finnish social services.
#[derive(Debug, Parser)]
#[command(name = "kirjo", version, about)]
struct Cli {
    /// Configuration file (default: KIRJO_CONFIG, then ./kirjo.toml).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (with its own PostgreSQL unless database.url is set).
    Serve(ServeArgs),
    /// Same as `serve --demo`: load the demo data, then serve.
    Demo(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate(ServeArgs),
    /// Check personal identity codes (henkilötunnus): one line per code;
    /// exit status 0 only if all are valid.
    Hetu {
        #[arg(required = true, value_name = "CODE")]
        codes: Vec<String>,
    },
    /// Print the date N weekdays after DATE (ISO dates; the start day is not
    /// counted; weekends and Finnish public holidays are skipped).
    Weekdays {
        #[arg(value_name = "DATE")]
        date: String,
        #[arg(value_name = "N")]
        n: u32,
    },
    /// Print a year's Finnish public holidays with their Finnish names.
    Holidays {
        #[arg(value_name = "YEAR")]
        year: i32,
    },
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Load the synthetic demo data into the database (once) before serving.
    #[arg(long)]
    demo: bool,
    /// Address to listen on (overrides server.listen and KIRJO_LISTEN).
    #[arg(long, value_name = "ADDR")]
    listen: Option<SocketAddr>,
    /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum ConfigCommand {
    /// Validate the configuration and print what is in force (no secrets).
    Check {
        /// Check the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
    },
}

const EXIT_BAD_INPUT: u8 = 2;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = |k: &str| std::env::var(k).ok();
    match cli.command {
        Command::Config {
            command: ConfigCommand::Check { demo },
        } => match load(cli.config, &env, demo, None) {
            Ok(loaded) => {
                print_config(&loaded);
                ExitCode::SUCCESS
            }
            Err(e) => fail_config(&e),
        },
        Command::Hetu { codes } => {
            let (out, all_valid) = kirjo::tools::hetu(&codes);
            print!("{out}");
            if all_valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Command::Weekdays { date, n } => print_or_fail(kirjo::tools::weekdays(&date, n)),
        Command::Holidays { year } => print_or_fail(kirjo::tools::holidays_of(year)),
        Command::Serve(args) => run_server(cli.config, &env, args, false, false),
        Command::Demo(args) => run_server(cli.config, &env, args, true, false),
        Command::Migrate(args) => run_server(cli.config, &env, args, false, true),
    }
}

fn load(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    demo: bool,
    args: Option<&ServeArgs>,
) -> Result<Loaded, config::ConfigError> {
    let source = config::locate(flag.as_deref(), env, demo)?;
    let mut loaded = config::load(source, env)?;
    if let Some(args) = args {
        if let Some(l) = args.listen {
            loaded.config.server.listen = l;
        }
        if let Some(d) = &args.data_dir {
            loaded.config.storage.data_dir.clone_from(d);
        }
    }
    Ok(loaded)
}

fn print_or_fail(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(out) => {
            println!("{}", out.trim_end());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("kirjo: error: {e}");
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

fn fail_config(e: &config::ConfigError) -> ExitCode {
    eprintln!("kirjo: configuration error: {e}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn run_server(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    force_demo: bool,
    migrate_only: bool,
) -> ExitCode {
    let demo = force_demo || args.demo;
    let loaded = match load(flag, env, demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    kirjo::logging::init(&loaded.config.log);
    for w in &loaded.warnings {
        tracing::warn!(warning = %w, "configuration");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kirjo: error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        if migrate_only {
            let db = kirjo::serve::open_database(&loaded).await?;
            println!("Schema is current.");
            db.close().await
        } else {
            kirjo::serve::serve(loaded, demo).await
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_config(loaded: &Loaded) {
    let c = &loaded.config;
    let mut o = std::io::stdout().lock();
    let _ = (|| -> std::io::Result<()> {
        writeln!(o, "configuration: {}", loaded.source)?;
        if !loaded.overrides.is_empty() {
            writeln!(
                o,
                "overridden by the environment: {}",
                loaded.overrides.join(", ")
            )?;
        }
        writeln!(o, "server.listen = {}", c.server.listen)?;
        match &c.database.url {
            Some(url) => {
                writeln!(o, "database.url = {}", config::mask_url(url))?;
                match &c.database.runtime_url {
                    Some(r) => writeln!(o, "database.runtime_url = {}", config::mask_url(r))?,
                    None => writeln!(
                        o,
                        "database.runtime_url = (none: the owner's connections SET ROLE {})",
                        kirjo_store::RUNTIME_ROLE
                    )?,
                }
            }
            None => {
                let bins = kirjo::cluster::find_binaries(c.database.postgres_bin_dir.as_deref())
                    .map_or_else(|e| format!("not usable: {e}"), |p| p.display().to_string());
                writeln!(
                    o,
                    "database = a local cluster Kirjo owns, in {}/pgdata (PostgreSQL binaries: {bins})",
                    c.storage.data_dir.display()
                )?;
            }
        }
        writeln!(
            o,
            "database.max_connections = {}",
            c.database.max_connections()
        )?;
        writeln!(o, "storage.data_dir = {}", c.storage.data_dir.display())?;
        writeln!(
            o,
            "log.format = {:?}, log.level = {}",
            c.log.format, c.log.level
        )?;
        let r = &c.register;
        writeln!(
            o,
            "register.controller = {} (business id {})",
            r.controller.name, r.controller.business_id
        )?;
        writeln!(
            o,
            "register.data_protection_officer = {}",
            r.data_protection_officer.name
        )?;
        for reg in &r.registers {
            writeln!(
                o,
                "register `{}`: {} (retention {}, {}authority register, lawful basis {:?}, {} regular disclosures)",
                reg.id,
                reg.name,
                reg.retention_rule_set.statute(),
                if reg.authority_register { "" } else { "not an " },
                reg.lawful_basis,
                reg.regular_disclosures.len()
            )?;
            for s in &reg.sub_registers {
                let tasks: Vec<&str> = s.service_tasks.iter().map(|t| t.id.as_str()).collect();
                writeln!(
                    o,
                    "  sub-register `{}`: {} [{}]",
                    s.id,
                    s.name_fi,
                    tasks.join(", ")
                )?;
            }
        }
        for w in &loaded.warnings {
            writeln!(o, "warning: {w}")?;
        }
        writeln!(o, "ok")
    })();
}
