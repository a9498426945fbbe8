//! The `thematic` command line: parse, call the library, print. See `thematic --help`.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) if cli::is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            cli::report("error", format!("{error:#}"));
            ExitCode::from(2)
        }
    }
}
