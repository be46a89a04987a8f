//! Command-line surface: argument parsing and the headless commands.

pub mod sandbox;

use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "cosell",
    version,
    about = "Keyboard-first terminal UI and CLI for AWS Partner Central co-selling"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a local Partner Central (selling and account APIs) for demos, tests and scripts.
    Sandbox(sandbox::SandboxArgs),
}

/// Runs the parsed command and returns the process exit code.
pub fn run(cli: Cli) -> color_eyre::Result<i32> {
    color_eyre::install()?;
    match cli.command {
        Some(Command::Sandbox(args)) => sandbox::run(args),
        None => {
            use clap::CommandFactory;
            Cli::command().print_help()?;
            Ok(2)
        }
    }
}
