"""Reading a page: what kind it is, its page-level facts, and its entries.

Four kinds of page are recognised (DESIGN.md §4, the seeds):

* ``curated``: a country page of excerpts from published reports. Entries are anchored on their
  "[accessed …]" lines: the title and bylines come just before, the excerpt paragraphs after.
  The page keeps its own title and citation, its caution note, the country summary quotes with
  their attribution and its helplines apart from the entries.
* ``narrative``: a government report's country narrative (US TIP report): one source, with its
  sections (recommendations, prosecution, protection, prevention).
* ``profile``: a country profile (headings and paragraphs about one country): one source.
* ``statistics``: a statistics portal page: one source whose citation forms (APA, Chicago, MLA,
  Harvard, Bluebook, IEEE …) are parsed into its metadata and are not kept as excerpts.

Anything else is a ``document``: one source, its paragraphs as excerpts.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from django.utils import translation

from . import vocab
from .dates import PartialDate, find_date, parse_date

ACCESSED = re.compile(
    r"^\[(?P<body>(?:accessed|access date unavailable|date accessed|consulté|geraadpleegd|abgerufen)[^\]]*)\]$",
    re.I)
MEDIUM = re.compile(r"\s*\[(PDF|DOCX?|HTML?|PPTX?|XLSX?|RTF|TXT|ODT|MP3|VIDEO)\]", re.I)
PAGE_REF = re.compile(r"^\[(?:page|p\.|pages|pp\.)\s*(?P<page>[\divxlc]+(?:\s*[-–]\s*[\divxlc]+)?)\]\s*", re.I)
ARCHIVES = re.compile(r"^\*+\s*(?:ARCHIVES?|ARCHIEF|ARCHIV)\s*\*+$", re.I)
CAUTION = re.compile(r"^(?:CAUTION|WARNING|AVERTISSEMENT|ATTENTION|LET OP|WAARSCHUWING|ACHTUNG|WARNUNG)\s*:\s*",
                     re.I)
HELP_HEADER = re.compile(r"^(?:HELP|AIDE|HULP|HILFE)\b.{0,40}$", re.I)
HELPLINE = re.compile(r"^(?:For|Pour|Voor|Für|In)\s+(?P<label>[^:]{2,60}?)\s*:\s*(?P<phone>\+?\d[\d /.()-]{5,20}\d)$",
                      re.I)
CALLING_CODE = re.compile(r"^(?:Country code|Indicatif|Landcode|Landesvorwahl)\s*:\s*\+?(?P<code>\d{1,4})\s*-?$",
                          re.I)
CITE_AS = re.compile(r"(?:Cite this (?:web)?page as|Citer cette page|Citeer deze pagina|Zitiervorschlag)\s*:\s*",
                     re.I)
NOTE = re.compile(r"archived|may (?:possibly )?still be accessible|\[here\]", re.I)
JUNK = re.compile(r"^(?:Description:\s*)+", re.I)
URL = re.compile(r"https?://[^\s<>\"']+")
TERMINAL = re.compile(r"[.!?…:;\"”’']$")
BULLET = re.compile(r"^\s*[•·▪◦‣*-]\s+")

# Where a page's own host tells who published it.
PUBLISHERS_BY_HOST = {
    "state.gov": "U.S. Department of State",
    "statista.com": "Statista",
    "europa.eu": "European Commission",
    "myria.be": "Myria",
    "ilo.org": "International Labour Organization",
    "unodc.org": "United Nations Office on Drugs and Crime",
}
STATISTICS_BOILERPLATE = re.compile(
    r"individual account|shared account|log ?in\b|authenticate|support your business|^statistic alerts|"
    r"mark statistics as favou?rites", re.I)

ORG_WORDS = re.compile(
    r"\b(?:International|University|Universit[éy]|Dept|Department|Council|Commission|News|Observer|Committee|"
    r"Convention|School|Cent(?:re|er)|Office|Ministry|Report|Reports|Project|Watch|Foundation|Association|"
    r"Institute|Service|Bureau|Police|Government|Agency|Organi[sz]ation|Inc|Ltd|Focus|House|Newsletters?|"
    r"Consultants|Studies|Edition|Country|Federal|National|Society|Group|Network|Times|Press|Post|"
    r"Rights|Nations|Union|Court|Parliament)\b")
_NAME_TOKEN = re.compile(r"^(?:(?:[A-Z]\.){1,3}|[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)*|de|van|von|der|den|du|"
                         r"la|le|di|da)$")
_ARTICLES = {"The", "Le", "La", "Les", "De", "Het", "Der", "Die", "Das", "A", "An"}


@dataclass
class ParsedExcerpt:
    text: str
    heading: str = ""


@dataclass
class ParsedEntry:
    position: int
    title: str
    listed_title: str = ""
    section: str = ""
    alt_titles: list[str] = field(default_factory=list)
    byline: list[str] = field(default_factory=list)
    creators: list[dict] = field(default_factory=list)
    publisher: str = ""
    container: str = ""
    edition: str = ""
    issue: str = ""
    issued: PartialDate | None = None
    accessed: list[dict] = field(default_factory=list)
    medium: list[str] = field(default_factory=list)
    page_ref: str = ""
    notes: list[str] = field(default_factory=list)
    excerpts: list[ParsedExcerpt] = field(default_factory=list)
    url: str = ""
    title_generated: bool = False
    kind_hint: str = ""


@dataclass
class ParsedQuote:
    text: str
    attribution: str


@dataclass
class ParsedHelpline:
    label: str
    phone: str
    calling_code: str = ""


@dataclass
class ParsedPage:
    kind: str
    title: str = ""
    heading: str = ""
    citation: str = ""
    citation_author: str = ""
    copyright_note: str = ""
    caution: str = ""
    country: str = ""
    language: str = "en"
    scope: tuple[int, int] | None = None
    preamble: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    citation_forms: list[dict] = field(default_factory=list)
    quotes: list[ParsedQuote] = field(default_factory=list)
    helplines: list[ParsedHelpline] = field(default_factory=list)
    entries: list[ParsedEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ helpers


def clean(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def word_count(line: str) -> int:
    return len(line.split())


def is_prose(line: str) -> bool:
    """A sentence-like paragraph (an excerpt), as opposed to a title, a byline or a heading."""
    if len(line) > 250:
        return True
    if PAGE_REF.match(line) or re.match(r"^\[\d+\]\s", line) or re.match(r"^\d{1,3}\.\s", line):
        return True
    return bool(TERMINAL.search(line.rstrip())) and word_count(line) >= 4 and not MEDIUM.search(line)


def is_heading(line: str) -> bool:
    line = line.strip()
    return (0 < word_count(line) <= 8 and not TERMINAL.search(line) and line[:1].isupper()
            and not URL.search(line) and not BULLET.match(line))


def unproxy(url: str) -> str:
    """https://www-statista-com.ezproxy.example.edu/x → https://www.statista.com/x (a library proxy's URL)."""
    parts = urlsplit(url)
    match = re.match(r"^(?P<host>[a-z0-9-]+)\.ezproxy\.", parts.netloc, re.I)
    if not match:
        return url
    host = match.group("host").replace("--", "\0").replace("-", ".").replace("\0", "-")
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def publisher_for_url(url: str) -> str:
    host = urlsplit(url).netloc.lower()
    for domain, publisher in PUBLISHERS_BY_HOST.items():
        if host == domain or host.endswith("." + domain):
            return publisher
    return ""


