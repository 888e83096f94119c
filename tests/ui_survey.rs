//! The survey grid: one row per respondent, one column per question; read and code answer
//! by answer; virtual rows keep hundreds of rows cheap.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use fouille::import::files::{SurveyColumns, import_survey_bytes};
use fouille::store::{Project, codings};
use fouille::ui::state::Screen;
use fouille::ui::widgets::shorten;

use crate::support::ui::{code_guid, harness, sample};

// Open the grid, click an answer, code the whole answer by clicking a code, move to the
// next answer with Alt+↓ and code it with the number key of the recent code.
#[test]
fn survey_grid_codes_answer_by_answer() {
    let sample = sample();
    let mut h = harness(&sample.path);
    h.get_by_label("Questionnaire").click();
    h.run();
    assert_eq!(h.state().state().screen, Screen::Survey);
    let survey = h.state().cache().survey.clone();
    assert_eq!(
        survey.questions,
        vec!["q1_difficultes", "q2_cooperation", "q3_suggestion"]
    );
    assert_eq!(survey.rows.len(), 30);
    assert!(h.query_by_label("q2_cooperation").is_some());

    // The first respondent's first answer.
    let answer = survey.rows[0].1[0].clone().unwrap();
    let text = h.state().cache().answer_texts[&answer].clone();
    h.get_by_role_and_label(egui::Role::Button, &shorten(&text, 60))
        .click();
    h.run();
    assert_eq!(h.state().nav().document.as_ref(), Some(&answer));

    // No selection in the survey screen: a code click codes the whole answer.
    let code = code_guid(h.state(), "Charge de travail");
    h.get_by_role_and_label(egui::Role::Button, "Charge de travail")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::Role::Button, "Charge de travail")
        .click();
    h.run();
    let coded = codings::for_document(h.state().project().unwrap().conn(), &answer).unwrap();
    assert_eq!(coded.len(), 1);
    assert_eq!(
        (coded[0].start_char, coded[0].end_char),
        (0, text.chars().count())
    );
    assert_eq!(coded[0].code_guid, code);

    // Alt+↓: the next respondent's answer to the same question; 1 codes it.
    h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
    h.run();
    let next = survey.rows[1].1[0].clone().unwrap();
    assert_eq!(h.state().nav().document.as_ref(), Some(&next));
    h.key_press(Key::Num1);
    h.run();
    let coded = codings::for_document(h.state().project().unwrap().conn(), &next).unwrap();
    assert_eq!(coded.len(), 1);
    assert_eq!(coded[0].code_guid, code);
}

// 600 respondents; only the visible rows are laid out.
#[test]
fn survey_grid_with_hundreds_of_rows_draws_only_what_shows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("grande.fouille");
    {
        let mut project = Project::create(&path, "Grande enquête", Some("Testeur")).unwrap();
        let mut csv = String::from("id;age;q1;q2\n");
        for i in 0..600 {
            csv.push_str(&format!(
                "P{i:03};{};Réponse un du répondant {i};Réponse deux du répondant {i}\n",
                20 + i % 50
            ));
        }
        let columns = SurveyColumns {
            id_column: "id".into(),
            answer_columns: vec!["q1".into(), "q2".into()],
            attribute_columns: vec!["age".into()],
        };
        import_survey_bytes(
            &mut project,
            csv.as_bytes(),
            std::path::Path::new("grande.csv"),
            &columns,
        )
        .unwrap();
    }
    let mut h = harness(&path);
    assert_eq!(h.state().cache().survey.rows.len(), 600);
    h.get_by_label("Questionnaire").click();
    h.run();
    let shown = h
        .query_all_by_role(egui::Role::Button)
        .filter(|n| {
            n.accesskit_node()
                .label()
                .is_some_and(|l| l.starts_with("Réponse un du répondant"))
        })
        .count();
    assert!(shown > 3 && shown < 60, "{shown} answer cells in the tree");
    assert!(
        h.query_by_role_and_label(egui::Role::Button, "Réponse un du répondant 0")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(egui::Role::Button, "Réponse un du répondant 599")
            .is_none()
    );
}
