//! A deterministic synthetic corpus in French-like text, shaped like a national survey:
//! interviews with speaker turns, a Réflexes-publics-shaped codebook plus themes, coders,
//! respondents with eight attributes, and word-aligned codings.

use super::SplitMix;
use crate::model::{CodeId, CodingId, DocumentId, RespondentId};

/// How big a corpus to generate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct CorpusSpec {
    /// Interviews (besides the long transcript).
    pub interviews: usize,
    /// Words in each generated interview (all interviews have the same length).
    pub words_per_interview: usize,
    /// Codes in all (template and pistes included).
    pub codes: usize,
    /// Codings spread at random over the interviews (the long transcript's are counted apart).
    pub codings: usize,
    /// Number of coders the codings are spread over at random.
    pub coders: usize,
    /// Chars of the longest transcript.
    pub long_transcript_chars: usize,
    /// Codings on the longest transcript.
    pub long_transcript_codings: usize,
}

impl CorpusSpec {
    /// The named scales: small (CI smoke test), medium, large (1,000 interviews, ~10 M
    /// words, 300 codes, 100,000 codings by 4 coders).
    pub fn scale(name: &str) -> Option<CorpusSpec> {
        let (interviews, words, codings, long_chars, long_codings) = match name {
            "small" => (20, 1_000, 2_000, 30_000, 500),
            "medium" => (200, 5_000, 20_000, 150_000, 2_500),
            "large" => (1_000, 10_000, 100_000, 300_000, 5_000),
            _ => return None,
        };
        Some(CorpusSpec {
            interviews,
            words_per_interview: words,
            codes: 300,
            codings,
            coders: 4,
            long_transcript_chars: long_chars,
            long_transcript_codings: long_codings,
        })
    }
}

/// A generated document.
#[derive(Debug, Clone)]
pub struct GenDocument {
    /// Random-looking UUID drawn from the seeded generator, so runs with one seed agree.
    pub guid: DocumentId,
    /// `entretien-NNNN` (1-based), or `transcription-longue` for the long transcript.
    pub name: String,
    /// Text, already normalised (LF line breaks, no BOM) as the store keeps it.
    pub text: String,
    /// Length of `text` in chars (Unicode scalar values).
    pub char_len: usize,
    /// Index into [`Corpus::respondents`] of the person interviewed.
    pub respondent: usize,
    /// Char offsets where words start (for word-aligned codings).
    pub word_starts: Vec<u32>,
}

/// A generated coding.
#[derive(Debug, Clone)]
pub struct GenCoding {
    /// UUID drawn from the seeded generator.
    pub guid: CodingId,
    /// Index into [`Corpus::documents`] of the coded document.
    pub document: usize,
    /// GUID of a code of [`Corpus::extra_codes`]; every tenth coding gets the busy code.
    pub code_guid: CodeId,
    /// First char of the excerpt, at a word start, counted in chars into the text, inclusive.
    pub start_char: usize,
    /// End of the excerpt in chars, exclusive; never below `start_char + 1`.
    pub end_char: usize,
    /// Index into [`Corpus::coders`] of the coder who made it.
    pub coder: usize,
}

/// A generated respondent.
#[derive(Debug, Clone)]
pub struct GenRespondent {
    /// UUID drawn from the seeded generator.
    pub guid: RespondentId,
    /// `Répondant·e NNNN` (1-based).
    pub name: String,
    /// Eight attribute values, in [`ATTRIBUTES`] order.
    pub values: Vec<String>,
}

/// Names of the eight respondent attributes.
pub const ATTRIBUTES: [&str; 8] = [
    "role",
    "organisation_type",
    "territory",
    "region",
    "age",
    "seniority_years",
    "interview_date",
    "interviewer",
];

/// The whole corpus.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// The spec it was made from.
    pub spec: CorpusSpec,
    /// Coder names, `Codeur 1`, `Codeur 2`…; codings name their coder by index into this list.
    pub coders: Vec<String>,
    /// Respondents, one per document (the long transcript's is last), same index as the document.
    pub respondents: Vec<GenRespondent>,
    /// Documents; the last one is the long transcript.
    pub documents: Vec<GenDocument>,
    /// The codebook in tree order: (guid, parent path, name, kind).
    pub extra_codes: Vec<(CodeId, String, String, crate::model::CodeKind)>,
    /// Codings over every document, word-aligned, in generation order.
    pub codings: Vec<GenCoding>,
    /// The code given to 10% of the codings (retrieval benchmark).
    pub busy_code_path: String,
}

