//! The refusals of the core reach a French interface in French: each kind of error a user
//! can meet, triggered through the application layer or the store, is worded from the
//! catalogue with the names it concerns, and no English sentence is left in it.

use fouille::app::AppError;
use fouille::app::edit::{self, Edit};
use fouille::i18n::{I18n, Language, errors};
use fouille::model::{
    AttributeScope, AttributeType, BadValue, CodeId, CodeKind, DocumentId, DocumentKind,
};
use fouille::store::documents::NewDocument;
use fouille::store::{Project, Rule, StoreError, attributes, codes, documents, respondents};
use std::path::Path;

/// Words an English sentence would hardly do without, and a French one never uses.
const ENGLISH: &[&str] = &[
    " the ",
    " is ",
    " not ",
    " needs ",
    " already ",
    " cannot ",
    "found",
    " must ",
    " was ",
    " has ",
    " choose",
    " outside",
    " empty",
    " names ",
    " several ",
];

/// Asserts that `message` is French: it contains every piece of `wanted` and none of the
/// English words.
fn assert_french(message: &str, wanted: &[&str]) {
    let padded = format!(" {} ", message.to_lowercase());
    for word in ENGLISH {
        assert!(!padded.contains(word), "English {word:?} in: {message}");
    }
    for piece in wanted {
        assert!(message.contains(piece), "{piece:?} missing from: {message}");
    }
}

/// The French wording of an edit's refusal.
fn refused(project: &mut Project, change: Edit) -> String {
    let error = edit::apply(project, change).expect_err("the edit should be refused");
    errors::app(&I18n::new(Language::Fr), &error)
}

/// The French wording of a store refusal.
fn store_fr(error: StoreError) -> String {
    errors::store(&I18n::new(Language::Fr), &error)
}

fn add_code(name: &str, kind: CodeKind, parent: Option<&CodeId>) -> Edit {
    Edit::AddCode {
        parent: parent.cloned(),
        name: name.into(),
        kind,
        color: None,
        description: String::new(),
    }
}

fn code_guid(project: &Project, name: &str) -> CodeId {
    codes::list(project.conn())
        .unwrap()
        .into_iter()
        .find(|c| c.name == name)
        .unwrap()
        .guid
}

/// A project with one 74-character interview and a theme « Confiance » holding « Doute ».
fn project(path: &Path) -> (Project, DocumentId) {
    let mut project = Project::create(path, "Erreurs", Some("Claire")).unwrap();
    let doc = project
        .action("action.import", |tx| {
            documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: "Entretien Agnès".into(),
                    kind: DocumentKind::Interview,
                    text: "L'accueil ferme à midi, et c'est dur.".repeat(2),
                    origin: String::new(),
                    media_path: None,
                    respondent_guid: None,
                },
            )
        })
        .unwrap();
    edit::apply(&mut project, add_code("Confiance", CodeKind::Theme, None)).unwrap();
    let confiance = code_guid(&project, "Confiance");
    edit::apply(
        &mut project,
        add_code("Doute", CodeKind::Theme, Some(&confiance)),
    )
    .unwrap();
    (project, doc)
}

