//! `fouille bench`.

use std::path::PathBuf;

use super::print_json;

/// Arguments of `fouille bench`.
#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// small (CI smoke test), medium or large (1,000 interviews, 100,000 codings).
    #[arg(long, default_value = "small")]
    pub scale: String,
    /// Runs per figure (the median is reported).
    #[arg(long, default_value_t = 3)]
    pub runs: usize,
    /// Working folder (default: a temporary folder, removed after).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

pub(super) fn bench(args: BenchArgs) -> anyhow::Result<()> {
    let temp = std::env::temp_dir().join(format!("fouille-bench-{}", std::process::id()));
    let dir = args.dir.clone().unwrap_or_else(|| temp.clone());
    let json = args.json;
    let result = crate::bench::run::run(&args.scale, &dir, args.runs, |f| {
        if !json {
            let target = f.target.as_deref().unwrap_or("");
            let met = match f.met {
                Some(true) => "ok",
                Some(false) => "MISSED",
                None => "",
            };
            println!("{:<28} {:>10.2} {:<5} {:<10} {:<6} {}", f.name, f.value, f.unit, target, met, f.note);
        }
    });
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    let report = result?;
    if json {
        print_json(&report)?;
    }
    Ok(())
}