def strip_medium(title: str) -> tuple[str, list[str]]:
    media = [m.upper() for m in MEDIUM.findall(title)]
    return clean(MEDIUM.sub("", title)), media


def clean_title(listed: str) -> str:
    title, _media = strip_medium(listed)
    if "»" in title:  # a breadcrumb: "Human Rights Reports » 2005 Country Reports …"
        title = title.rsplit("»", 1)[1].strip()
    return title


def title_key(title: str) -> str:
    """Comparable form of a title: case, punctuation, breadcrumbs and British/American spelling folded."""
    words = [vocab.fold(w) for w in vocab.WORD.findall(clean_title(title))]
    words += re.findall(r"\d+", title)
    return " ".join(spelling_key(w) for w in words)


_SPELLING = [(re.compile(r"(?<=[a-z])our$"), "or"), (re.compile(r"(?<=[a-z])tre$"), "ter"),
             (re.compile(r"(?<=[a-z])is(e|ed|es|ing|ation)$"), r"iz\1"), (re.compile(r"(?<=[a-z])ogue$"), "og"),
             (re.compile(r"(?<=[a-z])yse$"), "yze")]


def spelling_key(word: str) -> str:
    """Fold British and American spellings together ("centre"/"center", "labour"/"labor")."""
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def looks_like_person(segment: str) -> bool:
    segment = re.sub(r"\s+in\s+[A-Z][\w-]+$", "", segment.strip())
    tokens = segment.split()
    if not 2 <= len(tokens) <= 4 or tokens[0] in _ARTICLES or ORG_WORDS.search(segment):
        return False
    return all(_NAME_TOKEN.match(t) for t in tokens) and sum(1 for t in tokens if t[:1].isupper()) >= 2


