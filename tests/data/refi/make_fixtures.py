#!/usr/bin/env python3
"""Writes the REFI-QDA fixtures of tests/refi_qda_import.rs: folders that the tests zip into
.qdpx files, and a .qdc. Each reproduces quirks of real files. Positions are computed here
the way the fictional writing tool counts them, from the phrases listed below; the tests
check that every imported excerpt is exactly its phrase.

Run from this folder: python3 make_fixtures.py
"""
import os, shutil

HERE = os.path.dirname(os.path.abspath(__file__))

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)

def utf16_crlf_positions(raw, phrase):
    """UTF-16 code units over the raw text (CRLF kept: counted as two), BOM not counted."""
    units = raw.encode("utf-16-le")
    needle = phrase.encode("utf-16-le")
    at = units.find(needle)
    assert at >= 0 and at % 2 == 0 and units.find(needle, at + 2) < 0, phrase
    return at // 2, (at + len(needle)) // 2

def code_point_positions(raw, phrase, bom_counted=False, crlf_as_two=True):
    text = raw.lstrip("\ufeff")
    text = text if crlf_as_two else text.replace("\r\n", "\n")
    at = text.find(phrase)
    assert at >= 0 and text.find(phrase, at + 1) < 0, phrase
    shift = 1 if bom_counted else 0
    return at + shift, at + len(phrase) + shift

# ---------------------------------------------------------------- NVivo-like: UTF-16, CRLF as 2
NVIVO_TEXT_1 = ("Entretien avec Nadia 😅\r\n"
                "Nadia : le cœur du métier, c'est l'accueil 👍🏽 des usagers.\r\n"
                "On est vraiment épuisées 😮‍💨 en fin de semaine.\r\n"
                "\r\n"
                "Merci beaucoup pour ce temps 🙏.\r\n")
NVIVO_TEXT_2 = ("Entretien avec Franck\r\n"
                "Franck : la tournée 🚛 commence à cinq heures.\r\n"
                "Les habitants nous saluent, ça fait du bien 😊.\r\n")
NVIVO_SELECTIONS = [
    # (source, phrase, code, coder)
    (1, "le cœur du métier", "C1", "U1"),
    (1, "l'accueil 👍🏽 des usagers", "C2", "U1"),
    (1, "vraiment épuisées", "C3", "U2"),
    (1, "Merci beaucoup", "C2", "U2"),
    (2, "la tournée 🚛 commence", "C1", "U1"),
    (2, "ça fait du bien", "C3", "U2"),
]

