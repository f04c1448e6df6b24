//! `kirjo`: the one binary. See `kirjo --help`.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
