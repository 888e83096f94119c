//! A team at work: a lead builds a project with ten real interviews and the Réflexes
//! publics codebook, three coders code copies of it apart (renaming one code, deleting
//! codings, creating a code another coder also created), and the merge keeps every
//! surviving coding exactly once, with its coder.

use fouille::model::{CodeId, CodeKind, CodingId, DocumentId, DocumentKind, MemoTarget};
use fouille::store::codes::NewCode;
use fouille::store::documents::NewDocument;
use fouille::store::{Project, codes, codings, documents, memos};
use fouille::team::fingerprint::file_fingerprint;
use fouille::team::merge::{MergeOptions, merge_files};
use fouille::team::report::Entity;
use std::collections::{BTreeMap, HashSet};

use crate::support::team::{
    T0, apply, assert_same, at, code, distribute, doc_guids, interviews, live_codings, open_as,
};

const RITUALS: &str = "Orientations/Prendre soin des rituels";

#[test]
fn three_coders_merge_keeps_every_surviving_coding_once() {
    let dir = tempfile::tempdir().unwrap();
    let lead_path = dir.path().join("lead.fouille");
    let mut lead = Project::create(&lead_path, "Réflexes publics — équipe", Some("Lead")).unwrap();
    let docs = interviews(10);
    at(&mut lead, T0, |tx| {
        fouille::templates::load(tx, &fouille::templates::reflexes_publics())?;
        for (name, text) in &docs {
            documents::insert(
                tx,
                NewDocument {
                    guid: None,
                    name: name.clone(),
                    kind: DocumentKind::Interview,
                    text: text.clone(),
                    origin: name.clone(),
                    media_path: None,
                    respondent_guid: None,
                },
            )?;
        }
        Ok(())
    })
    .unwrap();
    let d = doc_guids(&lead);
    assert_eq!(d.len(), 10);
    let victime = code(
        &lead,
        "Controverses/La participation citoyenne/Victime collatérale",
    );
    let repli = code(
        &lead,
        "Controverses/La participation citoyenne/Repli stratégique",
    );
    let normalisation = code(
        &lead,
        "Controverses/Les démarches administratives/Nouvelle normalisation",
    );
    let rituals = code(&lead, RITUALS);
    let l1 = apply(&mut lead, T0 + 10, &d[0], &victime, 100, 40);
    let l2 = apply(&mut lead, T0 + 11, &d[1], &repli, 200, 30);
    let l3 = apply(&mut lead, T0 + 12, &d[2], &normalisation, 300, 50);
    let (claire_path, yann_path, lou_path) = (
        dir.path().join("claire.fouille"),
        dir.path().join("yann.fouille"),
        dir.path().join("lou.fouille"),
    );
    distribute(lead, &[&claire_path, &yann_path, &lou_path]);

    // Lou works first (her clock is earliest).
    let mut lou = open_as(&lou_path, "Lou Bernard");
    for i in 0..10 {
        apply(
            &mut lou,
            T0 + 500 + i as i64,
            &d[i],
            &rituals,
            1000 + 7 * i,
            60,
        );
    }
    let lou_lenteurs = at(&mut lou, T0 + 600, |tx| {
        codes::insert(tx, NewCode::new("Lenteurs", CodeKind::Theme, None))
    })
    .unwrap();
    let lou_slow_1 = apply(&mut lou, T0 + 601, &d[3], &lou_lenteurs, 400, 25);
    apply(&mut lou, T0 + 602, &d[4], &lou_lenteurs, 410, 25);
    at(&mut lou, T0 + 700, |tx| codings::remove(tx, &l2)).unwrap(); // nobody else touches L2
    at(&mut lou, T0 + 800, |tx| {
        codings::set_range(tx, &l3, 300, 360)
    })
    .unwrap(); // Claire deletes it later
    at(&mut lou, T0 + 810, |tx| {
        memos::add(
            tx,
            &MemoTarget::Coding(lou_slow_1.clone()),
            "Lenteur du guichet.",
            None,
        )
    })
    .unwrap();
    let lou_gone = apply(&mut lou, T0 + 820, &d[5], &victime, 50, 10);
    at(&mut lou, T0 + 830, |tx| codings::remove(tx, &lou_gone)).unwrap();
    drop(lou);

    let mut claire = open_as(&claire_path, "Claire Morel");
    let mut claire_codings = Vec::new();
    for i in 0..6 {
        claire_codings.push(apply(
            &mut claire,
            T0 + 1000 + i as i64,
            &d[i],
            &victime,
            500 + 11 * i,
            80,
        ));
        claire_codings.push(apply(
            &mut claire,
            T0 + 1010 + i as i64,
            &d[i],
            &normalisation,
            900,
            45,
        ));
    }
    at(&mut claire, T0 + 1100, |tx| {
        codes::rename(tx, &rituals, "Soigner les rituels")
    })
    .unwrap();
    let claire_lenteurs = at(&mut claire, T0 + 1200, |tx| {
        codes::insert(tx, NewCode::new("Lenteurs", CodeKind::Theme, None))
    })
    .unwrap();
    apply(&mut claire, T0 + 1201, &d[3], &claire_lenteurs, 400, 25);
    apply(&mut claire, T0 + 1202, &d[6], &claire_lenteurs, 420, 25);
    at(&mut claire, T0 + 1300, |tx| {
        codings::remove(tx, &claire_codings[0])
    })
    .unwrap();
    at(&mut claire, T0 + 1301, |tx| {
        codings::remove(tx, &claire_codings[3])
    })
    .unwrap();
    at(&mut claire, T0 + 1400, |tx| codings::remove(tx, &l1)).unwrap(); // Yann changes it later
    at(&mut claire, T0 + 1500, |tx| codings::remove(tx, &l3)).unwrap(); // later than Lou's change
    drop(claire);

    let mut yann = open_as(&yann_path, "Yann Le Gall");
    let mut yann_codings = Vec::new();
    for i in 0..6 {
        // the same passages and code as Claire's first series: two coders, two codings
        yann_codings.push(apply(
            &mut yann,
            T0 + 2000 + i as i64,
            &d[i],
            &victime,
            500 + 11 * i,
            80,
        ));
        yann_codings.push(apply(
            &mut yann,
            T0 + 2010 + i as i64,
            &d[i + 4],
            &repli,
            1500,
            33,
        ));
    }
    at(&mut yann, T0 + 2100, |tx| {
        codes::rename(tx, &rituals, "Prendre soin des rituels collectifs")
    })
    .unwrap();
    at(&mut yann, T0 + 2200, |tx| {
        codings::set_range(tx, &l1, 90, 150)
    })
    .unwrap();
    at(&mut yann, T0 + 2300, |tx| {
        codings::remove(tx, &yann_codings[1])
    })
    .unwrap();
    drop(yann);

    let copies = [claire_path.clone(), yann_path.clone(), lou_path.clone()];
    let mut survivors: BTreeMap<CodingId, (DocumentId, CodeId, usize, usize, String)> =
        BTreeMap::new();
    for c in &copies {
        survivors.extend(live_codings(c));
    }
    // What the later changes decide: L1 lives (Yann changed it after Claire deleted it),
    // L2 and L3 are gone (deleted after every other change), Yann's range wins for L1.
    survivors.remove(&l2);
    survivors.remove(&l3);
    let mut expected_l1 = survivors[&l1].clone();
    (expected_l1.2, expected_l1.3) = (90, 150);
    survivors.insert(l1.clone(), expected_l1);
    for gone in [
        &claire_codings[0],
        &claire_codings[3],
        &yann_codings[1],
        &lou_gone,
    ] {
        assert!(!survivors.contains_key(gone.as_str()));
    }

    let merged_path = dir.path().join("merged.fouille");
    let options = MergeOptions {
        now_ms: T0 + 10_000,
        ..MergeOptions::default()
    };
    let report = merge_files(&merged_path, &copies, &options).unwrap();
    let merged = live_codings(&merged_path);
    // Every surviving coding exactly once, with its document, code, range and coder.
    assert_eq!(merged, survivors);
    let keys: HashSet<_> = merged.values().collect();
    assert_eq!(keys.len(), merged.len(), "a coding appears twice");
    assert_eq!(report.result.codings, merged.len());
    let by_coder = |name: &str| merged.values().filter(|v| v.4 == name).count();
    assert_eq!(by_coder("Claire Morel"), 12 - 2 + 2);
    assert_eq!(by_coder("Yann Le Gall"), 12 - 1);
    assert_eq!(by_coder("Lou Bernard"), 10 + 2);
    assert_eq!(by_coder("Lead"), 1); // L1

    let project = Project::open(&merged_path).unwrap();
    assert_eq!(
        codes::get(project.conn(), &rituals).unwrap().name,
        "Prendre soin des rituels collectifs"
    );
    assert_eq!(
        fouille::store::check::check(project.conn()).unwrap(),
        Vec::<String>::new()
    );
    let l1_row = codings::get(project.conn(), &l1).unwrap();
    assert_eq!(
        (
            l1_row.start_char,
            l1_row.end_char,
            l1_row.source_project.as_str()
        ),
        (90, 150, "yann.fouille")
    );
    let lou_row = codings::get(project.conn(), &lou_slow_1).unwrap();
    assert_eq!(lou_row.source_project, "lou.fouille");
    assert_eq!(
        memos::for_target(project.conn(), &MemoTarget::Coding(lou_slow_1.clone()))
            .unwrap()
            .len(),
        1
    );
    drop(project);

    // The report: three conflicts (both sides changed), L2 a one-sided deletion.
    let conflicts: Vec<(Entity, String)> = report
        .conflicts()
        .map(|c| (c.entity, c.guid.clone()))
        .collect();
    assert!(
        conflicts.contains(&(Entity::Code, rituals.to_string())),
        "{conflicts:?}"
    );
    assert!(
        conflicts.contains(&(Entity::Coding, l1.to_string())),
        "{conflicts:?}"
    );
    assert!(
        conflicts.contains(&(Entity::Coding, l3.to_string())),
        "{conflicts:?}"
    );
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    let rename = report
        .conflicts()
        .find(|c| rituals == c.guid.as_str())
        .unwrap();
    assert!(
        rename.lost.summary.contains("Soigner les rituels")
            && rename.lost.from == ["claire.fouille"]
    );
    assert!(rename.kept.summary.contains("collectifs") && rename.kept.from == ["yann.fouille"]);
    let l3_conflict = report.conflicts().find(|c| l3 == c.guid.as_str()).unwrap();
    assert!(
        l3_conflict.kept.deleted
            && !l3_conflict.lost.deleted
            && l3_conflict.lost.from == ["lou.fouille"]
    );
    let l2_update = report
        .superseded
        .iter()
        .find(|s| l2 == s.guid.as_str())
        .unwrap();
    assert!(!l2_update.both_changed && l2_update.kept.deleted);
    let offered: Vec<_> = report
        .unified
        .iter()
        .filter(|u| u.entity == Entity::Code)
        .collect();
    assert_eq!(offered.len(), 1);
    assert!(!offered[0].applied && offered[0].what.contains("Lenteurs"));
    let md = report.to_markdown();
    assert!(
        md.contains("Conflits — Conflicts (3)") && md.contains("Soigner les rituels"),
        "{md}"
    );
    let html = report.to_html();
    assert!(
        html.starts_with("<!DOCTYPE html>") && html.contains("Prendre soin des rituels collectifs")
    );

    // Order of the inputs does not matter.
    let reversed = dir.path().join("reversed.fouille");
    merge_files(
        &reversed,
        &[lou_path.clone(), claire_path.clone(), yann_path.clone()],
        &options,
    )
    .unwrap();
    assert_same(
        &file_fingerprint(&merged_path).unwrap(),
        &file_fingerprint(&reversed).unwrap(),
        "merge order",
    );

    // With --unify-codes the two « Lenteurs » are one code holding both coders' codings.
    let unified_path = dir.path().join("unified.fouille");
    let unified = merge_files(
        &unified_path,
        &copies,
        &MergeOptions {
            unify_codes: true,
            ..options
        },
    )
    .unwrap();
    assert!(
        unified
            .unified
            .iter()
            .any(|u| u.entity == Entity::Code && u.applied)
    );
    let project = Project::open(&unified_path).unwrap();
    let lenteurs = codes::resolve(project.conn(), "Lenteurs").unwrap();
    assert_eq!(
        lenteurs.guid,
        lou_lenteurs.clone().min(claire_lenteurs.clone())
    );
    let on_lenteurs: Vec<_> = live_codings(&unified_path)
        .into_values()
        .filter(|v| v.1 == lenteurs.guid)
        .collect();
    assert_eq!(on_lenteurs.len(), 4);
    assert_eq!(
        fouille::store::check::check(project.conn()).unwrap(),
        Vec::<String>::new()
    );
}