#[test]
fn codebook_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let confiance = code_guid(&project, "Confiance");
    let doute = code_guid(&project, "Doute");

    let said = refused(&mut project, add_code("  ", CodeKind::Theme, None));
    assert_french(&said, &["Un code doit avoir un nom"]);

    let said = refused(&mut project, add_code("Confiance", CodeKind::Theme, None));
    assert_french(&said, &["« Confiance »", "existe déjà"]);

    let said = refused(&mut project, add_code("a/b", CodeKind::Theme, None));
    assert_french(&said, &["« a/b »", "ne peut pas contenir"]);

    let said = refused(
        &mut project,
        Edit::AddCode {
            parent: None,
            name: "Vert".into(),
            kind: CodeKind::Theme,
            color: Some("vert pomme".into()),
            description: String::new(),
        },
    );
    assert_french(&said, &["« vert pomme »", "n'est pas une couleur"]);

    let said = refused(
        &mut project,
        Edit::MoveCode {
            guid: confiance.clone(),
            parent: Some(doute.clone()),
            position: None,
        },
    );
    assert_french(&said, &["« Confiance »", "à l'intérieur de lui-même"]);

    let said = refused(
        &mut project,
        Edit::MergeCode {
            from: confiance.clone(),
            into: confiance.clone(),
        },
    );
    assert_french(&said, &["fusionner un code avec lui-même"]);

    let said = refused(
        &mut project,
        Edit::MergeCode {
            from: confiance.clone(),
            into: doute.clone(),
        },
    );
    assert_french(&said, &["sous-codes"]);

    let said = refused(&mut project, add_code("Pôle seul", CodeKind::Pole, None));
    assert_french(&said, &["« Pôle seul »", "sous une controverse"]);

    edit::apply(
        &mut project,
        Edit::AddControversy {
            parent: None,
            name: "Horaires".into(),
            pole_a: "Ouvrir tard".into(),
            pole_b: "Fermer tôt".into(),
        },
    )
    .unwrap();
    let pole = code_guid(&project, "Ouvrir tard");
    let said = refused(&mut project, add_code("Nuit", CodeKind::Theme, Some(&pole)));
    assert_french(&said, &["Un pôle ne peut pas contenir d'autres codes"]);
    let controversy = code_guid(&project, "Horaires");
    let said = refused(
        &mut project,
        add_code("Troisième", CodeKind::Pole, Some(&controversy)),
    );
    assert_french(&said, &["« Horaires »", "a déjà ses deux pôles"]);
}

#[test]
fn coding_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, doc) = project(&dir.path().join("e.fouille"));
    let doute = code_guid(&project, "Doute");
    let apply = |start, end| Edit::ApplyCode {
        document: doc.clone(),
        code: doute.clone(),
        start,
        end,
        memo: None,
    };

    let said = refused(&mut project, apply(5, 500));
    assert_french(
        &said,
        &["L'extrait 5..500", "dépasse de son document", "0..74"],
    );
    let said = refused(&mut project, apply(7, 7));
    assert_french(&said, &["L'extrait 7..7 est vide"]);

    edit::apply(&mut project, add_code("Classeur", CodeKind::Folder, None)).unwrap();
    let folder = code_guid(&project, "Classeur");
    let said = refused(
        &mut project,
        Edit::ApplyCode {
            document: doc.clone(),
            code: folder,
            start: 0,
            end: 5,
            memo: None,
        },
    );
    assert_french(&said, &["« Classeur » est un dossier"]);

    let said = refused(
        &mut project,
        Edit::ApplyCode {
            document: doc.clone(),
            code: CodeId::new("pas-un-code"),
            start: 0,
            end: 5,
            memo: None,
        },
    );
    assert_french(&said, &["Introuvable : code « pas-un-code »"]);

    edit::apply(&mut project, Edit::DeleteDocument(doc.clone())).unwrap();
    let said = refused(&mut project, apply(0, 5));
    assert_french(&said, &["Le document « Entretien Agnès » a été supprimé"]);
}

#[test]
fn team_and_lookup_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.fouille");
    let (mut project, doc) = project(&path);
    let doute = code_guid(&project, "Doute");
    let claire = fouille::store::coders::find(project.conn(), "Claire")
        .unwrap()
        .guid;

    let error =
        fouille::team::accept::accept_version(&mut project, &doc, &doute, 0, 10, &claire, &claire)
            .expect_err("one coder twice");
    assert_french(&store_fr(error), &["Choisissez deux codeurs différents"]);

    let error =
        fouille::store::coders::find(project.conn(), "Personne").expect_err("an unknown coder");
    assert_french(&store_fr(error), &["Introuvable : codeur « Personne »"]);

    // Two codes named « Doute », under two themes: the bare name is ambiguous.
    edit::apply(&mut project, add_code("Méfiance", CodeKind::Theme, None)).unwrap();
    let mefiance = code_guid(&project, "Méfiance");
    edit::apply(
        &mut project,
        add_code("Doute", CodeKind::Theme, Some(&mefiance)),
    )
    .unwrap();
    let error = codes::resolve(project.conn(), "Doute").expect_err("two codes named Doute");
    assert_french(
        &store_fr(error),
        &[
            "« Doute » désigne plusieurs codes",
            "Confiance/Doute",
            "Méfiance/Doute",
        ],
    );

    let error = Project::create(&path, "Encore", Some("Claire")).expect_err("file exists");
    assert_french(&store_fr(error), &[path.to_str().unwrap(), "existe déjà"]);
}

