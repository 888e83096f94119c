//! The agreement report as tables for the exporters (CSV, XLSX, ODS, Markdown): the
//! coefficients per code, and the disagreements to review.

use super::{AgreementReport, UnitKind};
use crate::analysis::{Cell, Table};
use crate::model::CoderId;
use std::collections::HashMap;

fn opt(v: Option<f64>) -> Cell {
    v.map(Cell::Float).unwrap_or(Cell::Empty)
}

impl AgreementReport {
    /// The coefficients, one row per code and an overall row, for the table exporters.
    pub fn table(&self) -> Table {
        let unit = match self.unit {
            UnitKind::Char => "caractères — characters",
            UnitKind::Segment => "segments",
        };
        let mut columns = vec![
            "Code".to_string(),
            format!("Unités ({unit})"),
            "Accord — agreement".to_string(),
            "Kappa de Cohen".to_string(),
            "Alpha de Krippendorff".to_string(),
        ];
        columns.extend(
            self.coders
                .iter()
                .map(|c| format!("Codé par — coded by {}", c.name)),
        );
        let mut table = Table::new("Accord inter-codeurs — Inter-coder agreement", columns);
        for r in self.per_code.iter().chain(std::iter::once(&self.overall)) {
            let mut cells = vec![
                Cell::Text(r.code_path.clone()),
                Cell::Int(r.units.round() as i64),
                r.percent.map(Cell::Percent).unwrap_or(Cell::Empty),
                opt(r.kappa),
                opt(r.alpha),
            ];
            cells.extend(r.coded.iter().map(|v| Cell::Int(v.round() as i64)));
            table.rows.push(cells);
        }
        table.notes.push(format!(
            "Codeurs — coders: {}. Documents: {}.",
            self.coders
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            self.documents.len()
        ));
        for (coder, doc) in &self.missing {
            table.notes.push(format!(
                "{coder} n’a pas codé « {doc} » (valeurs manquantes — missing values)"
            ));
        }
        if self.coders.len() != 2 {
            table.notes.push(
                "Le kappa de Cohen compare deux codeurs — Cohen's kappa needs exactly two coders."
                    .into(),
            );
        }
        table
    }

    /// The disagreements, one row each, for the table exporters.
    pub fn disagreements_table(&self) -> Table {
        let names: HashMap<&str, &str> = self
            .coders
            .iter()
            .map(|c| (c.guid.as_str(), c.name.as_str()))
            .collect();
        let who = |list: &[CoderId]| {
            list.iter()
                .map(|g| names.get(g.as_str()).copied().unwrap_or(g.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut table = Table::new(
            "Désaccords — Disagreements",
            [
                "Document",
                "Code",
                "Début — start",
                "Fin — end",
                "Codé par — coded by",
                "Non codé par — not coded by",
                "Texte — text",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
        for d in &self.disagreements {
            table.rows.push(vec![
                Cell::Text(d.document_name.clone()),
                Cell::Text(d.code_path.clone()),
                Cell::from(d.start_char),
                Cell::from(d.end_char),
                Cell::Text(who(&d.coded_by)),
                Cell::Text(who(&d.not_coded_by)),
                Cell::Text(d.text.clone()),
            ]);
        }
        table
    }
}
