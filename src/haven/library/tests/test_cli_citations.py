"""The ``haven library`` command and citation exports."""

import json

from haven.cli import main
from haven.library import citations
from haven.library.models import Source


def run(capsys, *argv):
    code = main(["library", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_twice_reports_the_same_counts(capsys, db, seed_paths):
    code, first, _ = run(capsys, "import", *map(str, seed_paths), "--json")
    assert code == 0
    first = json.loads(first)
    code, second, _ = run(capsys, "import", *map(str, seed_paths), "--json")
    second = json.loads(second)
    keys = ["pages", "entries", "sources", "merged", "claims", "helplines"]
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys} == {
        "pages": 5, "entries": 28, "sources": 23, "merged": 5, "claims": 13, "helplines": 3}
    assert second["unchanged"] == 5 and set(second["new"].values()) == {0}


def test_import_exit_code_and_per_file_errors(capsys, db, tmp_path, seed):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, out, err = run(capsys, "import", str(empty), str(seed("003")))
    assert code == 0
    assert "empty.txt: FAILED: the file is empty" in err
    assert "imported (profile)" in out
    code, _out, err = run(capsys, "import", str(empty), str(tmp_path / "missing.txt"))
    assert code == 1  # only when every file failed
    assert "missing.txt: FAILED: no such file" in err


def test_search_and_claims_commands(capsys, db, seed_paths):
    run(capsys, "import", *map(str, seed_paths))
    code, out, _ = run(capsys, "search", "forced begging", "--json")
    hits = json.loads(out)
    assert code == 0 and {"The Protection Project - Belgium", "2017 Country Reports on Human Rights Practices",
                          "2020 Country Reports on Human Rights Practices: Belgium"} <= {h["title"] for h in hits}
    assert all(h["matches"] for h in hits)
    assert any(m.lower() == "begging" for h in hits for m in h["matches"])
    code, out, _ = run(capsys, "search", "sex trafficking")
    assert out.splitlines()[0].startswith("1. Sex Trafficking In Belgium, April 2003")
    code, out, _ = run(capsys, "claims", "--json")
    claims = json.loads(out)
    assert len(claims) == 13
    row = next(c for c in claims if c["as_written"] == "451")
    assert row == {**row, "measure": "trafficking cases prosecuted", "value": "451", "unit": "cases",
                   "period": "2006", "jurisdiction": "BE", "status": "pending",
                   "source": "Country Narrative on Belgium (Tier 1)"}
    assert "prosecuted 451 trafficking cases" in row["quote"]


def test_citation_exports_and_styles(library):
    observer = Source.objects.get(title__startswith="Squalid road")
    item = citations.csl_item(observer)
    assert item["type"] == "article-newspaper" and item["container-title"] == "The Observer"
    assert item["author"] == [{"family": "Osborne", "given": "Andrew"}]
    assert item["issued"] == {"date-parts": [[2001, 6, 24]]}
    assert item["accessed"] == {"date-parts": [[2011, 1, 22]]}
    bib = citations.bibtex([observer])
    assert bib.startswith("@article{osborne2001squalid,") and "journal = {The Observer}" in bib
    ris = citations.ris([observer])
    assert ris.startswith("TY  - NEWS\r\n") and "AU  - Osborne, Andrew" in ris and ris.rstrip().endswith("ER  -")
    expected = {
        "apa": "Osborne, A. (2001, June 24).",
        "chicago": "Osborne, A. 2001.",
        "mla": "Osborne, A. “Squalid Road",
        "harvard": "Osborne, A. (2001)",
        "ieee": "A. Osborne, “Squalid road",
        "vancouver": "1. Osborne A. Squalid road",
    }
    for style, start in expected.items():
        text = citations.formatted([observer], style)[0]
        assert start in text, (style, text)
    statista = Source.objects.get(title__startswith="Registered cases")
    vancouver = citations.formatted([statista], "vancouver")[0]
    assert "[cited 2024 Nov 10]" in vancouver and "Available from: https://www.statista.com/" in vancouver
    selection = citations.export([observer, statista], "csl-json")
    assert [i["title"][:8] for i in json.loads(selection)] == ["Squalid ", "Register"]


def test_citations_escape_imported_text(db):
    source = Source.objects.create(title="<script>alert(1)</script> & report", title_key="x",
                                   creators=[{"literal": "<b>Org</b>"}])
    html = str(citations.formatted([source], "apa", html=True)[0])
    assert "<script>" not in html and "<b>Org" not in html and "&lt;script&gt;" in html
    assert "{\\textless" not in citations.bibtex([source]) and "\\&" in citations.bibtex([source])