const VOCAB: &[&str] = &[
    "alors",
    "donc",
    "euh",
    "voilà",
    "enfin",
    "bon",
    "en",
    "fait",
    "c'est",
    "qu'on",
    "les",
    "usagers",
    "agents",
    "élus",
    "mairie",
    "service",
    "accueil",
    "démarche",
    "dossier",
    "équipe",
    "cœur",
    "métier",
    "année",
    "crise",
    "réunion",
    "habitants",
    "quartier",
    "budget",
    "participatif",
    "données",
    "outil",
    "numérique",
    "formulaire",
    "guichet",
    "département",
    "région",
    "intercommunalité",
    "collègues",
    "direction",
    "pilotage",
    "confiance",
    "rituel",
    "coopération",
    "partenaires",
    "associations",
    "bénévoles",
    "écoute",
    "proximité",
    "territoire",
    "rural",
    "urbain",
    "périurbain",
    "projet",
    "décision",
    "arbitrage",
    "ressources",
    "moyens",
    "postes",
    "recrutement",
    "formation",
    "compétences",
    "réorganisation",
    "télétravail",
    "confinement",
    "solidarité",
    "précarité",
    "logement",
    "emploi",
    "santé",
    "école",
    "crèche",
    "EHPAD",
    "déchets",
    "collecte",
    "tournée",
    "bâtiment",
    "travaux",
    "sécurité",
    "qualité",
    "évaluation",
    "indicateur",
    "tableau",
    "bord",
    "réunion",
    "comité",
    "vraiment",
    "toujours",
    "jamais",
    "souvent",
    "parfois",
    "beaucoup",
    "peu",
    "très",
    "assez",
    "plutôt",
    "on",
    "a",
    "fait",
    "dit",
    "vu",
    "pris",
    "mis",
    "eu",
    "été",
    "pu",
    "dû",
    "voulu",
    "essayé",
    "réussi",
    "œuvre",
    "sœur",
    "manœuvre",
    "là",
    "où",
    "déjà",
    "après",
    "avant",
    "pendant",
    "depuis",
    "jusqu'à",
];

fn guid(rng: &mut SplitMix) -> String {
    let a = rng.next_u64().to_le_bytes();
    let b = rng.next_u64().to_le_bytes();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a);
    bytes[8..].copy_from_slice(&b);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

fn text(
    rng: &mut SplitMix,
    target_words: Option<usize>,
    target_chars: Option<usize>,
    speaker: &str,
) -> (String, Vec<u32>) {
    let mut out = String::new();
    let mut starts = Vec::new();
    let mut chars = 0usize;
    let mut words = 0usize;
    let mut in_turn = 0usize;
    let mut seconds = 0u64;
    while target_words.is_some_and(|t| words < t) || target_chars.is_some_and(|t| chars < t) {
        if in_turn == 0 {
            let who = if rng.below(3) == 0 {
                "Enquêtrice"
            } else {
                speaker
            };
            seconds += 5 + rng.below(40) as u64;
            let line = format!(
                "[{:02}:{:02}:{:02}] {who} : ",
                seconds / 3600,
                seconds / 60 % 60,
                seconds % 60
            );
            chars += line.chars().count();
            out.push_str(&line);
            in_turn = 20 + rng.below(100);
        }
        starts.push(u32::try_from(chars).unwrap_or(u32::MAX));
        let w = VOCAB[rng.below(VOCAB.len())];
        out.push_str(w);
        chars += w.chars().count();
        words += 1;
        in_turn -= 1;
        let sep = if in_turn == 0 {
            ".\n"
        } else if rng.below(12) == 0 {
            ", "
        } else {
            " "
        };
        out.push_str(sep);
        chars += sep.chars().count();
    }
    (out, starts)
}

