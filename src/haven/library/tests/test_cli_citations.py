"""The ``haven library`` command and citation exports."""

import json

from haven.audit.models import AuditEvent, Verb
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
    # the operator's import is an action: one audit event per new page, none for a page already there
    events = AuditEvent.objects.filter(verb=Verb.LIBRARY_PAGE_IMPORTED)
    assert events.count() == 5 and set(events.values_list("via", flat=True)) == {"command"}


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


# ------------------------------------------------------------------ exports read back by other tools

HOSTILE_TITLE = "Trafficking {report} 100% & more}\n\n@misc{evil, title = {x}}\nER  - \nTY  - JOUR\n$5 #1 a_b ~ C:\\new"
FOLDED_TITLE = " ".join(HOSTILE_TITLE.split())


def _sources(db):
    report = Source.objects.create(
        title=HOSTILE_TITLE, title_key="hostile", source_type="ngo", publisher="Payoke & Partners {Antwerp}",
        creators=[{"family": "Müller", "given": "Anna"}, {"literal": "Ministry of Justice and Security"}],
        issued_year=2019, issued_month=7, url="https://example.org/reports/2019_annual%20report?id=1&x=~a")
    news = Source.objects.create(title="Victims found in a car wash", title_key="car wash", source_type="news",
                                 publisher="De Standaard", container_title="De Standaard", issued_year=2021,
                                 creators=[{"family": "Janssens", "given": "Piet"}], url="https://example.org/n")
    return [report, news]


def _latex_to_text(value: str) -> str:
    """What LaTeX prints for a field: pylatexenc (bibtexparser's decoder) taught the brace macros it lacks."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("braces", prepend=True, macros=[MacroTextSpec("textbraceleft", "{"),
                                                                  MacroTextSpec("textbraceright", "}")])
    return LatexNodes2Text(latex_context=context).latex_to_text(value)


def test_bibtex_reads_back_with_bibtexparser(db):
    import bibtexparser
    from bibtexparser.middlewares import SeparateCoAuthors

    text = citations.bibtex(_sources(db))
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert not library.failed_blocks and not library.comments
    assert [(e.entry_type, e.key) for e in library.entries] == [("techreport", "muller2019trafficking"),
                                                                ("article", "janssens2021victims")]
    report, news = (e.fields_dict for e in library.entries)
    assert _latex_to_text(report["title"].value) == FOLDED_TITLE
    assert [_latex_to_text(a) for a in report["author"].value] == ["Müller, Anna", "Ministry of Justice and Security"]
    assert report["year"].value == "2019" and report["month"].value == "7"
    assert _latex_to_text(report["institution"].value) == "Payoke & Partners {Antwerp}"
    assert report["url"].value == "https://example.org/reports/2019_annual%20report?id=1&x=~a"  # verbatim
    assert news["publisher"].value == "De Standaard" and news["journal"].value == "De Standaard"
    assert news["author"].value == ["Janssens, Piet"] and news["year"].value == "2021"
    assert news["url"].value == "https://example.org/n"


def test_bibtex_braces_balance_as_bibtex_counts_them(db):
    # BibTeX and biber count every brace, even after a backslash: \{ alone would end the field early.
    title_line = next(line for line in citations.bibtex(_sources(db)).splitlines() if "Trafficking" in line)
    depth = 0
    for ch in title_line:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0, title_line
    assert depth == 0 and "\\%" in title_line and "\\&" in title_line and "\n" not in title_line


def test_bibtex_url_cannot_open_a_group(db):
    source = Source.objects.create(title="A page", title_key="a page", url="https://example.org/a{b}c d\\e")
    import bibtexparser

    entry = bibtexparser.parse_string(citations.bibtex([source])).entries[0]
    assert entry.fields_dict["url"].value == "https://example.org/a%7Bb%7Dc%20d%5Ce"


def test_ris_reads_back_with_rispy(db):
    import rispy

    text = citations.ris(_sources(db))
    assert text.startswith("TY  - RPRT\r\nTI  - ") and text.endswith("ER  - \r\n")
    assert "\r\n" not in text.replace("\r\n", "") and "\n" not in text.replace("\r\n", "")
    report, news = rispy.loads(text)  # the ER and TY inside the title start no record
    assert report["type_of_reference"] == "RPRT" and report["title"] == FOLDED_TITLE
    assert report["authors"] == ["Müller, Anna", "Ministry of Justice and Security"]
    assert report["year"] == "2019" and report["date"] == "2019/07/"
    assert report["publisher"] == "Payoke & Partners {Antwerp}"
    assert report["urls"] == ["https://example.org/reports/2019_annual%20report?id=1&x=~a"]
    assert report["id"] == f"haven-{Source.objects.get(title_key='hostile').pk}"
    assert news["type_of_reference"] == "NEWS" and news["secondary_title"] == "De Standaard"
    assert news["authors"] == ["Janssens, Piet"] and news["year"] == "2021" and news["urls"] == ["https://example.org/n"]
    tags = [line[:2] for line in text.split("\r\n\r\n")[0].split("\r\n")]
    assert tags == ["TY", "TI", "AU", "AU", "PY", "DA", "PB", "UR", "LA", "ID", "ER"]