def nvivo():
    d = os.path.join(HERE, "nvivo_utf16_crlf")
    shutil.rmtree(d, ignore_errors=True)
    g = {
        "U1": "{A1B2C3D4-0000-4000-8000-00000000000A}",
        "U2": "{A1B2C3D4-0000-4000-8000-00000000000B}",
        "C0": "{C0DE0000-0000-4000-8000-000000000000}",
        "C1": "{C0DE0000-0000-4000-8000-000000000001}",
        "C2": "{C0DE0000-0000-4000-8000-000000000002}",
        "C3": "{C0DE0000-0000-4000-8000-000000000003}",
        "S1": "{50BCE000-0000-4000-8000-000000000001}",
        "S2": "{50BCE000-0000-4000-8000-000000000002}",
        "V1": "{7A7A0000-0000-4000-8000-000000000001}",
        "V2": "{7A7A0000-0000-4000-8000-000000000002}",
        "V3": "{7A7A0000-0000-4000-8000-000000000003}",
        "K1": "{CA5E0000-0000-4000-8000-000000000001}",
        "N1": "{4E07E000-0000-4000-8000-000000000001}",
    }
    texts = {1: NVIVO_TEXT_1, 2: NVIVO_TEXT_2}
    # Source 1 is written with a UTF-8 BOM (not counted), source 2 without.
    write(os.path.join(d, "Sources", g["S1"][1:-1] + ".txt"), b"\xef\xbb\xbf" + NVIVO_TEXT_1.encode("utf-8"))
    write(os.path.join(d, "Sources", g["S2"][1:-1] + ".txt"), NVIVO_TEXT_2.encode("utf-8"))
    write(os.path.join(d, ".root"), b"")
    sels = {1: [], 2: []}
    for i, (src, phrase, code, user) in enumerate(NVIVO_SELECTIONS):
        s, e = utf16_crlf_positions(texts[src], phrase)
        note = ' <NoteRef targetGUID="%s"/>' % g["N1"] if i == 2 else ""
        sels[src].append(
            '      <PlainTextSelection guid="{5E1EC700-0000-4000-8000-00000000000%d}" name="%s" startPosition="%d" endPosition="%d" creatingUser="%s" creationDateTime="2024-11-05T09:1%d:00Z">\n'
            '        <Coding guid="{C0D1A600-0000-4000-8000-00000000000%d}" creatingUser="%s" creationDateTime="2024-11-05T09:1%d:00Z"><CodeRef targetGUID="%s"/></Coding>%s\n'
            '      </PlainTextSelection>' % (i, phrase, s, e, g[user].lower(), i, i, g[user], i, g[code], note))
    xml = f'''<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Projet NVivo" origin="NVivo 14.23.0 (fixture)" creationDateTime="2024-11-04T08:00:00Z" modifiedDateTime="2024-11-06T17:30:00">
  <Users>
    <User guid="{g['U1']}" name="Ana Lopes"/>
    <User guid="{g['U2'].lower()}" name="Marc Petit"/>
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="{g['C0']}" name="Travail" isCodable="false" color="#36C">
        <Code guid="{g['C1']}" name="Métier" isCodable="true" color="#F00"><Description>Ce qui fait le métier</Description></Code>
        <Code guid="{g['C2']}" name="Relation aux usagers" isCodable="true" color="#00ff00"/>
      </Code>
      <Code guid="{g['C3']}" name="Fatigue" isCodable="true" color="#abc"/>
    </Codes>
  </CodeBook>
  <Variables>
    <Variable guid="{g['V1']}" name="Âge" typeOfVariable="Integer"/>
    <Variable guid="{g['V2']}" name="Date d'entretien" typeOfVariable="Date"/>
    <Variable guid="{g['V3']}" name="Titulaire" typeOfVariable="Boolean"/>
  </Variables>
  <Cases>
    <Case guid="{g['K1']}" name="Nadia">
      <VariableValue><VariableRef targetGUID="{g['V1']}"/><IntegerValue>42</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{g['V2']}"/><DateValue>2024-10-01</DateValue></VariableValue>
      <VariableValue><VariableRef targetGUID="{g['V3']}"/><BooleanValue>true</BooleanValue></VariableValue>
      <SourceRef targetGUID="{g['S1']}"/>
    </Case>
  </Cases>
  <Sources>
    <TextSource guid="{g['S1']}" name="Entretien Nadia" plainTextPath="internal://{g['S1'][1:-1]}.txt" creatingUser="{g['U1']}" creationDateTime="2024-11-04T08:05:00Z">
{chr(10).join(sels[1])}
    </TextSource>
    <TextSource guid="{g['S2']}" name="Entretien Franck" plainTextPath="internal://{g['S2'][1:-1].lower()}.txt" creatingUser="{g['U2']}" creationDateTime="2024-11-04T08:06:00Z">
{chr(10).join(sels[2])}
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="{g['N1']}" name="Fatigue" creatingUser="{g['U2']}" creationDateTime="2024-11-05T10:00:00Z"><PlainTextContent>Revoir la fatigue en fin de semaine.</PlainTextContent></Note>
  </Notes>
  <Sets/>
</Project>
'''
    write(os.path.join(d, "Project.qde"), xml.encode("utf-8"))

