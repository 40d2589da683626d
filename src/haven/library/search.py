"""Full-text search over titles and excerpts, in English, French, Dutch and German.

One entry point, ``search()``; the backend follows the database:

* PostgreSQL: a stored ``tsvector`` per appearance built with the text search configuration of
  its language (english, french, dutch, german), title weighted A and excerpts D; queries are
  parsed per language with ``websearch_to_tsquery``; ``ts_rank`` orders and ``ts_headline``
  highlights.
* SQLite: an FTS5 table holding the same text stemmed in Python with the Snowball stemmers;
  the query is stemmed the same way; ``bm25`` (title weighted 10) orders and highlighting is done
  in Python on the original text.

Either way a query is matched against each appearance with the stemmer of that appearance's
language, a title match ranks first, and the highlighted text is escaped before the ``<mark>``
tags are added: imported text is never trusted as HTML.
"""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import vocab
from .models import Appearance

FTS_TABLE = "library_search_fts"
# Two private-use characters mark the matches inside PostgreSQL's headline; the importer
# removes private-use characters from imported text, so they cannot come from a page.
START, STOP = "\ue000", "\ue001"
SNIPPET_WORDS = 40


@dataclass
class Hit:
    appearance: Appearance
    score: float
    title_match: bool
    title_html: SafeString
    snippet_html: SafeString
    also_on: list[Appearance] = field(default_factory=list)

    @property
    def source(self):
        return self.appearance.source


def search_config(language: str) -> str:
    return vocab.POSTGRES_CONFIG.get(language, "simple")


# PostgreSQL's headline parser reads "<…>" as markup and drops it; the text is shielded from it
# by turning angle brackets into two more private-use characters, turned back after escaping.
LT, GT = "\ue002", "\ue003"


def marked(text: str) -> SafeString:
    """Escape first, then turn the markers into <mark> elements."""
    escaped = escape(text).replace(LT, "&lt;").replace(GT, "&gt;")
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308 - escaped above


def _shielded(field_name: str):
    from django.db.models import Value
    from django.db.models.functions import Replace

    return Replace(Replace(field_name, Value("<"), Value(LT)), Value(">"), Value(GT))


# ------------------------------------------------------------------ indexing


def index_appearance(appearance: Appearance) -> None:
    """(Re)build the search text and index entry of one appearance."""
    excerpts = [e.text for e in appearance.excerpts.all()]
    source = appearance.source
    titles = [source.title, *source.alt_titles]
    if appearance.listed_title and appearance.listed_title not in titles:
        titles.append(appearance.listed_title)
    appearance.search_title = " · ".join(t for t in titles if t)
    appearance.search_body = "\n\n".join(excerpts)
    Appearance.objects.filter(pk=appearance.pk).update(search_title=appearance.search_title,
                                                      search_body=appearance.search_body)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchVector

        config = search_config(appearance.language)
        Appearance.objects.filter(pk=appearance.pk).update(
            search_vector=SearchVector("search_title", weight="A", config=config)
            + SearchVector("search_body", weight="D", config=config))
    elif connection.vendor == "sqlite":
        language = appearance.language if appearance.language in vocab.LANGUAGES else "en"
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [appearance.pk])  # noqa: S608
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body, lang) VALUES (%s, %s, %s, %s)",  # noqa: S608
                [appearance.pk, " ".join(vocab.stem_words(appearance.search_title, language)),
                 " ".join(vocab.stem_words(appearance.search_body, language)), language])


def unindex(appearance_ids) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for pk in appearance_ids:
                cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [pk])  # noqa: S608


# ------------------------------------------------------------------ searching


def _filtered(country=None, year=None, topic=None, source_type=None, language=None):
    queryset = Appearance.objects.select_related("source", "page")
    if country:
        queryset = queryset.filter(Q(source__countries__country=country.upper(), source__countries__rejected=False)
                                   | Q(page__country=country.upper()))
    if year:
        queryset = queryset.filter(source__issued_year=int(year))
    if topic:
        queryset = queryset.filter(source__topics__topic=topic, source__topics__rejected=False)
    if source_type:
        queryset = queryset.filter(source__source_type=source_type)
    if language:
        queryset = queryset.filter(language=language)
    return queryset.distinct()


def search(query: str, *, country: str | None = None, year: int | str | None = None, topic: str | None = None,
           source_type: str | None = None, language: str | None = None, limit: int = 50) -> list[Hit]:
    """Ranked hits for ``query``, one per source (its best-ranked appearance), title matches first."""
    query = (query or "").strip()[:500]
    if not vocab.WORD.search(query):
        return []
    base = _filtered(country, year, topic, source_type, language)
    if connection.vendor == "postgresql":
        hits = _search_postgres(query, base, limit * 3)
    else:
        hits = _search_sqlite(query, base, limit * 3)
    hits.sort(key=lambda h: (not h.title_match, -h.score, h.appearance.pk))
    best: dict[int, Hit] = {}
    for hit in hits:
        kept = best.get(hit.appearance.source_id)
        if kept is None:
            best[hit.appearance.source_id] = hit
        else:
            kept.also_on.append(hit.appearance)
    return list(best.values())[:limit]