#[test]
fn attribute_refusals_read_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (mut project, _) = project(&dir.path().join("e.fouille"));
    let define = |name: &str, value_type| Edit::DefineAttribute {
        name: name.into(),
        value_type,
        scope: AttributeScope::Respondent,
    };
    let said = refused(&mut project, define(" ", AttributeType::Text));
    assert_french(&said, &["Un attribut doit avoir un nom"]);
    edit::apply(&mut project, define("Âge", AttributeType::Integer)).unwrap();
    let said = refused(&mut project, define("Âge", AttributeType::Date));
    assert_french(&said, &["« Âge »", "existe déjà", "« nombre entier »"]);

    let said = refused(&mut project, Edit::AddRespondent("".into()));
    assert_french(&said, &["Un enquêté doit avoir un nom"]);
    edit::apply(&mut project, Edit::AddRespondent("Léa".into())).unwrap();
    let lea = respondents::list(project.conn()).unwrap()[0]
        .guid
        .to_string();
    let age = attributes::list(project.conn(), None)
        .unwrap()
        .into_iter()
        .find(|a| a.name == "Âge")
        .unwrap()
        .guid;
    let said = refused(
        &mut project,
        Edit::SetAttributeValue {
            attribute: age,
            owner: lea,
            value: Some("vingt ans".into()),
        },
    );
    assert_french(
        &said,
        &["Âge : « vingt ans » ne convient pas au type « nombre entier »"],
    );
}

#[test]
fn survey_and_other_rules_read_in_french() {
    // A survey cell that does not fit its column's type: the import checks the types
    // before writing, so the rule is worded here from the error itself.
    let survey = StoreError::Rule(Rule::SurveyValue {
        file: "enquête.csv".into(),
        line: 12,
        attribute: "Date d'entretien".into(),
        problem: BadValue {
            raw: "hier".into(),
            expected: AttributeType::Date,
        },
    });
    assert_french(
        &store_fr(survey),
        &[
            "enquête.csv, ligne 12",
            "Date d'entretien",
            "« hier » n'est pas une date",
        ],
    );
    let import = AppError::Import(fouille::import::files::ImportError::Store(
        StoreError::Rule(Rule::TooFewCoders),
    ));
    assert_french(
        &errors::app(&I18n::new(Language::Fr), &import),
        &["deux codeurs au moins"],
    );
    // A table or a report that meets a store refusal words it the same way.
    let analysis = AppError::Analysis(fouille::analysis::AnalysisError::Store(StoreError::Rule(
        Rule::TextNotUtf8 {
            document: "Entretien".into(),
        },
    )));
    assert_french(
        &errors::app(&I18n::new(Language::Fr), &analysis),
        &["Document « Entretien »", "UTF-8 valide"],
    );
    for rule in [
        Rule::ControversyHoldsPolesOnly,
        Rule::PseudonymEmpty,
        Rule::PseudonymItself {
            original: "Agnès".into(),
        },
        Rule::AmbiguousDocument {
            name: "Entretien".into(),
        },
        Rule::MergeTextGone {
            hash: "ab12".into(),
        },
        Rule::TextNotUtf8 {
            document: "Entretien".into(),
        },
        Rule::PisteOutsideOrientation {
            name: "Piste".into(),
        },
        Rule::EmptyName(fouille::store::Named::Coder),
        Rule::EmptyName(fouille::store::Named::Document),
    ] {
        let said = store_fr(StoreError::Rule(rule.clone()));
        assert_french(&said, &[]);
        assert_ne!(said, rule.to_string(), "not translated: {said}");
    }
}