# ---------------------------------------------------------------- QualCoder-like variants
QC_RELATIVE = "Ana : je soigne les gens depuis vingt ans.\nL'accès aux soins devient difficile ici.\n"
QC_NOSCHEME = "\ufeffMarc : le coût des consultations a doublé.\r\nJe travaille de nuit.\r\n"   # BOM counted, CRLF as 1
QC_INLINE = "Note de terrain : la salle d'attente est pleine dès huit heures."
QC_TWIN = "Léa : on manque de médecins, c'est le cœur du problème.\n"
QC_ABSOLUTE = "Observation : les horaires d'ouverture ont changé en mars.\n"

def qualcoder():
    d = os.path.join(HERE, "qualcoder_variants")
    shutil.rmtree(d, ignore_errors=True)
    write(os.path.join(d, "sources", "entretien-ana.txt"), QC_RELATIVE.encode("utf-8"))
    write(os.path.join(d, "sources", "5b1c0000-0000-4000-8000-000000000002.txt"), QC_NOSCHEME.encode("utf-8"))
    write(os.path.join(d, "sources", "5b1c0000-0000-4000-8000-000000000004.txt"), QC_TWIN.encode("utf-8"))
    shutil.copy(os.path.join(HERE, "..", "import", "interview.docx"),
                os.path.join(d, "sources", "5b1c0000-0000-4000-8000-000000000004.docx"))
    write(os.path.join(d, "sources", "observations.txt"), QC_ABSOLUTE.encode("utf-8"))
    write(os.path.join(d, "sources", "photo.png"), b"\x89PNG\r\n\x1a\n")
    def sel(guid, text, phrase, code, **kw):
        s, e = code_point_positions(text, phrase, **kw)
        return (f'<PlainTextSelection guid="{guid}" startPosition="{s}" endPosition="{e}" creatingUser="0c0d0000-0000-4000-8000-000000000001">'
                f'<Coding guid="c0d1{guid[4:]}" creatingUser="0c0d0000-0000-4000-8000-000000000001"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>')
    # C is not a UUID (as some tools write): the importer derives a stable GUID from it.
    A, B, C, D = ("c0de0000-0000-4000-8000-00000000000a", "c0de0000-0000-4000-8000-00000000000b",
                  "code-3", "c0de0000-0000-4000-8000-00000000000d")
    xml = f'''<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:qc="urn:qualcoder:extension" name="Santé de proximité" origin="QualCoder 3.5" basePath="/home/ana/projets/sante">
  <Users><User guid="0c0d0000-0000-4000-8000-000000000001" name="ana"/></Users>
  <CodeBook><Codes>
    <Code guid="{A}" name="Santé::Accès aux soins" isCodable="true" color="#FF8800"/>
    <Code guid="{B}" name="Santé::Coût" isCodable="true" color="#F80"/>
    <Code guid="{C}" name="Travail de nuit/jour" isCodable="true" color="not-a-colour"/>
    <Code guid="{D}" name="Santé" isCodable="true" color="#008800"><Description>Tout ce qui touche à la santé</Description></Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="5b1c0000-0000-4000-8000-000000000001" name="Entretien Ana" plainTextPath="relative://entretiens/entretien-ana.txt">
      {sel("5e1c0000-0000-4000-8000-00000000a001", QC_RELATIVE, "L'accès aux soins", A)}
      {sel("5e1c0000-0000-4000-8000-00000000a002", QC_RELATIVE, "je soigne les gens", D)}
    </TextSource>
    <TextSource guid="5b1c0000-0000-4000-8000-000000000002" name="Entretien Marc" plainTextPath="5b1c0000-0000-4000-8000-000000000002.txt">
      {sel("5e1c0000-0000-4000-8000-00000000b001", QC_NOSCHEME, "le coût des consultations", B, bom_counted=True, crlf_as_two=False)}
      {sel("5e1c0000-0000-4000-8000-00000000b002", QC_NOSCHEME, "travaille de nuit", C, bom_counted=True, crlf_as_two=False)}
    </TextSource>
    <TextSource guid="5b1c0000-0000-4000-8000-000000000003" name="Note de terrain">
      <PlainTextContent>{QC_INLINE.replace("'", "&apos;")}</PlainTextContent>
      {sel("5e1c0000-0000-4000-8000-00000000c001", QC_INLINE, "la salle d'attente est pleine", A)}
    </TextSource>
    <TextSource guid="5b1c0000-0000-4000-8000-000000000004" name="Entretien Léa" richTextPath="internal://5b1c0000-0000-4000-8000-000000000004.docx">
      {sel("5e1c0000-0000-4000-8000-00000000d001", QC_TWIN, "on manque de médecins", A)}
    </TextSource>
    <TextSource guid="5b1c0000-0000-4000-8000-000000000005" name="Observations" plainTextPath="absolute://C:/Users/ana/Documents/observations.txt">
      {sel("5e1c0000-0000-4000-8000-00000000e001", QC_ABSOLUTE, "les horaires d'ouverture", D)}
    </TextSource>
    <PictureSource guid="5b1c0000-0000-4000-8000-000000000006" name="Photo de la salle" path="internal://photo.png">
      <PictureSelection guid="5e1c0000-0000-4000-8000-00000000f001" firstX="1" firstY="1" secondX="5" secondY="5"/>
    </PictureSource>
    <PDFSource guid="5b1c0000-0000-4000-8000-000000000007" name="Rapport ARS" path="relative://rapport.pdf">
      <PDFSelection guid="5e1c0000-0000-4000-8000-00000000f002" page="2" firstX="1" firstY="1" secondX="5" secondY="5"/>
    </PDFSource>
    <AudioSource guid="5b1c0000-0000-4000-8000-000000000008" name="Enregistrement Ana" path="relative://ana.mp3">
      <AudioSelection guid="5e1c0000-0000-4000-8000-00000000f003" begin="1000" end="5000"/>
    </AudioSource>
  </Sources>
  <Sets>
    <Set guid="5e70000-0000-4000-8000-000000000001" name="genre: femme"><MemberSource targetGUID="5b1c0000-0000-4000-8000-000000000001"/><MemberSource targetGUID="5b1c0000-0000-4000-8000-000000000004"/></Set>
    <Set guid="5e700000-0000-4000-8000-000000000002" name="genre: homme"><MemberSource targetGUID="5b1c0000-0000-4000-8000-000000000002"/></Set>
    <Set guid="5e700000-0000-4000-8000-000000000003" name="Codes importants"><MemberCode targetGUID="{A}"/></Set>
  </Sets>
  <Graphs><Graph guid="6a000000-0000-4000-8000-000000000001" name="Carte des codes"/></Graphs>
  <qc:Extension><qc:Setting name="x"/></qc:Extension>
</Project>
'''
    write(os.path.join(d, "Santé de proximité.qde"), xml.encode("utf-8"))

# ---------------------------------------------------------------- a codebook with variants
def codebook():
    xml = '''<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1:0" origin="MAXQDA 2022 (fixture)">
  <Codes>
    <Code guid="{AA000000-0000-4000-8000-000000000001}" name="Participation" isCodable="true" color="#C00">
      <Description>La participation citoyenne [fouille:kind=controversy]</Description>
      <Code guid="{AA000000-0000-4000-8000-000000000002}" name="Victime collatérale" isCodable="true" color="#0C0"/>
      <Code guid="{AA000000-0000-4000-8000-000000000003}" name="Repli stratégique" isCodable="true"/>
    </Code>
    <Code guid="{aa000000-0000-4000-8000-000000000004}" name="Territoires::Rural" isCodable="true" color="#00C"/>
    <Code guid="{AA000000-0000-4000-8000-000000000005}" name="Territoires::Urbain" isCodable="true"/>
  </Codes>
  <Sets/>
</CodeBook>
'''
    write(os.path.join(HERE, "codebook_variant.qdc"), xml.encode("utf-8"))

nvivo()
qualcoder()
codebook()