def person(segment: str) -> dict:
    segment = re.sub(r"\s+in\s+[A-Z][\w-]+$", "", segment.strip())
    tokens = segment.split()
    particles = []
    while len(tokens) > 2 and tokens[-2].lower() in {"de", "van", "von", "der", "den", "du", "la", "le", "di", "da"}:
        particles.insert(0, tokens.pop(-2))
    family = " ".join([*particles, tokens[-1]])
    return {"family": family, "given": " ".join(tokens[:-1])}


def parse_byline(lines: list[str], title: str) -> dict:
    """Creators, publisher, container, edition, issue and issued date from the lines under a title."""
    result = {"creators": [], "publisher": "", "container": "", "edition": "", "issue": "", "issued": None,
              "description": []}
    dates: list[PartialDate] = []
    orgs: list[str] = []
    for raw in lines:
        line = re.sub(r",{2,}\S*$", "", raw).strip()  # ",,AMNESTY,ANNUALREPORT,BEL,,40b5…" is a link's residue
        line = re.sub(r",{2,}", ",", line)
        found = find_date(line)
        if found:
            date, start, end = found
            dates.append(date)
            line = (line[:start] + line[end:]).strip(" ,.;")
        edition = re.search(r"\b(\d{4}\s+Edition|\d+(?:st|nd|rd|th)\s+edition)\b", raw, re.I)
        if edition:
            result["edition"] = edition.group(1)
            line = line.replace(edition.group(1), "").strip(" ,") if edition.group(1) in line else \
                re.sub(r"^\s*Edition\s*$", "", line, flags=re.I)
        issue = re.search(r",?\s*\b(?:Issue|No\.|Vol\.)\s*(\d+)", line, re.I)
        if issue:
            result["issue"] = issue.group(1)
            line = (line[:issue.start()] + line[issue.end():]).strip(" ,")
        if not line:
            continue
        segments = [s.strip() for s in re.split(r",\s*|\s+and\s+|(?<=[a-z]{2})\.\s+(?=[A-Z])", line) if s.strip()]
        if segments and looks_like_person(segments[0]):
            rest = list(segments)
            while rest and looks_like_person(rest[0]):
                result["creators"].append(person(rest.pop(0)))
            if rest:
                remainder = ", ".join(rest)
                if ORG_WORDS.search(rest[0]) and not re.match(r"^(?:Country Report|Chapter)\b", rest[0]):
                    orgs.append(remainder)
                else:
                    result["description"].append(remainder)
        else:
            orgs.append(line.strip(" ,"))
    if orgs:
        first = orgs[0]
        news = re.search(r"\bThe Observer\b|\bBBC\b|\bNews\b|\bTimes\b|Guardian|Newsletters?|\bPress\b", first)
        if news and not re.search(r"ECPAT|Amnesty", first):
            result["container"] = first
        elif re.search(r"Newsletters?", first):
            result["container"] = first
        else:
            result["publisher"] = first
        if not result["creators"] and not result["container"]:
            result["creators"] = [{"literal": first}]
    if dates:
        result["issued"] = max(dates, key=lambda d: len(d.parts()))
    if result["issued"] is None:
        result["issued"] = parse_date(title)
    return result


def accessed_entry(body: str) -> dict:
    date = parse_date(body)
    return {"text": clean(body), "date": date.iso() if date else None}


# ------------------------------------------------------------------ recognition


def recognise(text: str) -> str:
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    accessed = sum(1 for line in lines if ACCESSED.match(line))
    if accessed >= 2 or (accessed >= 1 and any(CITE_AS.search(line) for line in lines)):
        return "curated"
    if len(citation_lines(lines)) >= 2:
        return "statistics"
    head = " ".join(lines[:3])
    if re.search(r"Country Narrative on", head, re.I) or (
            re.search(r"Recommendations for [A-Z][\w ]+:", text)
            and sum(1 for h in ("Prosecution", "Protection", "Prevention") if re.search(rf"^\s*{h}\s*$", text, re.M))
            >= 2):
        return "narrative"
    headings = [line for line in lines if is_heading(line) and not ACCESSED.match(line)]
    if len(headings) >= 2 and re.search(r"trends in human trafficking|institutional (?:background|framework)|"
                                        r"national rapporteur|tendances|tendensen|Tendenzen", text, re.I):
        return "profile"
    return "document"


