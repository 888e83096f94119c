//! Team work through a shared folder, tried as a team would: three coders, each running
//! `fouille` in processes of their own on a project of their own, each machine with its own
//! view of the shared folder, and a sync tool between the views that delivers files late,
//! cut short (then whole), or as a "conflicted copy". Every coding anyone made and did not
//! remove must be in every copy at the end, and the three copies must hold the same content.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::project::{fouille_json, fouille_ok, s};
use crate::support::team::live_codings;

/// A small deterministic generator (xorshift): the same seed, the same edits.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One coder: their project, their machine's view of the folder, their file's name there,
/// and the codings they made and removed (document, code, start, end).
struct Coder {
    name: String,
    project: PathBuf,
    view: PathBuf,
    file_name: String,
    made: BTreeMap<String, (String, String, usize, usize)>,
    removed: BTreeSet<String>,
}

const TEXT: &str = "Nous avons ouvert le guichet unique en mairie. Les agents se forment entre eux.\n\
                    La confiance des habitants revient, lentement ; le budget reste serré.\n\
                    Chaque rituel de pilotage réunit les partenaires une fois par mois.";

fn join(coder: &str, project: &Path, view: &Path) -> String {
    let out = fouille_json(&[
        "team",
        "join",
        s(project),
        s(view),
        "--coder",
        coder,
        "--json",
    ]);
    out["membership"]["file_name"]
        .as_str()
        .expect("file name")
        .to_string()
}

fn code_guids(project: &Path) -> Vec<String> {
    let json = fouille_json(&["codebook", s(project), "--json"]);
    let mut out = Vec::new();
    collect_guids(&json, &mut out);
    out
}

fn collect_guids(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(g) = map.get("guid").and_then(|g| g.as_str()) {
                out.push(g.to_string());
            }
            map.values().for_each(|v| collect_guids(v, out));
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| collect_guids(v, out)),
        _ => {}
    }
}

/// One random edit by `coder`, through the command line.
fn edit(coder: &mut Coder, round: usize, rng: &mut Rng) {
    let p = s(&coder.project).to_string();
    match rng.below(6) {
        0 => {
            fouille_ok(&["code", "add", &p, &format!("{} {round}", coder.name)]);
        }
        1 => {
            let codes = code_guids(&coder.project);
            let code = &codes[rng.below(codes.len())];
            fouille_ok(&[
                "code",
                "rename",
                &p,
                code,
                &format!("renommé par {} {round}", coder.name),
            ]);
        }
        2 if !coder.made.is_empty() => {
            let live: Vec<String> = coder
                .made
                .keys()
                .filter(|g| !coder.removed.contains(*g))
                .cloned()
                .collect();
            if let Some(guid) = live.get(rng.below(live.len().max(1))) {
                fouille_ok(&["code", "remove", &p, guid]);
                coder.removed.insert(guid.clone());
            }
        }
        _ => {
            let codes = code_guids(&coder.project);
            let code = codes[rng.below(codes.len())].clone();
            let length = TEXT.chars().count();
            let start = rng.below(length - 20);
            let end = start + 1 + rng.below(19);
            let json = fouille_json(&[
                "code",
                "apply",
                &p,
                "--document",
                "entretien",
                "--start",
                &start.to_string(),
                "--end",
                &end.to_string(),
                "--code",
                &code,
                "--coder",
                &coder.name,
                "--json",
            ]);
            let guid = json["guid"].as_str().expect("coding guid").to_string();
            coder.made.insert(guid, (String::new(), code, start, end));
        }
    }
}

fn sync(coder: &Coder) -> serde_json::Value {
    fouille_json(&["team", "sync", s(&coder.project), "--json"])
}

/// The sync tool: carries each coder's own file from their view to the others' views.
/// `tricks` lets it deliver late, cut short, or as a conflicted copy.
struct SyncTool {
    delivered: BTreeMap<(usize, usize), Vec<u8>>,
    conflicted: usize,
}

