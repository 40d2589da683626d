"""Bytes → plain text, for files nobody vouches for.

Everything here assumes the input is hostile or broken: it may be empty, binary, enormous,
in an encoding nobody declared, or HTML that does not parse. Each problem becomes an
``UnreadableFile`` with a message a person can act on; nothing is ever rendered as HTML later
(the importer keeps text only, and templates escape it).
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# Magic numbers of the binary formats people most often upload by mistake.
MAGIC = [
    (b"%PDF", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (or a Word/Excel/OpenDocument file)"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
]

BLOCK_TAGS = [
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "td", "th", "tr", "ul",
]
DROPPED_TAGS = ["script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head", "form",
                "button", "select", "textarea", "canvas", "audio", "video"]

WESTERN = {"cp1252", "latin_1", "iso8859_15", "mac_roman", "cp850"}
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
# Private-use characters are removed from imported text: the search uses two of them as
# highlight markers, so imported text must never contain them.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class UnreadableFile(Exception):
    """The file cannot be imported; ``str(exc)`` says why, in words a person can act on."""


@dataclass
class Document:
    text: str
    is_html: bool
    encoding: str
    warnings: list[str] = field(default_factory=list)
    html_title: str = ""


def max_bytes() -> int:
    return int(getattr(settings, "HAVEN_LIBRARY_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    limit = max_bytes()
    if size > limit:
        raise UnreadableFile(
            f"the file is too large ({size / 1048576:.1f} MB); the library takes pages of at most "
            f"{limit / 1048576:.0f} MB")


def looks_like_html(name: str, data: bytes) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in data[:8192].lower()


def _refuse_binary(data: bytes) -> None:
    for magic, what in MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(f"this is {what}, not a text or HTML page")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return
    sample = data[:65536]
    if b"\x00" in sample:
        raise UnreadableFile("this is a binary file (it contains NUL bytes), not a text or HTML page")
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    if controls > len(sample) * 0.02:
        raise UnreadableFile("this is a binary file (too many control characters), not a text or HTML page")


def _declared_encoding(data: bytes, is_html: bool) -> str | None:
    head = data[:4096]
    match = _XML_ENCODING.search(head) or (_DECLARED_CHARSET.search(head) if is_html else None)
    return match.group(1).decode("ascii").lower() if match else None


def decode(data: bytes, *, is_html: bool = False) -> tuple[str, str]:
    """Return (text, encoding). BOMs and declared charsets first, then UTF-8, then detection."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise UnreadableFile(f"the file starts with a {encoding} byte-order mark but is not "
                                     f"valid {encoding}: {exc.reason} at byte {exc.start}") from None
    declared = _declared_encoding(data, is_html)
    if declared:
        try:
            codec = codecs.lookup(declared).name
        except LookupError:
            codec = None
        if codec is None:
            try:
                return data.decode("utf-8"), "utf-8"
            except UnicodeDecodeError:
                raise UnreadableFile(f"the page declares the encoding {declared!r}, which is unknown, and "
                                     "it is not UTF-8 either; save it as UTF-8 and import it again") from None
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as exc:
            raise UnreadableFile(f"the page declares the encoding {declared!r} but is not valid {declared}: "
                                 f"{exc.reason} at byte {exc.start}") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(data[:1048576])
    best = results.best()
    # The library's languages are English, French, Dutch and German: when a Western European
    # encoding reads the text about as well as the best guess, it is the right one.
    western = [r for r in results if r.encoding in WESTERN]
    if best is not None and western and best.encoding not in WESTERN:
        candidate = min(western, key=lambda r: r.chaos)
        if candidate.chaos <= best.chaos + 0.05:
            best = candidate
    # A guess that needs many unusual characters to make sense is no guess at all.
    if best is None or best.chaos > 0.25:
        raise UnreadableFile("the text encoding could not be recognised (it is neither UTF-8 nor a "
                             "recognisable legacy encoding); save it as UTF-8 and import it again")
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        raise UnreadableFile(f"the text looks like {best.encoding} but does not decode as such") from None


def normalise(text: str) -> str:
    """NFC, Unix newlines, no control or private-use characters, no trailing spaces."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _PRIVATE_USE.sub("", _CONTROL.sub("", text))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def html_to_text(markup: str) -> tuple[str, str, list[str]]:
    """Visible text of an HTML page, one block per paragraph. Scripts and styles are dropped."""
    from bs4 import BeautifulSoup
    from lxml import etree, html

    warnings: list[str] = []
    parser = html.HTMLParser(recover=True)
    try:
        html.document_fromstring(markup.encode("utf-8"), parser=parser)
        if len(parser.error_log):
            warnings.append(f"the HTML is malformed ({len(parser.error_log)} problems); it was repaired")
    except (etree.ParserError, ValueError):
        warnings.append("the HTML is malformed; it was repaired")
    soup = BeautifulSoup(markup, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(DROPPED_TAGS):
        tag.decompose()
    for tag in soup.find_all(BLOCK_TAGS):
        if tag.name == "br":
            tag.replace_with("\n")
            continue
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    text = soup.get_text()
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text, title, warnings


def read_bytes(name: str, data: bytes) -> Document:
    """Turn an uploaded or read file into text, or raise ``UnreadableFile``."""
    check_size(len(data))
    if not data.strip():
        raise UnreadableFile("the file is empty")
    _refuse_binary(data)
    is_html = looks_like_html(name, data)
    text, encoding = decode(data, is_html=is_html)
    warnings: list[str] = []
    title = ""
    if is_html:
        text, title, warnings = html_to_text(text)
        if len(re.sub(r"\W", "", text)) < 20:
            raise UnreadableFile("the HTML is broken: no readable text could be recovered from it")
    text = normalise(text)
    if not text.strip():
        raise UnreadableFile("the file has no readable text")
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < len(text) * 0.3:
        raise UnreadableFile("the file does not read as text (too few letters); is it the right file?")
    return Document(text=text, is_html=is_html, encoding=encoding, warnings=warnings, html_title=title)