def parse(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    kind = recognise(text)
    parser = {"curated": parse_curated, "statistics": parse_statistics, "narrative": parse_narrative,
              "profile": parse_profile}.get(kind, parse_document)
    page = parser(text, name=name, html_title=html_title)
    page.kind = kind
    page.language = vocab.detect_language(text)
    for entry in page.entries:
        if not entry.title:
            entry.title, entry.title_generated = (name or "Untitled"), True
    return page


# ------------------------------------------------------------------ curated country pages


def parse_curated(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    lines = [clean(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    page = ParsedPage(kind="curated")
    consumed: set[int] = set()
    n = len(lines)

    footer = next((i for i, line in enumerate(lines) if CITE_AS.search(line)), None)
    if footer is not None:
        before, citation = CITE_AS.split(lines[footer], maxsplit=1)
        page.copyright_note = before.strip()
        page.citation = citation.strip()
        match = re.match(r'^(?P<author>.+?),\s*["“](?P<title>[^"”]+)["”]', page.citation)
        if match:
            page.citation_author, page.title = match.group("author").strip(), match.group("title").strip()
        consumed.add(footer)
        n = footer
    archives = next((i for i in range(n) if ARCHIVES.match(lines[i])), None)
    if archives is not None:
        consumed.add(archives)
    caution = next((i for i in range(n) if CAUTION.match(lines[i])), None)
    if caution is not None:
        page.caution = lines[caution]
        consumed.add(caution)
    country_line = None
    for i in range(min(n, 20)):
        if word_count(lines[i]) <= 6 and not TERMINAL.search(lines[i]):
            codes = vocab.country_codes(lines[i])
            if codes:
                country_line, page.country = i, codes[0]
                consumed.add(i)
                break
    help_lines: list[int] = []
    for i in range(n):
        if HELP_HEADER.match(lines[i]) and i + 1 < n and HELPLINE.match(lines[i + 1]):
            help_lines.append(i)
            j = i + 1
            calling = ""
            while j < n and (HELPLINE.match(lines[j]) or CALLING_CODE.match(lines[j])):
                code = CALLING_CODE.match(lines[j])
                if code:
                    calling = code.group("code")
                else:
                    match = HELPLINE.match(lines[j])
                    page.helplines.append(ParsedHelpline(match.group("label").strip(), match.group("phone").strip()))
                help_lines.append(j)
                j += 1
            for helpline in page.helplines:
                helpline.calling_code = calling
    consumed.update(help_lines)

    accessed_idx = [i for i in range(n) if ACCESSED.match(lines[i])]
    groups: list[list[int]] = []
    for i in accessed_idx:
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    headers: list[tuple[int, int]] = []  # (header start, first accessed line)
    previous_end = -1
    for group in groups:
        start = group[0]
        h = start
        while (h - 1 > previous_end and h - 1 not in consumed and not ACCESSED.match(lines[h - 1])
               and not is_prose(lines[h - 1]) and start - (h - 1) <= 7):
            h -= 1
        if h == start:  # an accessed line without a title above it belongs to the previous entry
            previous_end = group[-1]
            continue
        headers.append((h, start))
        previous_end = group[-1]

    # The page's preamble: everything before the first entry.
    first = headers[0][0] if headers else n
    pending: list[str] = []
    for i in range(first):
        line = lines[i]
        if i in consumed:
            continue
        if JUNK.match(line):
            continue
        if country_line is not None and i < country_line:
            page.preamble.append(line)
            continue
        if caution is not None and i > caution:
            page.notes.append(line)
            continue
        bracket = re.match(r"^(?P<q>.+?)\s*\[(?P<a>[^\]]*[A-Za-z][^\]]*)\]\s*$", line)
        dash = re.match(r"^(?P<q>.+?[.!?”\"])\s+[-–]\s+(?P<a>.{3,120}?(?:19|20)\d\d)\b(?P<rest>.*)$", line)
        if bracket:
            pending.append(bracket.group("q"))
            page.quotes.extend(ParsedQuote(q, bracket.group("a").strip()) for q in pending)
            pending = []
        elif dash:
            pending.append(dash.group("q"))
            page.quotes.extend(ParsedQuote(q, dash.group("a").strip()) for q in pending)
            pending = []
        elif country_line is not None:
            pending.append(line)
        else:
            page.preamble.append(line)
    page.quotes.extend(ParsedQuote(q, "") for q in pending)
    preamble = [line for line in page.preamble if word_count(line) > 2]
    page.heading = preamble[0] if preamble else ""
    if not page.title:
        page.title = page.heading or html_title or name
    scope = next((re.search(r"\b((?:19|20)\d\d)\s*(?:to|-|–|—)\s*((?:19|20)\d\d)\b", line) for line in page.preamble
                  if re.search(r"\b(?:19|20)\d\d\s*(?:to|-|–|—)\s*(?:19|20)\d\d\b", line)), None)
    if scope:
        page.scope = (int(scope.group(1)), int(scope.group(2)))

    for number, (h, a) in enumerate(headers):
        end_of_accessed = a
        while end_of_accessed + 1 < n and ACCESSED.match(lines[end_of_accessed + 1]):
            end_of_accessed += 1
        next_start = headers[number + 1][0] if number + 1 < len(headers) else n
        header = lines[h:a]
        accessed_lines = [lines[i] for i in range(a, next_start) if ACCESSED.match(lines[i])]
        body = [lines[i] for i in range(end_of_accessed + 1, next_start)
                if i not in consumed and not ACCESSED.match(lines[i])]
        entry = curated_entry(number + 1, header, accessed_lines, body)
        if archives is not None:
            entry.section = "archives" if h > archives else "current"
        page.entries.append(entry)
    if not page.country:
        page.country = vocab.main_country(text)
    return page


def curated_entry(position: int, header: list[str], accessed: list[str], body: list[str]) -> ParsedEntry:
    listed = header[0]
    title, media = strip_medium(listed)
    entry = ParsedEntry(position=position, title=clean_title(listed), listed_title=listed, medium=media)
    bylines = []
    for line in header[1:]:
        if NOTE.search(line):
            entry.notes.append(line)
        elif MEDIUM.search(line):
            alt, more = strip_medium(line)
            entry.alt_titles.append(alt)
            entry.medium.extend(m for m in more if m not in entry.medium)
        else:
            bylines.append(line)
    entry.byline = bylines
    meta = parse_byline(bylines, entry.title)
    entry.creators, entry.publisher, entry.container = meta["creators"], meta["publisher"], meta["container"]
    entry.edition, entry.issue, entry.issued = meta["edition"], meta["issue"], meta["issued"]
    if meta["description"]:
        entry.notes.extend(meta["description"])
    entry.accessed = [accessed_entry(ACCESSED.match(line).group("body")) for line in accessed]
    for number, paragraph in enumerate(body):
        if number == 0:
            ref = PAGE_REF.match(paragraph)
            if ref:
                entry.page_ref = ref.group("page")
                paragraph = paragraph[ref.end():]
        entry.excerpts.append(ParsedExcerpt(paragraph))
    for line in [*bylines, *entry.notes]:
        url = URL.search(line)
        if url:
            entry.url = unproxy(url.group(0))
    return entry


# ------------------------------------------------------------------ paragraphs of running text


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a text. Undoes the hard wrapping of PDF extractions, where every line is
    followed by one empty line and paragraphs are separated by several; otherwise every line is a
    paragraph (consecutive bullet lines make one paragraph)."""
    raw = text.split("\n")
    runs: list[int] = []
    run = 0
    for line in raw:
        if line.strip():
            if run:
                runs.append(run)
            run = 0
        else:
            run += 1
    nonempty = [line.strip() for line in raw if line.strip()]
    average = sum(len(line) for line in nonempty) / max(len(nonempty), 1)
    double_spaced = (len(runs) >= 4 and sum(1 for r in runs if r == 1) >= len(runs) * 0.6
                     and any(r >= 2 for r in runs) and average < 90)
    result: list[str] = []
    current: list[str] = []

    def flush():
        if current:
            result.append(clean(" ".join(current)))
            current.clear()

    if double_spaced:
        run = 0
        for line in raw:
            if not line.strip():
                run += 1
                continue
            if run >= 2:
                flush()
            run = 0
            line = line.strip()
            if URL.fullmatch(line):
                flush()
                result.append(line)
            elif not current and is_heading(line) and (word_count(line) <= 4 or not result):
                result.append(clean(line))
            else:
                current.append(line)
        flush()
        return result
    bullets: list[str] = []
    for line in nonempty:
        if BULLET.match(line):
            bullets.append("• " + BULLET.sub("", line).strip())
            continue
        if bullets:
            result.append("\n".join(bullets))
            bullets = []
        result.append(clean(line))
    if bullets:
        result.append("\n".join(bullets))
    return result


def sectioned(paras: list[str]) -> list[ParsedExcerpt]:
    """Paragraphs under their headings; a heading is a short line without final punctuation."""
    excerpts: list[ParsedExcerpt] = []
    heading = ""
    for number, paragraph in enumerate(paras):
        following = paras[number + 1] if number + 1 < len(paras) else ""
        if is_heading(paragraph) and (not following or not is_heading(following) or word_count(following) > 8):
            heading = paragraph
            continue
        inline = re.match(r"^(?P<h>Recommendations for [^:]{2,40}):\s*(?P<rest>.+)$", paragraph)
        if inline:
            heading = inline.group("h")
            paragraph = inline.group("rest")
        excerpts.append(ParsedExcerpt(paragraph, heading))
    return excerpts


def _country_name(code: str) -> str:
    from django_countries import countries

    with translation.override("en"):
        return str(countries.name(code)) if code else ""


def parse_narrative(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    paras = paragraphs(text)
    page = ParsedPage(kind="narrative")
    urls = [p for p in paras if URL.fullmatch(p)]
    paras = [p for p in paras if not URL.fullmatch(p)]
    title_line = paras.pop(0) if paras and is_heading(paras[0]) or (paras and "Narrative" in paras[0]) else ""
    match = re.match(r"^Country Narrative on (?P<country>.+?)\s*\((?P<tier>Tier [^)]+)\)", title_line, re.I)
    country = vocab.country_codes(title_line)[:1] or [vocab.main_country(text)]
    page.country = country[0]
    url = unproxy(urls[0]) if urls else ""
    year = re.search(r"tiprpt/((?:19|20)\d\d)", url)
    container = ""
    if year or re.search(r"Trafficking in Persons Report", text):
        container = "Trafficking in Persons Report" + (f" {year.group(1)}" if year else "")
    title = title_line
    if match:
        title = f"Country Narrative on {_country_name(page.country) or match.group('country').title()} " \
                f"({match.group('tier')})"
    page.title = title or html_title or name
    page.heading = title_line
    publisher = publisher_for_url(url)
    entry = ParsedEntry(position=1, title=page.title, listed_title=title_line, url=url, container=container,
                        publisher=publisher, creators=[{"literal": publisher}] if publisher else [],
                        issued=PartialDate(int(year.group(1)), text=year.group(1)) if year else None,
                        excerpts=sectioned(paras), kind_hint="narrative")
    if match:
        entry.notes.append(match.group("tier"))
    page.entries.append(entry)
    return page


def parse_profile(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    page = ParsedPage(kind="profile")
    page.country = vocab.main_country(text)
    country = _country_name(page.country)
    page.title = html_title or (f"{country}: country profile" if country else name)
    entry = ParsedEntry(position=1, title=page.title, listed_title="", excerpts=sectioned(paragraphs(text)),
                        title_generated=not html_title, kind_hint="profile")
    page.entries.append(entry)
    return page


def parse_document(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    page = ParsedPage(kind="document")
    paras = paragraphs(text)
    title = html_title
    if not title and paras and is_heading(paras[0]) and word_count(paras[0]) >= 2:
        title = paras.pop(0)
    page.title = title or name
    page.country = vocab.main_country(text)
    entry = ParsedEntry(position=1, title=page.title, excerpts=sectioned(paras), title_generated=not title)
    page.entries.append(entry)
    return page


# ------------------------------------------------------------------ statistics pages

_CITE_HINT = re.compile(r"Retrieved .+ from https?://|Accessed:? .+https?://|Available: https?://|"
                        r"\(last visited [^)]+\)|\[Online\]|^.+\. \(\d{4}[^)]*\)\. .+https?://|"
                        r"^[^\"“]+\. [\"“].+[\"”] .+, https?://\S+$", re.I)

CITATION_FORMS = [
    ("apa", re.compile(r'^(?P<author>.+?)\. \((?P<date>[^)]+)\)\. (?P<title>.+?) \[(?P<medium>[^\]]+)\]\. In '
                       r'(?P<container>.+?)\. Retrieved (?P<accessed>.+?), from (?P<url>\S+)$')),
    ("chicago", re.compile(r'^(?P<author>.+?)\. ["“](?P<title>.+?)\.?["”] (?P<medium>[A-Z]\w+)\. (?P<date>[^.]+)\. '
                           r'(?P<container>[^.]+)\. Accessed (?P<accessed>[^.]+)\. (?P<url>\S+)$')),
    ("harvard", re.compile(r'^(?P<author>.+?)\. \((?P<date>\d{4})\)\. (?P<title>.+?)\. (?P<container>[^.]+)\. '
                           r'(?P<publisher>.+?)\.+ Accessed: (?P<accessed>[^.]+)\. (?P<url>\S+)$')),
    ("mla", re.compile(r'^(?P<author>.+?)\. ["“](?P<title>.+?)\.?["”] (?P<container>[^,]+), (?P<publisher>[^,]+), '
                       r'(?P<date>[^,]+), (?P<url>\S+?)\.?$')),
    ("bluebook", re.compile(r'^(?P<author>[^,]+), (?P<title>.+?) (?P<container>\S+), (?P<url>\S+) '
                            r'\(last visited (?P<accessed>[^)]+)\)$')),
    ("ieee", re.compile(r'^(?P<title>.+?) \[(?P<medium>[^\]]+)\], (?P<author>[^,]+), (?P<date>.+?)\. \[Online\]\. '
                        r'Available: (?P<url>\S+)$')),
]


def citation_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if URL.search(line) and _CITE_HINT.search(line)]


def parse_citation_form(line: str) -> dict:
    for style, pattern in CITATION_FORMS:
        match = pattern.match(line.strip())
        if match:
            return {"style": style, "text": line, "fields": {k: v.strip() for k, v in match.groupdict().items()}}
    return {"style": "unknown", "text": line, "fields": {"url": (URL.search(line) or [""])[0]}}


def _vote(values: list[str]) -> str:
    values = [v for v in values if v]
    if not values:
        return ""
    counts = Counter(v.casefold() for v in values)
    best = counts.most_common(1)[0][0]
    return next(v for v in values if v.casefold() == best)


def parse_statistics(text: str, *, name: str = "", html_title: str = "") -> ParsedPage:
    lines = [clean(line) for line in text.split("\n") if line.strip()]
    page = ParsedPage(kind="statistics")
    cites = citation_lines(lines)
    page.citation_forms = [parse_citation_form(line) for line in cites]
    fields = [form["fields"] for form in page.citation_forms]
    title = _vote([f.get("title", "") for f in fields if f.get("title")])
    dates = [d for d in (parse_date(f.get("date", "")) for f in fields) if d]
    issued = max(dates, key=lambda d: len(d.parts())) if dates else None
    accessed = [d for d in (parse_date(f.get("accessed", "")) for f in fields) if d]
    url = unproxy(_vote([f.get("url", "").rstrip(".") for f in fields]))
    author = _vote([f.get("author", "") for f in fields])
    container = _vote([f.get("container", "") for f in fields])
    publisher = _vote([f.get("publisher", "").rstrip(".") for f in fields if f.get("publisher")])
    medium = _vote([f.get("medium", "") for f in fields])
    page.title = title or html_title or name
    page.heading = page.title
    scope = re.search(r"\b((?:19|20)\d\d)\s*(?:to|-|–|and)\s*((?:19|20)\d\d)\b", page.title)
    if scope:
        page.scope = (int(scope.group(1)), int(scope.group(2)))
    body = [line for line in lines if line not in cites and not STATISTICS_BOILERPLATE.search(line)
            and line.casefold() != page.title.casefold()]
    dropped = len(lines) - len(cites) - len(body)
    if dropped > 1:
        page.notes.append(f"{dropped - 1} lines of the portal's own interface were left out")
    page.country = vocab.main_country(text)
    latest_accessed = max(accessed, key=lambda d: (d.year, d.month or 0, d.day or 0)) if accessed else None
    entry = ParsedEntry(
        position=1, title=page.title, listed_title=page.title, url=url, container=container, publisher=publisher,
        creators=[{"literal": author}] if author else [], issued=issued,
        accessed=[latest_accessed.as_json()] if latest_accessed else [],
        medium=[medium] if medium else [], excerpts=sectioned(body), kind_hint="statistics")
    page.entries.append(entry)
    return page