impl SyncTool {
    fn round(&mut self, coders: &[(PathBuf, String)], rng: &mut Rng, tricks: bool) {
        for (from, (view, file)) in coders.iter().enumerate() {
            let Ok(bytes) = std::fs::read(view.join(file)) else {
                continue;
            };
            for (to, (other_view, _)) in coders.iter().enumerate() {
                if to == from || self.delivered.get(&(from, to)) == Some(&bytes) {
                    continue;
                }
                let dest = other_view.join(file);
                match if tricks { rng.below(5) } else { 4 } {
                    0 => {} // late: next round
                    1 => std::fs::write(&dest, &bytes[..bytes.len() / 2]).unwrap(),
                    2 => {
                        self.conflicted += 1;
                        let stem = file.trim_end_matches(".fouille");
                        let name = format!(
                            "{stem}.sync-conflict-2026120{}-ABC.fouille",
                            self.conflicted
                        );
                        std::fs::write(other_view.join(name), &bytes).unwrap();
                    }
                    _ => {
                        std::fs::write(&dest, &bytes).unwrap();
                        self.delivered.insert((from, to), bytes.clone());
                    }
                }
            }
        }
    }
}

#[test]
fn three_coders_through_a_synced_folder_end_with_the_same_project_and_nothing_lost() {
    let dir = tempfile::tempdir().unwrap();
    let names = ["Alice", "Bruno", "Chloé"];
    let mut coders: Vec<Coder> = names
        .iter()
        .map(|name| {
            let view = dir.path().join(format!("dossier-{name}"));
            std::fs::create_dir_all(&view).unwrap();
            Coder {
                name: name.to_string(),
                project: dir.path().join(format!("{name}.fouille")),
                view,
                file_name: String::new(),
                made: BTreeMap::new(),
                removed: BTreeSet::new(),
            }
        })
        .collect();
    // Alice starts the project: a document and a code; the others join empty.
    let first = &coders[0].project;
    fouille_ok(&["new", s(first), "--coder", "Alice"]);
    let text_file = dir.path().join("entretien.txt");
    std::fs::write(&text_file, TEXT).unwrap();
    fouille_ok(&["import", s(first), s(&text_file)]);
    fouille_ok(&["code", "add", s(first), "Confiance"]);
    for coder in &mut coders {
        coder.file_name = join(&coder.name, &coder.project, &coder.view);
    }
    let routes: Vec<(PathBuf, String)> = coders
        .iter()
        .map(|c| (c.view.clone(), c.file_name.clone()))
        .collect();
    let mut tool = SyncTool {
        delivered: BTreeMap::new(),
        conflicted: 0,
    };
    let mut rng = Rng(0x5eed_f00d);
    // Until the others have Alice's document, they only gather.
    for _ in 0..3 {
        tool.round(&routes, &mut rng, false);
        for coder in &coders {
            sync(coder);
        }
    }
    let mut debris_seen = 0;
    for round in 0..12 {
        for i in 0..coders.len() {
            if rng.below(3) > 0 {
                edit(&mut coders[i], round, &mut rng);
            }
            if rng.below(2) == 0 {
                let out = sync(&coders[i]);
                debris_seen += out["gather"]["debris"].as_array().map_or(0, |d| d.len());
            }
        }
        tool.round(&routes, &mut rng, true);
    }
    // Calm: everyone publishes, the tool delivers whole, everyone gathers once more.
    for _ in 0..2 {
        for coder in &coders {
            sync(coder);
        }
        tool.round(&routes, &mut rng, false);
    }
    for coder in &coders {
        sync(coder);
    }
    assert!(
        tool.conflicted == 0 || debris_seen > 0,
        "conflicted copies were never reported"
    );
    let prints: Vec<Vec<String>> = coders
        .iter()
        .map(|c| fouille::team::fingerprint::file_fingerprint(&c.project).unwrap())
        .collect();
    for (coder, print) in coders.iter().zip(&prints).skip(1) {
        crate::support::team::assert_same(&prints[0], print, &coder.name);
    }
    let live = live_codings(&coders[0].project);
    let found: BTreeSet<(String, usize, usize, String)> = live
        .values()
        .map(|(_, code, start, end, by)| (code.to_string(), *start, *end, by.clone()))
        .collect();
    let mut expected = 0;
    for coder in &coders {
        for (guid, (_, code, start, end)) in &coder.made {
            if coder.removed.contains(guid) {
                assert!(
                    !live.contains_key(guid.as_str()),
                    "{guid} was removed but came back"
                );
                continue;
            }
            expected += 1;
            let key = (code.clone(), *start, *end, coder.name.clone());
            assert!(
                found.contains(&key),
                "{}'s coding {guid} {key:?} was lost",
                coder.name
            );
        }
    }
    assert!(
        expected > 5,
        "the run made too few codings to mean anything ({expected})"
    );
}

