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
    /// The register description.
    Register {
        #[command(subcommand)]
        command: RegisterCommand,
    },
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// The use log and the disclosure log: verify, seal, export checkpoints,
    /// make a signing key.
    Audit {
        /// Use the built-in demo configuration when no file is given.
        #[arg(long, global = true)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, global = true, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The population register (VTJ): import batches of changes.
    Vtj {
        #[command(subcommand)]
        command: VtjCommand,
    },
    /// Client documents.
    Document {
        #[command(subcommand)]
        command: DocumentCommand,
    },
    /// Take a base backup into backup.dir (pg_basebackup); with WAL
    /// archived there, any later moment can be restored (docs/backup.md).
    Backup {
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
        /// Backup directory (overrides backup.dir and KIRJO_BACKUP_DIR).
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
    },
    /// Point-in-time recovery: the newest base backup before TIME rolled
    /// forward with the archived WAL to TIME, into a new data directory
    /// that `kirjo serve --data-dir` then starts.
    Restore {
        /// The moment: RFC 3339 (2026-12-03T14:05:00+02:00) or Finnish
        /// local time (2026-12-03 14:05). Default: the end of the archive.
        #[arg(long, value_name = "TIME", value_parser = kirjo::backup::parse_time)]
        to: Option<chrono::DateTime<chrono::Utc>>,
        /// The new data directory (must not hold a cluster).
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Backup directory (overrides backup.dir and KIRJO_BACKUP_DIR).
        #[arg(long, value_name = "DIR")]
        backup_dir: Option<PathBuf>,
    },
    /// Benchmark data and benchmarks of the running system.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
enum BenchCommand {
    /// Load a synthetic wellbeing-services county on top of the demo (which
    /// is loaded first if it is not there): persons, families, workers,
    /// client relationships, documents and a sealed use log, by COPY.
    /// Restartable: a rerun skips the parts already loaded. Progress goes to
    /// standard error. See docs/benchmarks.md.
    County {
        /// Persons in the county.
        #[arg(long, default_value_t = 1_000_000)]
        persons: u64,
        /// Seed: the same seed gives the same county.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
    /// Drive the real HTTP server with signed-in users at each concurrency
    /// and print a Markdown table (route, concurrency, n, req/s, p50, p95,
    /// p99 ms) with the server's peak memory, the PostgreSQL floor of the
    /// client card and the rates of audit verify, the sealer and the
    /// monitoring job. Starts `kirjo serve` on a free 127.0.0.1 port over
    /// the configured database (or uses --url). WRITES to that database:
    /// for a benchmark or demo database only (see docs/benchmarks.md).
    Run(BenchRunArgs),
    /// Time the monitoring job alone: write a backlog of use-log rows by
    /// the busiest client workers (all within the hour), seal it, and time
    /// `monitoring::scan` over it; print the rates as Markdown. WRITES to
    /// the database: for a benchmark or demo database only.
    Monitor {
        /// Use-log rows in the backlog.
        #[arg(long, default_value_t = 50_000)]
        rows: u64,
        /// Client workers whose reads the backlog holds.
        #[arg(long, default_value_t = 8)]
        users: usize,
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
struct BenchRunArgs {
    /// Serve the demo (loading its data once) and use the built-in demo
    /// configuration when no file is given.
    #[arg(long)]
    demo: bool,
    /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// A Kirjo already serving this database, on 127.0.0.1, instead of
    /// starting one.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// The process id of the server at --url, to read its memory.
    #[arg(long, value_name = "PID", requires = "url")]
    server_pid: Option<u32>,
    /// Concurrent signed-in users of each step.
    #[arg(long, value_name = "N,N,...", default_value = "1,16,32", value_parser = kirjo::bench_run::parse_concurrency)]
    concurrency: std::vec::Vec<usize>,
    /// Seconds of each step.
    #[arg(long, value_name = "N", default_value_t = 10.0)]
    seconds: f64,
    /// Use-log rows to add and seal for the sealer's and the monitoring
    /// job's rates (0: not measured).
    #[arg(long, value_name = "ROWS", default_value_t = 20_000)]
    backlog: u64,
    /// Also write a chart of p95 latency against concurrency (SVG).
    #[arg(long, value_name = "FILE")]
    chart: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum DocumentCommand {
    /// Print a completed document in its national structure (Sosmeta JSON,
    /// with the definition it follows) on standard output. The export goes
    /// through the gate as the named user, with their rights, and is in the
    /// use log under their name with the source `kirjo-cli`. Exit status 0
    /// when exported, 1 when refused or the database failed, 2 when the
    /// configuration cannot be read.
    Export {
        /// A document's id, or `client:ID` for the client relationship
        /// document (asiakkuusasiakirja) of client ID.
        #[arg(value_name = "ID", value_parser = parse_export_target)]
        id: ExportTarget,
        /// The user (username) whose rights the export uses.
        #[arg(long = "as", value_name = "USERNAME")]
        user: String,
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum VtjCommand {
    /// Import a batch of population register changes (JSON Lines, see
    /// docs/vtj-import.md) into the configuration's first register. All or
    /// nothing: changes applied before are skipped; if any line is bad or
    /// inconsistent, nothing is applied. Exit status 0 if the batch was
    /// applied, 1 if it was rejected (each problem on standard error as
    /// `line N: reason`) or the database failed, 2 if the file or the
    /// configuration cannot be read.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// Data directory (overrides storage.data_dir and KIRJO_DATA_DIR).
        #[arg(long, value_name = "DIR")]
        data_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check every log row, seal and signed checkpoint; seals nothing. Prints
    /// a summary and the first problem. Exit status 0 if the log holds, 1 if
    /// it does not, 3 if it could not be checked.
    Verify {
        /// Checkpoints exported earlier by `kirjo audit checkpoints` (JSON
        /// lines): the database must still hold each of them unchanged.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<PathBuf>,
        /// Verify with this public key (64 hex characters) instead of the
        /// one derived from audit.signing_key_file.
        #[arg(long, value_name = "HEX")]
        public_key: Option<String>,
    },
    /// Seal the committed, unsealed rows now (one batch per log).
    Seal,
    /// Print every signed checkpoint as a JSON line, to keep outside the
    /// database host.
    Checkpoints,
    /// Write a new signing key to FILE (mode 0600; an existing file is never
    /// overwritten) and print its key id and public key.
    Keygen {
        #[arg(value_name = "FILE")]
        file: PathBuf,
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
enum RegisterCommand {
    /// Print the privacy notice (tietosuojaseloste, GDPR art. 13-14) and
    /// the record of processing activities (art. 30) of each register, as
    /// Markdown, from the configuration Kirjo enforces.
    Notice {
        /// Use the built-in demo configuration when no file is given.
        #[arg(long)]
        demo: bool,
        /// fi, sv or en.
        #[arg(long, default_value = "fi")]
        lang: String,
        /// Write the notice as a PDF to FILE instead.
        #[arg(long, value_name = "FILE")]
        pdf: Option<PathBuf>,
    },
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
/// `kirjo audit verify` could not check the log (database, key, file).
const EXIT_UNCHECKED: u8 = 3;

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let env = |k: &str| std::env::var(k).ok();
    match cli.command {
        Command::Register {
            command: RegisterCommand::Notice { demo, lang, pdf },
        } => {
            let Some(lang) = kirjo_domain::contact::Lang::parse(&lang) else {
                eprintln!("kirjo: --lang is fi, sv or en");
                return ExitCode::from(EXIT_BAD_INPUT);
            };
            match load(cli.config, &env, demo, None) {
                Ok(loaded) => {
                    let notices = kirjo_domain::notice::all(
                        &loaded.config.register,
                        loaded.config.notice_facts(),
                        lang,
                    );
                    if let Some(file) = pdf {
                        let reg = kirjo_web::RegisterConfig {
                            description: loaded.config.register.clone(),
                            facts: loaded.config.notice_facts(),
                        };
                        return match kirjo_web::printouts::notice::render(&reg, lang)
                            .map_err(anyhow::Error::from)
                            .and_then(|bytes| Ok(std::fs::write(&file, bytes)?))
                        {
                            Ok(()) => ExitCode::SUCCESS,
                            Err(e) => {
                                eprintln!("kirjo: {e:#}");
                                ExitCode::FAILURE
                            }
                        };
                    }
                    let text: Vec<String> = notices.iter().map(|n| n.to_markdown()).collect();
                    print!("{}", text.join("\n"));
                    ExitCode::SUCCESS
                }
                Err(e) => fail_config(&e),
            }
        }
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
        Command::Backup {
            demo,
            data_dir,
            backup_dir,
        } => run_backup(cli.config, &env, demo, data_dir, backup_dir, None),
        Command::Restore {
            to,
            into,
            demo,
            backup_dir,
        } => run_backup(cli.config, &env, demo, None, backup_dir, Some((to, into))),
        Command::Demo(args) => run_server(cli.config, &env, args, true, false),
        Command::Migrate(args) => run_server(cli.config, &env, args, false, true),
        Command::Audit {
            demo,
            data_dir,
            command,
        } => run_audit(
            cli.config,
            &env,
            ServeArgs {
                demo,
                listen: None,
                data_dir,
            },
            command,
        ),
        Command::Document {
            command:
                DocumentCommand::Export {
                    id,
                    user,
                    demo,
                    data_dir,
                },
        } => run_document_export(
            cli.config,
            &env,
            ServeArgs {
                demo,
                listen: None,
                data_dir,
            },
            id,
            &user,
        ),
        Command::Bench {
            command:
                BenchCommand::County {
                    persons,
                    seed,
                    demo,
                    data_dir,
                },
        } => run_bench_county(
            cli.config,
            &env,
            ServeArgs {
                demo,
                listen: None,
                data_dir,
            },
            persons,
            seed,
        ),
        Command::Bench {
            command: BenchCommand::Run(args),
        } => run_bench(cli.config, &env, args),
        Command::Bench {
            command:
                BenchCommand::Monitor {
                    rows,
                    users,
                    demo,
                    data_dir,
                },
        } => run_bench_monitor(
            cli.config,
            &env,
            ServeArgs {
                demo,
                listen: None,
                data_dir,
            },
            rows,
            users,
        ),
        Command::Vtj {
            command:
                VtjCommand::Import {
                    file,
                    demo,
                    data_dir,
                },
        } => run_vtj_import(
            cli.config,
            &env,
            ServeArgs {
                demo,
                listen: None,
                data_dir,
            },
            &file,
        ),
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

/// A command's exit: success, or the error on one line and failure.
fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The async runtime of a command; None (with the error printed) if it
/// cannot start.
fn new_runtime() -> Option<tokio::runtime::Runtime> {
    match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => Some(r),
        Err(e) => {
            eprintln!("kirjo: error: cannot start the async runtime: {e}");
            None
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
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
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
    exit_code(result)
}

fn run_backup(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    demo: bool,
    data_dir: Option<PathBuf>,
    backup_dir: Option<PathBuf>,
    restore: Option<(Option<chrono::DateTime<chrono::Utc>>, PathBuf)>,
) -> ExitCode {
    let args = ServeArgs {
        demo,
        listen: None,
        data_dir,
    };
    let mut loaded = match load(flag, env, demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    if backup_dir.is_some() {
        loaded.config.backup.dir = backup_dir;
    }
    kirjo::logging::init(&loaded.config.log);
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        match restore {
            None => {
                let r = kirjo::backup::backup(&loaded).await?;
                println!(
                    "Base backup {} finished at {} ({} MB).",
                    r.base.path.display(),
                    r.base.finished_at.to_rfc3339(),
                    r.bytes / 1_000_000
                );
                if !r.archiving {
                    println!(
                        "WAL is not archived: this backup can be restored only as it is. \
                         Archiving starts when the cluster next starts with backup.dir set."
                    );
                }
            }
            Some((to, into)) => {
                let r = kirjo::backup::restore(&loaded, to, &into).await?;
                println!(
                    "Restored {} to {} from the base backup finished at {}: {} use-log rows, the last logged at {}.",
                    r.data_dir.display(),
                    r.target
                        .map_or_else(|| "the end of the archive".to_owned(), |t| t.to_rfc3339()),
                    r.base.finished_at.to_rfc3339(),
                    r.use_log_rows,
                    r.last_logged_at
                        .map_or_else(|| "-".to_owned(), |t| t.to_rfc3339()),
                );
                println!(
                    "Start Kirjo on it with: kirjo serve --data-dir {}",
                    r.data_dir.display()
                );
            }
        }
        anyhow::Ok(())
    });
    exit_code(result)
}

fn run_audit(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    command: AuditCommand,
) -> ExitCode {
    use kirjo_store::audit;
    if let AuditCommand::Keygen { file } = &command {
        return match audit::generate_key_file(file) {
            Ok(key) => {
                println!(
                    "New audit signing key in {}: key id {}, public key {}",
                    file.display(),
                    key.key_id(),
                    key.verifying_key().to_hex()
                );
                println!(
                    "Keep a copy of the file outside the database host, readable only by Kirjo."
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kirjo: error: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let loaded = match load(flag, env, args.demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    kirjo::logging::init(&loaded.config.log);
    let failure = if matches!(command, AuditCommand::Verify { .. }) {
        ExitCode::from(EXIT_UNCHECKED)
    } else {
        ExitCode::FAILURE
    };
    let Some(runtime) = new_runtime() else {
        return failure;
    };
    match runtime.block_on(audit_command(&loaded, command)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            failure
        }
    }
}

async fn audit_command(loaded: &Loaded, command: AuditCommand) -> anyhow::Result<ExitCode> {
    use kirjo_store::audit;
    let cfg = &loaded.config;
    let key_file = cfg.audit.signing_key_file(&cfg.storage);
    // Read the key and the exported checkpoints before touching the database.
    let mut verifying = None;
    let mut signing = None;
    let mut exported = None;
    match &command {
        AuditCommand::Verify {
            checkpoints,
            public_key,
        } => {
            verifying = Some(match public_key {
                Some(hex) => audit::VerifyingKey::from_hex(hex)?,
                None => audit::SigningKey::load(&key_file)?.verifying_key(),
            });
            exported = checkpoints.as_deref().map(read_checkpoints).transpose()?;
        }
        AuditCommand::Seal => signing = Some(audit::SigningKey::load(&key_file)?),
        AuditCommand::Checkpoints | AuditCommand::Keygen { .. } => {}
    }
    // A local cluster that is already running (a Kirjo serving) is left running.
    let was_running = cfg.database.url.is_none()
        && kirjo::cluster::LocalCluster::prepare(
            &cfg.storage.data_dir,
            cfg.database.postgres_bin_dir.as_deref(),
        )
        .is_ok_and(|c| c.is_running());
    let mut db = kirjo::serve::open_database(loaded).await?;
    let result = async {
        let mut out = std::io::stdout().lock();
        if let Some(key) = &verifying {
            let report = audit::verify(&db.runtime, key, exported.as_deref()).await?;
            writeln!(out, "{report} (key {})", key.key_id())?;
            if let Some(p) = &report.first_problem {
                writeln!(out, "first problem: {p}")?;
            }
            return Ok(if report.ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            });
        }
        if let Some(key) = &signing {
            let r = audit::seal_once(&db.runtime, key).await?;
            writeln!(
                out,
                "Sealed {} use-log rows and {} disclosure-log rows ({} late) with key {}.",
                r.use_log,
                r.disclosure_log,
                r.late,
                key.key_id()
            )?;
        } else {
            for c in audit::checkpoints(&db.runtime).await? {
                writeln!(out, "{}", serde_json::to_string(&c)?)?;
            }
        }
        out.flush()?;
        anyhow::Ok(ExitCode::SUCCESS)
    }
    .await;
    if was_running {
        db.cluster = None;
    }
    let closed = db.close().await;
    let code = result?;
    closed?;
    Ok(code)
}

/// `kirjo bench monitor`: open the database as `kirjo serve` does, load
/// the demo if it is not there, and time the monitoring job over a backlog.
fn run_bench_monitor(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    rows: u64,
    users: usize,
) -> ExitCode {
    let loaded = match load(flag, env, args.demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    kirjo::logging::init(&loaded.config.log);
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
    let result = runtime.block_on(async {
        let db = kirjo::serve::open_database(&loaded).await?;
        let result = async {
            let key = kirjo::serve::audit_signing_key(&loaded, &db).await?;
            kirjo::demo::load(&db.owner).await?;
            let report = kirjo::bench_run::monitor_bench(
                &db.owner,
                &db.runtime,
                &key,
                rows,
                users,
                &loaded.config.monitoring.settings(),
            )
            .await?;
            print!("{}", report.markdown());
            anyhow::Ok(())
        }
        .await;
        let closed = db.close().await;
        result.and(closed)
    });
    exit_code(result)
}

/// `kirjo bench county`: open the database as `kirjo serve` does (the
/// owned cluster under the data directory, or database.url), load the demo
/// if it is not there, and load the county.
fn run_bench_county(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    persons: u64,
    seed: u64,
) -> ExitCode {
    let loaded = match load(flag, env, args.demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    kirjo::logging::init(&loaded.config.log);
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        let db = kirjo::serve::open_database(&loaded).await?;
        let result = async {
            let key = kirjo::serve::audit_signing_key(&loaded, &db).await?;
            kirjo::demo::load(&db.owner).await?;
            let started = std::time::Instant::now();
            let report = kirjo::county::load(
                &db.owner,
                &kirjo::county::CountyOptions {
                    persons,
                    seed,
                    key: &key,
                    progress: true,
                },
            )
            .await?;
            if report.all_skipped() {
                println!("The county of {persons} persons (seed {seed}) was loaded before: nothing to do.");
            } else {
                println!(
                    "Loaded the county of {persons} persons (seed {seed}) in {:.1} s.",
                    started.elapsed().as_secs_f64()
                );
            }
            anyhow::Ok(())
        }
        .await;
        let closed = db.close().await;
        result.and(closed)
    });
    exit_code(result)
}

/// `kirjo vtj import FILE`: parse the whole batch first (no database
/// needed to reject it), then apply it in one transaction.
fn run_vtj_import(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    file: &std::path::Path,
) -> ExitCode {
    use kirjo_store::vtj::{self, LineProblem};
    let loaded = match load(flag, env, args.demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("kirjo: error: cannot read {}: {e}", file.display());
            return ExitCode::from(EXIT_BAD_INPUT);
        }
    };
    let parsed = match std::str::from_utf8(&bytes) {
        Ok(text) => vtj::parse_batch(text),
        Err(e) => {
            let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
            Err(vec![LineProblem {
                line: before.iter().filter(|b| **b == b'\n').count() + 1,
                reason: "not valid UTF-8".to_owned(),
            }])
        }
    };
    let changes = match parsed {
        Ok(c) => c,
        Err(problems) => return reject_batch(file, &problems),
    };
    let Some(register_id) = loaded
        .config
        .register
        .registers
        .first()
        .map(|r| r.id.clone())
    else {
        eprintln!("kirjo: configuration error: no register to import into");
        return ExitCode::from(EXIT_BAD_INPUT);
    };
    let batch_name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    kirjo::logging::init(&loaded.config.log);
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
    };
    let result = runtime.block_on(async {
        let cfg = &loaded.config;
        // A local cluster that is already running (a Kirjo serving) is left running.
        let was_running = cfg.database.url.is_none()
            && kirjo::cluster::LocalCluster::prepare(
                &cfg.storage.data_dir,
                cfg.database.postgres_bin_dir.as_deref(),
            )
            .is_ok_and(|c| c.is_running());
        let mut db = kirjo::serve::open_database(&loaded).await?;
        let applied = vtj::apply_batch(&db.owner, &register_id, &batch_name, &changes).await;
        if was_running {
            db.cluster = None;
        }
        if let Err(e) = db.close().await {
            eprintln!("kirjo: warning: closing the database: {e:#}");
        }
        anyhow::Ok(applied)
    });
    match result {
        Ok(Ok(report)) => {
            println!("{}: {report}", file.display());
            ExitCode::SUCCESS
        }
        Ok(Err(vtj::ImportError::Rejected(problems))) => reject_batch(file, &problems),
        Ok(Err(e)) => {
            eprintln!("kirjo: error: {e}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `kirjo bench run`.
fn run_bench(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: BenchRunArgs,
) -> ExitCode {
    let serve_args = ServeArgs {
        demo: args.demo,
        listen: None,
        data_dir: args.data_dir.clone(),
    };
    let loaded = match load(flag.clone(), env, args.demo, Some(&serve_args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    // The bench's own log: warnings only (the server's goes to a file).
    let mut log = loaded.config.log.clone();
    if env("KIRJO_LOG").is_none() {
        log.level = "warn".to_owned();
    }
    kirjo::logging::init(&log);
    let target = match &args.url {
        Some(url) => kirjo::bench_run::Target::Attach {
            url: url.clone(),
            pid: args.server_pid,
        },
        None => {
            let program = match std::env::current_exe() {
                Ok(p) => p,
                Err(e) => {
                    eprintln!("kirjo: error: cannot find this program: {e}");
                    return ExitCode::FAILURE;
                }
            };
            let mut serve: Vec<std::ffi::OsString> = vec!["serve".into()];
            if args.demo {
                serve.push("--demo".into());
            }
            if let Some(c) = &flag {
                serve.push("--config".into());
                serve.push(c.clone().into());
            }
            if let Some(d) = &args.data_dir {
                serve.push("--data-dir".into());
                serve.push(d.clone().into());
            }
            kirjo::bench_run::Target::Spawn {
                program,
                args: serve,
                env_remove: Vec::new(),
            }
        }
    };
    let opts = kirjo::bench_run::Options {
        target,
        concurrency: args.concurrency,
        seconds: args.seconds,
        backlog: args.backlog,
        server_log: None,
    };
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
    };
    match runtime.block_on(kirjo::bench_run::run(&loaded, &opts)) {
        Ok(report) => {
            print!("{}", report.markdown());
            if let Some(file) = &args.chart {
                if let Err(e) = std::fs::write(file, report.svg()) {
                    eprintln!("kirjo: error: writing {}: {e}", file.display());
                    return ExitCode::FAILURE;
                }
            }
            if report.all_ok() {
                ExitCode::SUCCESS
            } else {
                eprintln!("kirjo: some routes answered other than 2xx (see the errors column)");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// What `kirjo document export` exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ExportTarget {
    Document(i64),
    ClientDocument(i64),
}

fn parse_export_target(s: &str) -> Result<ExportTarget, String> {
    let bad = || format!("`{s}` is neither a document id nor client:ID");
    match s.strip_prefix("client:") {
        Some(id) => id
            .parse()
            .map(ExportTarget::ClientDocument)
            .map_err(|_| bad()),
        None => s.parse().map(ExportTarget::Document).map_err(|_| bad()),
    }
}

/// `kirjo document export ID --as USERNAME`: the national structure of a
/// completed document, or of a client's relationship document, through the
/// gate as that user.
fn run_document_export(
    flag: Option<PathBuf>,
    env: &dyn Fn(&str) -> Option<String>,
    args: ServeArgs,
    target: ExportTarget,
    username: &str,
) -> ExitCode {
    let loaded = match load(flag, env, args.demo, Some(&args)) {
        Ok(l) => l,
        Err(e) => return fail_config(&e),
    };
    kirjo::logging::init(&loaded.config.log);
    let Some(runtime) = new_runtime() else {
        return ExitCode::FAILURE;
    };
    let settings = kirjo::setup::gate_settings(&loaded);
    let result = runtime.block_on(async {
        let cfg = &loaded.config;
        let was_running = cfg.database.url.is_none()
            && kirjo::cluster::LocalCluster::prepare(
                &cfg.storage.data_dir,
                cfg.database.postgres_bin_dir.as_deref(),
            )
            .is_ok_and(|c| c.is_running());
        let mut db = kirjo::serve::open_database(&loaded).await?;
        let exported = async {
            let user: Option<i64> =
                sqlx::query_scalar("SELECT id FROM staff_user WHERE username = $1")
                    .bind(username)
                    .fetch_optional(&db.runtime)
                    .await?;
            let Some(user_id) = user else {
                return anyhow::Ok(Err(format!("no user `{username}`")));
            };
            let caller = kirjo_store::gate::Caller {
                user_id,
                request_id: uuid::Uuid::new_v4(),
                source_address: Some("kirjo-cli".to_owned()),
            };
            let exported = match target {
                ExportTarget::Document(id) => {
                    let Some(client) = kirjo_store::documents::client_of(&db.runtime, id).await?
                    else {
                        return anyhow::Ok(Err(format!("no document {id}")));
                    };
                    kirjo_store::documents::export(&db.runtime, &caller, &settings, client, id)
                        .await
                        .map(|e| e.ok_or(format!("no document {id}")))
                }
                ExportTarget::ClientDocument(client) => {
                    match kirjo_store::documents::export_client_document(
                        &db.runtime,
                        &caller,
                        &settings,
                        client,
                    )
                    .await
                    {
                        Err(kirjo_store::gate::GateError::NoSuchClient) => {
                            Ok(Err(format!("no client {client}")))
                        }
                        other => other.map(Ok),
                    }
                }
            };
            match exported {
                Ok(Ok(e)) => anyhow::Ok(Ok(serde_json::to_value(e)?)),
                Ok(Err(why)) => anyhow::Ok(Err(why)),
                Err(kirjo_store::gate::GateError::Denied { explanation }) => {
                    anyhow::Ok(Err(explanation))
                }
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
        .await;
        if was_running {
            db.cluster = None;
        }
        if let Err(e) = db.close().await {
            eprintln!("kirjo: warning: closing the database: {e:#}");
        }
        exported
    });
    match result {
        Ok(Ok(json)) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Ok(Err(why)) => {
            eprintln!("kirjo: refused: {why}");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("kirjo: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Each problem of a rejected batch on its own line, then a summary.
fn reject_batch(file: &std::path::Path, problems: &[kirjo_store::vtj::LineProblem]) -> ExitCode {
    let mut err = std::io::stderr().lock();
    for p in problems {
        let _ = writeln!(err, "{p}");
    }
    let _ = writeln!(
        err,
        "kirjo: {} was rejected with {} problem(s); nothing was applied",
        file.display(),
        problems.len()
    );
    ExitCode::FAILURE
}

/// Reads exported checkpoints: one JSON object a line; errors name the line.
fn read_checkpoints(path: &std::path::Path) -> anyhow::Result<Vec<kirjo_store::audit::Checkpoint>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| {
                anyhow::anyhow!(
                    "{}:{}: not a checkpoint from `kirjo audit checkpoints`: {e}",
                    path.display(),
                    i + 1
                )
            })
        })
        .collect()
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
        writeln!(
            o,
            "database.acquire_timeout_secs = {}",
            c.database.acquire_timeout().as_secs()
        )?;
        let sv = &c.server;
        writeln!(
            o,
            "server.header_read_timeout_secs = {}, server.body_read_timeout_secs = {}, \
             server.shutdown_timeout_secs = {}",
            sv.header_read_timeout().as_secs(),
            sv.body_read_timeout().as_secs(),
            sv.shutdown_timeout().as_secs()
        )?;
        writeln!(
            o,
            "server.max_connections = {}, server.max_connections_per_source = {}",
            sv.max_connections(),
            sv.max_connections_per_source()
                .map_or_else(|| "off".to_owned(), |n| n.to_string())
        )?;
        writeln!(
            o,
            "server.public_url = {} (security keys and passkeys {})",
            sv.public_url().unwrap_or_else(|| "none".to_owned()),
            if sv.public_url().is_some() {
                "on"
            } else {
                "off"
            }
        )?;
        writeln!(
            o,
            "auth.password_hashing_concurrency = {}, auth.password_hashing_queue = {}",
            c.auth.password_hashing_concurrency(),
            c.auth.password_hashing_queue()
        )?;
        writeln!(o, "storage.data_dir = {}", c.storage.data_dir.display())?;
        let key_file = c.audit.signing_key_file(&c.storage);
        let key_state = if key_file.is_file() {
            "present"
        } else if c.database.url.is_none() {
            "missing: made at the first start"
        } else {
            "missing: make it with `kirjo audit keygen`"
        };
        writeln!(
            o,
            "audit.signing_key_file = {} ({key_state})",
            key_file.display()
        )?;
        writeln!(
            o,
            "audit.seal_interval_ms = {}",
            c.audit.seal_interval().as_millis()
        )?;
        writeln!(
            o,
            "monitoring.working_hours = {}",
            c.monitoring
                .working_hours
                .map_or("weekdays 07-18 (default)".to_owned(), |w| w.to_string())
        )?;
        for (unit, hours) in &c.monitoring.units {
            writeln!(o, "monitoring.units.{unit} = {hours}")?;
        }
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
        writeln!(
            o,
            "register.supervisory_authority = {}; register.social_services_authority = {}",
            r.supervisory_authority.name.fi, r.social_services_authority.name.fi
        )?;
        for reg in &r.registers {
            writeln!(
                o,
                "register `{}`: {} (retention {}, {}authority register, lawful basis {:?}, {} regular disclosures)",
                reg.id,
                reg.name.fi,
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
