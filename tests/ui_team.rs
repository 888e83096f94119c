//! The Team screen: agreement between coders, accepting a version, blinded coding.

use egui_kittest::kittest::Queryable;
use fouille::team::coverage::{AgreementRequest, UnitKind, agreement};
use fouille::ui::command::Navigation;

use crate::support::ui::{harness, sample};

// Tick two coders, compute: the table is the core's; "keep X's version" resolves a
// disagreement (one undoable action); the blind switch hides the other coders' codings.
#[test]
fn agreement_accept_and_blind_coding() {
    let sample = sample();
    let mut h = harness(&sample.path);
    let coders: Vec<(fouille::model::CoderId, String)> = h
        .state()
        .cache()
        .coders
        .iter()
        .filter(|c| c.name != "Testeur")
        .map(|c| (c.guid.clone(), c.name.clone()))
        .collect();
    assert!(coders.len() >= 2, "the sample has two coders");
    h.get_by_label("Équipe").click();
    h.run();
    h.get_by_label(&coders[0].1).click();
    h.get_by_label(&coders[1].1).click();
    h.run();
    h.get_by_label("Calculer l'accord").click();
    h.run();
    let expected = agreement(
        h.state().project().unwrap().conn(),
        &AgreementRequest {
            coders: {
                let mut v = vec![coders[0].0.clone(), coders[1].0.clone()];
                v.sort();
                v
            },
            unit: UnitKind::Char,
            ..Default::default()
        },
    )
    .unwrap();
    let report = h.state().team().report.clone().expect("computed");
    assert_eq!(report.table(), expected.table());
    let before = report.disagreements.len();
    assert!(before > 0, "the sample's coders disagree somewhere");
    let first = report.disagreements[0].clone();
    let from = h
        .state()
        .cache()
        .coders
        .iter()
        .find(|c| c.guid == first.coded_by[0])
        .unwrap()
        .name
        .clone();
    let to = h
        .state()
        .cache()
        .coders
        .iter()
        .find(|c| c.guid == first.not_coded_by[0])
        .unwrap()
        .name
        .clone();
    h.get_all_by_label(&format!("Garder la version de {from} pour {to}"))
        .next()
        .unwrap()
        .click();
    h.run();
    let after = h.state().team().report.clone().unwrap();
    assert!(
        after.disagreements.len() < before,
        "{} → {}",
        before,
        after.disagreements.len()
    );
    assert!(
        !after
            .disagreements
            .iter()
            .any(|d| d.document_guid == first.document_guid
                && d.code_guid == first.code_guid
                && d.start_char == first.start_char
                && d.end_char == first.end_char)
    );

    // Blinded coding: the acting coder (Testeur, no codings) sees none in the document.
    assert!(!h.state().blind());
    h.get_by_label("Codage à l'aveugle").click();
    h.run();
    assert!(h.state().blind());
    h.get_by_label("Codage").click();
    h.run();
    assert_eq!(h.state().document_view().coding_count(), 0);
    assert!(h.state().state().only_my_codings);
    // Excerpts of a code: none of the other coders' show.
    let code = h.state().cache().codes[1].code.guid.clone();
    h.state_mut()
        .run_command(fouille::ui::command::Command::Go(Navigation::SelectCode {
            guid: code,
            additive: false,
        }));
    h.run();
    assert!(h.state().retrieval_results().is_empty());
    // And the codebook counts only the acting coder's codings (none).
    assert!(h.state().cache().codes.iter().all(|c| c.count == 0));
    // So do the documents' counts (document list, survey grid).
    assert!(h.state().cache().document_codings.values().all(|&n| n == 0));
    assert!(h.query_by_label("Codage à l'aveugle").is_none());
    // The analysis tables count only the acting coder's codings too (none).
    h.get_by_label("Analyse").click();
    h.run();
    let me = h.state().cache().coder.as_ref().map(|c| c.guid.clone());
    assert_eq!(h.state().analysis().coder, me);
    let total = h.state().analysis().tables[0].rows.last().unwrap().clone();
    assert_eq!(total[2], fouille::analysis::Cell::from(0usize), "{total:?}");
}
