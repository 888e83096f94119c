#!/usr/bin/env python3
"""Vérifie la cohérence du corpus d'exemple « Réflexes publics » de Fouille.

Usage : python3 check_sample.py [--dump DIR]

- compte les mots du texte brut de chaque entretien (>= 2 000) ;
- décode survey.csv en Windows-1252 et le lit avec le séparateur « ; » ;
- vérifie respondents.csv ;
- vérifie que chaque citation de codings.csv apparaît exactement une fois
  dans le texte brut de son entretien, et que chaque code est connu ;
- vérifie codebook-extra.csv.

Avec --dump DIR, écrit le texte brut extrait de chaque entretien dans DIR.
Ne dépend que de la bibliothèque standard de Python 3.
"""
import collections
import csv
import io
import os
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
INTERVIEWS = os.path.join(HERE, "interviews")

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"

CONTROVERSIES = {
    "La participation citoyenne": ["Victime collatérale", "Repli stratégique"],
    "La démocratie contributive": ["Mobilisation spontanée des citoyens",
                                   "Externalisation de l'action publique"],
    "Les démarches administratives": ["Ultrapersonnalisation", "Nouvelle normalisation"],
    "Le management interne": ["Renforcement d'une culture commune",
                              "Creusement de l'écart entre métiers"],
    "Les coopérations institutionnelles": ["Repli sur soi", "Intensification des connexions"],
    "Le pilotage": ["Planification de l'incertitude", "Centralisation de fait"],
}
ORIENTATIONS = [
    "Diversifier les sources d'influence",
    "Penser les données par leurs usages",
    "Prendre l'habitude de faire commun",
    "Muscler la réallocation des ressources",
    "Garder le contact avec les citoyens et les usagers",
    "Faire confiance à l'intendance",
    "Prendre soin des rituels",
]
POLES = ["Controverses/%s/%s" % (c, p) for c, ps in CONTROVERSIES.items() for p in ps]
ORIENTATION_CODES = ["Orientations/" + o for o in ORIENTATIONS]
CODERS = {"Claire Morel", "Yann Le Gall"}

errors = []


def fail(msg):
    errors.append(msg)
    print("ERREUR :", msg)


# ---------------------------------------------------------------- extraction

