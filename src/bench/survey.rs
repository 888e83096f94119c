//! Survey tables for the benchmark: a deterministic CSV of open answers, written as a
//! stream (a million rows is never held whole), and the timing of its import.
//!
//! The answers look like a real consultation's: French-like sentences of 5 to 120 words,
//! with the usual noise (empty answers, « RAS », « cf. ci-dessus », the same answer given by
//! many, emoji, a few very long answers, quotes and line breaks inside cells).

use std::io::Write;
use std::path::Path;

use super::{Figure, SplitMix};

/// Words answers are drawn from.
const WORDS: &[&str] = &[
    "service",
    "public",
    "mairie",
    "agents",
    "usagers",
    "accueil",
    "délais",
    "démarches",
    "numérique",
    "guichet",
    "écoute",
    "proximité",
    "territoire",
    "confiance",
    "cœur",
    "métier",
    "réforme",
    "moyens",
    "écoles",
    "transports",
    "santé",
    "élus",
    "données",
    "participation",
    "citoyens",
    "concertation",
    "budget",
    "été",
    "hôpital",
    "déchets",
    "vélo",
    "logement",
    "emploi",
    "jeunes",
    "aînés",
    "sécurité",
    "qualité",
    "simplicité",
    "attente",
    "téléphone",
    "formulaire",
    "internet",
    "humain",
    "village",
    "quartier",
];

const FILLERS: &[&str] = &[
    "RAS",
    "cf. ci-dessus",
    "Pas d'avis.",
    "Non",
    "Oui 👍",
    "idem",
];
const BANDS: &[&str] = &["18-24", "25-34", "35-49", "50-64", "65+"];
const SIZES: &[&str] = &["rural", "petite ville", "ville moyenne", "métropole"];
const JOBS: &[&str] = &[
    "agent public",
    "salarié",
    "indépendant",
    "retraité",
    "étudiant",
    "sans emploi",
];

/// The attribute columns of a generated table, in order.
pub const ATTRIBUTES: &[&str] = &[
    "tranche_age",
    "departement",
    "taille_commune",
    "activite",
    "genre",
    "anciennete",
    "canal",
    "region",
    "enfants",
    "vehicule",
    "usage_numerique",
    "date_reponse",
];

/// The answer columns of a generated table.
pub const ANSWERS: &[&str] = &["q1_attentes", "q2_difficultes", "q3_propositions"];

/// One open answer: mostly sentences, sometimes noise.
fn answer(rng: &mut SplitMix, out: &mut String) {
    match rng.below(100) {
        0..=5 => {}
        6..=11 => out.push_str(FILLERS[rng.below(FILLERS.len())]),
        12..=14 => out.push_str("Il faut plus de moyens pour le service public de proximité."),
        _ => {
            let words = if rng.below(200) == 0 {
                600 + rng.below(400)
            } else {
                5 + rng.below(116)
            };
            for i in 0..words {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(WORDS[rng.below(WORDS.len())]);
                if i % 17 == 16 {
                    out.push_str(if rng.below(10) == 0 { ".\n" } else { "." });
                }
            }
            if rng.below(20) == 0 {
                out.push_str(" « vraiment » 😅");
            }
            out.push('.');
        }
    }
}

/// A CSV cell, quoted when it holds a delimiter, a quote or a line break.
fn push_cell(line: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n']) {
        line.push('"');
        line.push_str(&cell.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(cell);
    }
}

/// The attribute values of one respondent.
fn attributes(rng: &mut SplitMix, line: &mut String) {
    let values = [
        BANDS[rng.below(BANDS.len())].to_string(),
        format!("{:02}", 1 + rng.below(95)),
        SIZES[rng.below(SIZES.len())].to_string(),
        JOBS[rng.below(JOBS.len())].to_string(),
        ["femme", "homme", "autre"][rng.below(3)].to_string(),
        (rng.below(40)).to_string(),
        ["en ligne", "papier", "réunion"][rng.below(3)].to_string(),
        format!("R{}", 1 + rng.below(13)),
        rng.below(5).to_string(),
        ["oui", "non"][rng.below(2)].to_string(),
        ["faible", "moyen", "fort"][rng.below(3)].to_string(),
        format!("2019-{:02}-{:02}", 1 + rng.below(3), 1 + rng.below(28)),
    ];
    for value in values {
        line.push(',');
        push_cell(line, &value);
    }
}

/// Writes a survey table of `rows` respondents to `path` (`id`, the [`ATTRIBUTES`], the
/// [`ANSWERS`]), the same for the same seed; returns its size in bytes.
pub fn write_csv(path: &Path, rows: usize, seed: u64) -> std::io::Result<u64> {
    let mut out = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut header = String::from("id");
    for name in ATTRIBUTES.iter().chain(ANSWERS) {
        header.push(',');
        header.push_str(name);
    }
    writeln!(out, "{header}")?;
    let mut rng = SplitMix(seed);
    let mut line = String::new();
    let mut cell = String::new();
    for i in 0..rows {
        line.clear();
        line.push_str(&format!("C{i:07}"));
        attributes(&mut rng, &mut line);
        for _ in ANSWERS {
            cell.clear();
            answer(&mut rng, &mut cell);
            line.push(',');
            push_cell(&mut line, &cell);
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    out.flush()?;
    drop(out);
    Ok(std::fs::metadata(path)?.len())
}

/// Times the import of generated survey tables of each size in `rows_list` into a new
/// project (one run each: the largest takes tens of seconds), with its peak memory.
pub fn survey_import(
    dir: &Path,
    rows_list: &[usize],
    push: &mut dyn FnMut(Figure),
) -> Result<(), super::run::BenchError> {
    for &rows in rows_list {
        let csv = dir.join(format!("enquete-{rows}.csv"));
        let bytes = write_csv(&csv, rows, 7)?;
        let path = dir.join(format!("enquete-{rows}.fouille"));
        super::run::remove_project(&path);
        let mut project = crate::store::Project::create(&path, "Enquête", Some("Bench"))?;
        let columns = crate::import::files::SurveyColumns {
            id_column: "id".into(),
            answer_columns: ANSWERS.iter().map(|s| s.to_string()).collect(),
            attribute_columns: ATTRIBUTES.iter().map(|s| s.to_string()).collect(),
        };
        super::reset_peak_rss();
        let started = std::time::Instant::now();
        let outcome = crate::import::files::import_survey(
            &mut project,
            &csv,
            &columns,
            Default::default(),
            &mut |_| {},
        )
        .map_err(|e| super::run::BenchError::Report(e.to_string()))?;
        let seconds = started.elapsed().as_secs_f64();
        let rss = super::peak_rss_mb();
        push(Figure {
            name: format!("survey import, {rows} rows"),
            value: seconds,
            unit: "s".into(),
            target: None,
            met: None,
            runs: vec![seconds],
            note: format!(
                "{} MB CSV, {} answers, {} attributes each; {:.0} rows/s; peak RSS {} MB",
                bytes / 1_048_576,
                outcome.answers,
                ATTRIBUTES.len(),
                rows as f64 / seconds.max(1e-9),
                rss.map_or("?".into(), |m| format!("{m:.0}"))
            ),
        });
        drop(project);
        super::run::remove_project(&path);
        let _ = std::fs::remove_file(&csv);
    }
    Ok(())
}