#[test]
fn a_publish_killed_half_way_leaves_the_previous_whole_file_and_the_next_publish_repairs() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("grand.fouille");
    let folder = dir.path().join("partage");
    std::fs::create_dir_all(&folder).unwrap();
    fouille_ok(&["new", s(&project), "--coder", "Alice"]);
    // A text of a few MB, so that a publish takes long enough to be killed inside it.
    let text_file = dir.path().join("long.txt");
    let paragraph = "Le guichet unique rassure les habitants ; les agents apprennent ensemble. ";
    std::fs::write(&text_file, paragraph.repeat(60_000)).unwrap();
    fouille_ok(&["import", s(&project), s(&text_file)]);
    let file_name = join("Alice", &project, &folder);
    let published = folder.join(&file_name);
    let expected = fouille::team::fingerprint::file_fingerprint(&project).unwrap();
    let exe = env!("CARGO_BIN_EXE_fouille");
    let mut killed_inside = 0;
    for attempt in 0..12u64 {
        let mut child = Command::new(exe)
            .args(["team", "publish", s(&project)])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5 + attempt * 15));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        killed_inside += usize::from(!finished);
        // Whatever the moment of the kill, the folder holds a whole file with everything.
        let scan = fouille::store::damage::scan_pages(&published, true).unwrap();
        assert!(
            scan.is_sound() && scan.pages > 0,
            "attempt {attempt}: {scan:?}"
        );
        let print = fouille::team::fingerprint::file_fingerprint(&published).unwrap();
        crate::support::team::assert_same(&expected, &print, "published file");
        // The project itself was never left locked by the killed publish.
        fouille_ok(&["team", "status", s(&project)]);
    }
    assert!(killed_inside > 0, "no publish was killed half-way");
    fouille_ok(&["team", "publish", s(&project)]);
    let leftovers: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n != &file_name)
        .collect();
    assert!(
        leftovers.is_empty(),
        "left in the folder after a publish: {leftovers:?}"
    );
}

#[test]
fn sync_tool_leftovers_are_reported_and_never_merged() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("partage");
    std::fs::create_dir_all(&folder).unwrap();
    let alice = dir.path().join("alice.fouille");
    let bruno = dir.path().join("bruno.fouille");
    fouille_ok(&["new", s(&alice), "--coder", "Alice"]);
    fouille_ok(&[
        "code",
        "add",
        s(&alice),
        "Seulement dans la copie en conflit",
    ]);
    // Alice's copy arrives only as a conflicted copy: Bruno must not get its code.
    let alice_file = join("Alice", &alice, &folder);
    let conflicted =
        folder.join(alice_file.replace(".fouille", " (conflicted copy 2026-12-07).fouille"));
    std::fs::rename(folder.join(&alice_file), &conflicted).unwrap();
    std::fs::write(folder.join("bruno.fouille-wal"), b"x").unwrap();
    join("Bruno", &bruno, &folder);
    let out = sync(&Coder {
        name: "Bruno".into(),
        project: bruno.clone(),
        view: folder.clone(),
        file_name: String::new(),
        made: BTreeMap::new(),
        removed: BTreeSet::new(),
    });
    let kinds: BTreeSet<String> = out["gather"]["debris"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["conflict_copy".to_string(), "project_sidecar".to_string()])
    );
    assert!(out["gather"]["merged"].as_array().unwrap().is_empty());
    let codebook = fouille_ok(&["codebook", s(&bruno)]);
    assert!(
        !codebook.contains("Seulement dans la copie en conflit"),
        "{codebook}"
    );
    // In French, the advice names the file and what to do.
    let output = Command::new(env!("CARGO_BIN_EXE_fouille"))
        .args(["--lang", "fr", "team", "status", s(&bruno)])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        said.contains("copie en conflit") && said.contains("fouille merge --into"),
        "{said}"
    );
}