def _search_postgres(query: str, base, limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    hits: list[Hit] = []
    languages = set(base.values_list("language", flat=True))
    for language in languages:
        config = search_config(language)
        q = SearchQuery(query, config=config, search_type="websearch")
        rows = (base.filter(language=language, search_vector=q)
                .annotate(rank=SearchRank("search_vector", q, weights=[0.1, 0.2, 0.4, 1.0]),
                          headline=SearchHeadline(_shielded("search_body"), q, config=config, start_sel=START,
                                                  stop_sel=STOP, max_words=SNIPPET_WORDS, min_words=15,
                                                  max_fragments=2, fragment_delimiter=" … "),
                          title_headline=SearchHeadline(_shielded("search_title"), q, config=config,
                                                        start_sel=START, stop_sel=STOP, highlight_all=True))
                .order_by("-rank")[:limit])
        title_hits = set(base.filter(language=language, search_vector=q)
                         .annotate(title_vector=SearchVector("search_title", config=config))
                         .filter(title_vector=q).values_list("pk", flat=True))
        for row in rows:
            hits.append(Hit(row, float(row.rank), row.pk in title_hits, marked(row.title_headline),
                            marked(row.headline)))
    return hits


def _fts_query(stems: list[str]) -> str:
    return " ".join('"' + stem.replace('"', '""') + '"' for stem in stems)


def _search_sqlite(query: str, base, limit: int) -> list[Hit]:
    hits: list[Hit] = []
    scored: dict[int, tuple[float, str]] = {}
    with connection.cursor() as cursor:
        for language in vocab.LANGUAGES:
            stems = vocab.stem_words(query, language)
            if not stems:
                continue
            cursor.execute(
                f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s AND lang = %s ORDER BY bm25({FTS_TABLE}, 10.0, 1.0) LIMIT %s",
                [_fts_query(stems), language, limit])
            for rowid, bm25 in cursor.fetchall():
                scored[rowid] = (-bm25, language)
    if not scored:
        return []
    for appearance in base.filter(pk__in=list(scored)):
        score, language = scored[appearance.pk]
        stems = set(vocab.stem_words(query, language))
        title_stems = {s for _a, _b, s in vocab.tokens_with_stems(appearance.search_title, language)}
        hits.append(Hit(appearance, score, stems <= title_stems,
                        highlight(appearance.search_title, stems, language, whole=True),
                        highlight(appearance.search_body, stems, language)))
    return hits


def highlight(text: str, stems: set[str], language: str, *, whole: bool = False,
              fragments: int = 2) -> SafeString:
    """The text (or up to ``fragments`` windows of it around the matches) with the matching words in
    <mark>; every piece of the text is escaped."""
    tokens = vocab.tokens_with_stems(text, language)
    matches = [i for i, (_a, _b, stem) in enumerate(tokens) if stem in stems]
    if whole or not tokens:
        return _marked_span(text, tokens, matches, 0, len(text))
    if not matches:
        hi = min(len(tokens), SNIPPET_WORDS) - 1
        return _marked_span(text, tokens, matches, 0, tokens[hi][1])
    width = SNIPPET_WORDS // fragments
    windows: list[tuple[int, int]] = []
    covered: set[str] = set()
    for _ in range(fragments):
        best, best_new = None, 0
        for i in matches:
            if any(lo <= i <= hi for lo, hi in windows):
                continue
            new = {tokens[k][2] for k in matches if i <= k < i + width} - covered
            if len(new) > best_new:
                best, best_new = i, len(new)
        if best is None:
            break
        lo = max(0, best - width // 4)
        hi = min(len(tokens) - 1, lo + width)
        windows.append((lo, hi))
        covered |= {tokens[k][2] for k in matches if lo <= k <= hi}
        if covered >= {tokens[k][2] for k in matches}:
            break
    windows.sort()
    pieces = []
    for lo, hi in windows:
        pieces.append(str(_marked_span(text, tokens, matches, tokens[lo][0], tokens[hi][1])))
    joined = " … ".join(p.strip("… ").strip() for p in pieces)
    prefix = "… " if tokens[windows[0][0]][0] > 0 else ""
    suffix = " …" if tokens[windows[-1][1]][1] < len(text) else ""
    return mark_safe(prefix + joined + suffix)  # noqa: S308 - built from escaped pieces


def _marked_span(text: str, tokens, matches, start: int, end: int) -> SafeString:
    pieces, cursor = [], start
    for i in matches:
        a, b, _stem = tokens[i]
        if a < start or b > end:
            continue
        pieces.append(escape(text[cursor:a]))
        pieces.append("<mark>" + escape(text[a:b]) + "</mark>")
        cursor = b
    pieces.append(escape(text[cursor:end]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped
