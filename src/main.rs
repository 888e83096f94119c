//! The `fouille` binary: with no subcommand (or `gui`) it opens the desktop app, otherwise
//! it runs a command-line subcommand.

use clap::Parser;
use fouille::cli::{Cli, Command};

fn main() {
    // Before any SQLite connection: every project file gets its page checksums checked.
    fouille::store::vfs::register();
    let cli = Cli::parse();
    let result = match cli.command {
        None => {
            fouille::crash_report::install();
            fouille::ui::run(None)
        }
        Some(Command::Gui { project }) => {
            fouille::crash_report::install();
            fouille::ui::run(project)
        }
        Some(command) => {
            restore_sigpipe();
            fouille::cli::run(cli.global, command, fouille::ui::bench::frame_times)
        }
    };
    if let Err(error) = result {
        let said = fouille::cli::describe_error(&error);
        eprintln!("{}", fouille::cli::tr().f("cli.error", &[("error", &said)]));
        std::process::exit(1);
    }
}

/// Lets `fouille documents | head` end quietly: the default SIGPIPE action ends the process
/// when the reader goes away (Rust ignores SIGPIPE, which makes `println!` panic instead).
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to its default at start-up, before any thread
    // is spawned, has no memory-safety consequence.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
