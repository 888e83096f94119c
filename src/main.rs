//! The `fouille` binary: with no subcommand (or `gui`) it opens the desktop app, otherwise
//! it runs a command-line subcommand.

use clap::Parser;
use fouille::cli::{Cli, Command};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        None => fouille::ui::run(None),
        Some(Command::Gui { project }) => fouille::ui::run(project),
        Some(command) => fouille::cli::run(command),
    };
    if let Err(error) = result {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}