/// Generates the corpus of `spec` from `seed` (same seed, same corpus).
pub fn generate(spec: CorpusSpec, seed: u64) -> Corpus {
    let mut rng = SplitMix(seed);
    let coders: Vec<String> = (0..spec.coders)
        .map(|i| format!("Codeur {}", i + 1))
        .collect();
    let roles = [
        "Agent d'accueil",
        "DRH",
        "Chef d'équipe",
        "Travailleuse sociale",
        "DGS",
        "Médiateur numérique",
    ];
    let orgs = [
        "Commune",
        "CCAS",
        "Département",
        "Région",
        "Intercommunalité",
        "Métropole",
    ];
    let territories = ["Urbain", "Périurbain", "Rural"];
    let regions = [
        "Bretagne",
        "Occitanie",
        "Grand Est",
        "Hauts-de-France",
        "Normandie",
        "Île-de-France",
    ];
    let respondents: Vec<GenRespondent> = (0..=spec.interviews)
        .map(|i| GenRespondent {
            guid: RespondentId::new(guid(&mut rng)),
            name: format!("Répondant·e {:04}", i + 1),
            values: vec![
                roles[rng.below(roles.len())].into(),
                orgs[rng.below(orgs.len())].into(),
                territories[rng.below(territories.len())].into(),
                regions[rng.below(regions.len())].into(),
                (25 + rng.below(40)).to_string(),
                rng.below(30).to_string(),
                format!("2025-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
                coders[rng.below(coders.len())].clone(),
            ],
        })
        .collect();
    let mut documents = Vec::new();
    for i in 0..=spec.interviews {
        let long = i == spec.interviews;
        let (t, word_starts) = if long {
            text(
                &mut rng,
                None,
                Some(spec.long_transcript_chars),
                "Répondant",
            )
        } else {
            text(&mut rng, Some(spec.words_per_interview), None, "Répondante")
        };
        documents.push(GenDocument {
            guid: DocumentId::new(guid(&mut rng)),
            name: if long {
                "transcription-longue".into()
            } else {
                format!("entretien-{:04}", i + 1)
            },
            char_len: t.chars().count(),
            text: t,
            respondent: i,
            word_starts,
        });
    }
    // The Réflexes publics codebook (with fresh GUIDs), three pistes per orientation, then
    // themes up to `spec.codes`.
    let mut extra_codes = Vec::new();
    fn walk(
        codes: &[crate::templates::TemplateCode],
        parent: &str,
        rng: &mut SplitMix,
        out: &mut Vec<(CodeId, String, String, crate::model::CodeKind)>,
    ) {
        for c in codes {
            let kind =
                crate::model::CodeKind::parse(&c.kind).unwrap_or(crate::model::CodeKind::Theme);
            out.push((
                CodeId::new(guid(rng)),
                parent.to_string(),
                c.fr.clone(),
                kind,
            ));
            let path = if parent.is_empty() {
                c.fr.clone()
            } else {
                format!("{parent}/{}", c.fr)
            };
            walk(&c.children, &path, rng, out);
            if kind == crate::model::CodeKind::Orientation {
                for j in 0..3 {
                    out.push((
                        CodeId::new(guid(rng)),
                        path.clone(),
                        format!("Piste {}", j + 1),
                        crate::model::CodeKind::Piste,
                    ));
                }
            }
        }
    }
    walk(
        &crate::templates::reflexes_publics().codes,
        "",
        &mut rng,
        &mut extra_codes,
    );
    extra_codes.push((
        CodeId::new(guid(&mut rng)),
        String::new(),
        "Thèmes".into(),
        crate::model::CodeKind::Folder,
    ));
    let themes = spec.codes.saturating_sub(extra_codes.len());
    for i in 0..themes {
        extra_codes.push((
            CodeId::new(guid(&mut rng)),
            "Thèmes".into(),
            format!("Thème {:03}", i + 1),
            crate::model::CodeKind::Theme,
        ));
    }
    let codable: Vec<CodeId> = extra_codes
        .iter()
        .filter(|c| c.3 != crate::model::CodeKind::Folder)
        .map(|c| c.0.clone())
        .collect();
    let busy = codable[codable.len() - 1].clone();
    let busy_code_path = format!(
        "Thèmes/{}",
        extra_codes.last().map(|c| c.2.clone()).unwrap_or_default()
    );
    let mut codings = Vec::with_capacity(spec.codings + spec.long_transcript_codings);
    let long_index = documents.len() - 1;
    let total = spec.codings + spec.long_transcript_codings;
    for n in 0..total {
        let document = if n < spec.codings {
            rng.below(spec.interviews)
        } else {
            long_index
        };
        let doc = &documents[document];
        let w = rng.below(doc.word_starts.len().saturating_sub(61).max(1));
        let start_char = doc.word_starts[w] as usize;
        let end_word = (w + 5 + rng.below(55)).min(doc.word_starts.len() - 1);
        let end_char = (doc.word_starts[end_word] as usize)
            .saturating_sub(1)
            .max(start_char + 1);
        let code_guid = if n % 10 == 0 {
            busy.clone()
        } else {
            codable[rng.below(codable.len() - 1)].clone()
        };
        codings.push(GenCoding {
            guid: CodingId::new(guid(&mut rng)),
            document,
            code_guid,
            start_char,
            end_char,
            coder: rng.below(spec.coders),
        });
    }
    Corpus {
        spec,
        coders,
        respondents,
        documents,
        extra_codes,
        codings,
        busy_code_path,
    }
}