def text_plain(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8-sig")  # retire un éventuel BOM
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_srt(path):
    lines = text_plain(path).split("\n")
    kept = []
    for line in lines:
        s = line.strip()
        if not s or s.isdigit() or "-->" in s:
            continue
        kept.append(line)
    return "\n".join(kept)


def text_docx(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    paras = []
    for p in root.iter(W + "p"):
        parts = []
        for el in p.iter():  # les runs <w:r> d'un même paragraphe sont concaténés
            if el.tag == W + "t":
                parts.append(el.text or "")
            elif el.tag == W + "tab":
                parts.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                parts.append("\n")
        paras.append("".join(parts))
    return "\n".join(paras)


def _odt_inline(el):
    parts = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == TEXT + "s":
            parts.append(" " * int(child.get(TEXT + "c", "1")))
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "line-break":
            parts.append("\n")
        elif tag in (TEXT + "note", TEXT + "p", TEXT + "h"):
            pass  # notes et paragraphes imbriqués : ignorés ici
        else:
            parts.append(_odt_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def text_odt(path):
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    paras = []
    for el in root.iter():
        if el.tag in (TEXT + "p", TEXT + "h"):
            paras.append(_odt_inline(el))
    return "\n".join(paras)


def plain_text(path):
    ext = os.path.splitext(path)[1].lower()
    if ext == ".docx":
        return text_docx(path)
    if ext == ".odt":
        return text_odt(path)
    if ext == ".srt":
        return text_srt(path)
    return text_plain(path)


def read_csv_utf8(name):
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- contrôles

def check_interviews():
    print("== Entretiens ==")
    texts = {}
    for name in sorted(os.listdir(INTERVIEWS)):
        path = os.path.join(INTERVIEWS, name)
        text = plain_text(path)
        texts[name] = text
        n = len(text.split())
        print("%-32s %6d mots" % (name, n))
        if n < 2000:
            fail("%s : seulement %d mots" % (name, n))
        if not re.match(r"^\d\d-[a-z0-9-]+\.(txt|md|docx|odt|srt)$", name):
            fail("nom de fichier inattendu : " + name)
    exts = collections.Counter(os.path.splitext(n)[1] for n in texts)
    print("formats :", dict(sorted(exts.items())))
    expected = {".txt": 6, ".md": 1, ".docx": 2, ".odt": 2, ".srt": 1}
    if dict(exts) != expected:
        fail("répartition des formats %s, attendu %s" % (dict(exts), expected))
    boms = []
    for name in texts:
        if name.endswith(".txt"):
            with open(os.path.join(INTERVIEWS, name), "rb") as f:
                raw = f.read()
            if raw.startswith(b"\xef\xbb\xbf"):
                boms.append(name)
                if b"\r\n" not in raw or re.search(rb"[^\r]\n", raw):
                    fail(name + " : BOM présent mais fins de ligne non CRLF")
    print("fichiers .txt avec BOM + CRLF :", boms)
    if len(boms) != 1:
        fail("il faut exactement un .txt avec BOM et CRLF")
    return texts


def check_respondents(texts):
    print("== respondents.csv ==")
    rows = read_csv_utf8("respondents.csv")
    cols = "file,name,pseudonym,role,organisation_type,territory,interview_date,interviewer,consent"
    with open(os.path.join(HERE, "respondents.csv"), encoding="utf-8") as f:
        header = f.readline().strip()
    if header != cols:
        fail("en-tête de respondents.csv : " + header)
    files = [r["file"] for r in rows]
    if sorted(files) != sorted(texts):
        fail("respondents.csv ne couvre pas exactement les entretiens")
    org = {"Commune", "CCAS", "Département", "Région", "Intercommunalité", "Métropole", "Association"}
    for r in rows:
        if r["organisation_type"] not in org:
            fail("organisation_type inconnu : " + r["organisation_type"])
        if r["territory"] not in {"Urbain", "Périurbain", "Rural"}:
            fail("territory inconnu : " + r["territory"])
        if r["interviewer"] not in CODERS:
            fail("enquêteur inconnu : " + r["interviewer"])
        if not re.match(r"^2025-03-\d\d$", r["interview_date"]):
            fail("date invalide : " + r["interview_date"])
    consent = collections.Counter(r["consent"] for r in rows)
    print("consentements :", dict(consent))
    if consent.get("withdrawn") != 1 or consent.get("pending") != 1 or \
            consent.get("given") != len(rows) - 2:
        fail("répartition des consentements inattendue")
    return rows


def check_survey():
    print("== survey.csv ==")
    with open(os.path.join(HERE, "survey.csv"), "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail("survey.csv ne doit pas avoir de BOM")
    try:
        raw.decode("utf-8")
        fail("survey.csv se décode en UTF-8 : il devrait être en Windows-1252")
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252")
    if re.search(r"[^\r]\n", text.split("\n", 1)[0] + "\n"):
        fail("survey.csv : l'en-tête ne finit pas par CRLF")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    header = rows[0]
    expected = "id;age;service;territoire;q1_difficultes;q2_cooperation;q3_suggestion".split(";")
    if header != expected:
        fail("en-tête de survey.csv : %r" % header)
    body = rows[1:]
    ids = [r[0] for r in body]
    if ids != ["R%03d" % i for i in range(1, 31)]:
        fail("identifiants de survey.csv inattendus")
    for r in body:
        if len(r) != len(expected):
            fail("ligne %s : %d colonnes" % (r[0], len(r)))
    cells = [c for r in body for c in r]
    with_nl = sum(1 for c in cells if "\n" in c)
    with_sc = sum(1 for c in cells if ";" in c)
    print("%d réponses, %d cellules avec saut de ligne, %d avec « ; »" % (len(body), with_nl, with_sc))
    if with_nl < 2 or with_sc < 1:
        fail("survey.csv doit contenir >= 2 cellules multilignes et >= 1 cellule avec « ; »")
    # hors des cellules entre guillemets, toutes les fins de ligne sont CRLF
    outside = re.sub(r'"(?:[^"]|"")*"', '""', text)
    if re.search(r"[^\r]\n", outside):
        fail("survey.csv : fin de ligne non CRLF hors guillemets")


def check_codebook():
    print("== codebook-extra.csv ==")
    rows = read_csv_utf8("codebook-extra.csv")
    extra = {}
    for r in rows:
        if r["kind"] not in {"piste", "theme", "folder"}:
            fail("kind inconnu : " + r["kind"])
        if not re.match(r"^#[0-9A-Fa-f]{6}$", r["color"]):
            fail("couleur invalide : " + r["color"])
        if not r["description"].strip():
            fail("description vide : " + r["path"])
        if r["kind"] == "piste":
            parent = r["path"].rsplit("/", 1)[0]
            if parent not in ORIENTATION_CODES:
                fail("piste hors d'une orientation : " + r["path"])
        extra[r["path"]] = r["kind"]
    kinds = collections.Counter(extra.values())
    print("entrées :", dict(kinds))
    return extra


def check_codings(texts, extra):
    print("== codings.csv ==")
    rows = read_csv_utf8("codings.csv")
    with open(os.path.join(HERE, "codings.csv"), encoding="utf-8") as f:
        header = f.readline().strip()
    if header != "file,coder,code,quote,memo":
        fail("en-tête de codings.csv : " + header)
    known = set(POLES) | set(ORIENTATION_CODES) | set(extra)
    used_extra = set()
    for i, r in enumerate(rows, start=2):
        f, q = r["file"], r["quote"]
        if f not in texts:
            fail("ligne %d : fichier inconnu %s" % (i, f))
            continue
        if r["coder"] not in CODERS:
            fail("ligne %d : codeur inconnu %s" % (i, r["coder"]))
        if r["code"] not in known:
            fail("ligne %d : code inconnu %s" % (i, r["code"]))
        if r["code"] in extra:
            used_extra.add(r["code"])
        if "\n" in q or "\r" in q:
            fail("ligne %d : saut de ligne dans la citation" % i)
        n = texts[f].count(q)
        if n != 1:
            fail("ligne %d (%s) : citation trouvée %d fois : %s" % (i, f, n, q[:80]))
    for path, kind in extra.items():
        if kind != "folder" and path not in used_extra:
            fail("codebook-extra : code non utilisé " + path)

    print("%d codages" % len(rows))
    by_coder = collections.Counter(r["coder"] for r in rows)
    print("par codeur :", dict(by_coder))
    by_code = collections.Counter(r["code"] for r in rows)
    print("par code :")
    for code in POLES + ORIENTATION_CODES + sorted(set(by_code) - set(POLES) - set(ORIENTATION_CODES)):
        print("  %3d  %s" % (by_code.get(code, 0), code))
    for code in POLES:
        if by_code.get(code, 0) < 5:
            fail("pôle utilisé moins de 5 fois : " + code)
    for code in ORIENTATION_CODES:
        if by_code.get(code, 0) < 3:
            fail("orientation utilisée moins de 3 fois : " + code)
    by_file = collections.Counter(r["file"] for r in rows)
    print("par fichier :", dict(sorted(by_file.items())))
    memos = sum(1 for r in rows if r["memo"].strip())
    print("mémos non vides :", memos)

    # accord inter-codeurs : segments codés par les deux codeurs
    seg = collections.defaultdict(lambda: collections.defaultdict(set))
    for r in rows:
        seg[(r["file"], r["quote"])][r["coder"]].add(r["code"])
    both = [v for v in seg.values() if len(v) == 2]
    same = sum(1 for v in both if v["Claire Morel"] & v["Yann Le Gall"])
    diff = sum(1 for v in both if not (v["Claire Morel"] & v["Yann Le Gall"]))
    print("segments codés par les deux codeurs : %d (même code : %d, codes différents : %d)"
          % (len(both), same, diff))
    return rows


def main():
    texts = {}
    if len(sys.argv) == 3 and sys.argv[1] == "--dump":
        os.makedirs(sys.argv[2], exist_ok=True)
        for name in sorted(os.listdir(INTERVIEWS)):
            with open(os.path.join(sys.argv[2], name + ".plain.txt"), "w", encoding="utf-8") as f:
                f.write(plain_text(os.path.join(INTERVIEWS, name)))
        print("textes bruts écrits dans", sys.argv[2])
        return 0
    texts = check_interviews()
    check_respondents(texts)
    check_survey()
    extra = check_codebook()
    check_codings(texts, extra)
    print()
    if errors:
        print("ÉCHEC : %d erreur(s)" % len(errors))
        return 1
    print("OK : toutes les vérifications sont passées")
    return 0


if __name__ == "__main__":
    sys.exit(main())
