"""``haven library import | search | claims``.

``import`` exits with 0 when at least one file was imported or was already in the library, and
with 1 only when every file failed: one bad file in a batch is reported, not fatal, so a nightly
import of a folder keeps working while someone fixes the file.
"""

import json
import sys


def _setup():
    from haven.cli import setup_django

    setup_django()


def _print_json(data) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def library_import(args) -> int:
    _setup()
    from . import services

    report = services.import_paths(args.paths)
    if args.json:
        _print_json(report.as_json())
    else:
        for result in report.files:
            if result.status == "failed":
                print(f"{result.name}: FAILED: {result.error}", file=sys.stderr)
            else:
                print(f"{result.name}: {result.status} ({result.kind})")
                for warning in result.warnings:
                    print(f"  warning: {warning}")
        counts = report.counts
        print(", ".join(f"{counts[k]} {k}" for k in services.REPORT_KEYS))
        new = report.created
        print("new in the library: " + ", ".join(f"{v} {k}" for k, v in new.items()))
    return 1 if report.all_failed else 0


def library_search(args) -> int:
    _setup()
    from .search import search

    hits = search(args.query, country=args.country, year=args.year, topic=args.topic, source_type=args.type,
                  language=args.language, limit=args.limit)
    if args.json:
        _print_json([{
            "source": hit.source.pk, "title": hit.source.title, "year": hit.source.issued_year,
            "type": hit.source.source_type, "page": hit.appearance.page.title, "entry": hit.appearance.position,
            "title_match": hit.title_match, "score": round(hit.score, 6),
            "snippet": _plain(hit.snippet_html), "matches": _marks(hit.snippet_html) + _marks(hit.title_html),
        } for hit in hits])
        return 0
    if not hits:
        print("no match")
    for number, hit in enumerate(hits, start=1):
        year = f" ({hit.source.issued_year})" if hit.source.issued_year else ""
        print(f"{number}. {hit.source.title}{year} — {hit.appearance.page.title}, entry {hit.appearance.position}")
        print(f"   {_plain(hit.snippet_html, marks=True)}")
    return 0


def _plain(html: str, *, marks: bool = False) -> str:
    import html as html_lib
    import re

    text = str(html)
    if marks:
        text = text.replace("<mark>", "[").replace("</mark>", "]")
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


def _marks(html: str) -> list[str]:
    import html as html_lib
    import re

    return [html_lib.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", str(html))]


def library_claims(args) -> int:
    _setup()
    from .services import claims_queryset

    claims = claims_queryset()
    if args.status:
        claims = claims.filter(status=args.status)
    rows = [{
        "id": c.pk, "measure": c.measure, "value": c.display_value(), "unit": c.unit, "qualifier": c.qualifier,
        "per_year": c.per_year, "period": c.period_label, "period_start": c.period_start.isoformat(),
        "period_end": c.period_end.isoformat(), "period_inferred": c.period_inferred,
        "jurisdiction": c.jurisdiction.code, "status": c.status, "quote": c.quote, "as_written": c.value_text,
        "source": c.source.title, "page": c.excerpt.appearance.page.name,
    } for c in claims]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        print(f"[{row['status']}] {row['measure']}: {row['value']} ({row['unit']}), {row['period']}, "
              f"{row['jurisdiction']} — {row['source']}")
        print(f"    “{row['quote']}”")
    if not rows:
        print("no claims")
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("library", help="the evidence library: import pages, search, claims")
    sub = p.add_subparsers(dest="library_command", required=True, metavar="ACTION")

    imp = sub.add_parser("import", help="import text or HTML pages (files or folders)")
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(func=library_import)

    find = sub.add_parser("search", help="full-text search in English, French, Dutch and German")
    find.add_argument("query", metavar="QUERY")
    find.add_argument("--country", help="ISO 3166 code, e.g. BE")
    find.add_argument("--year", type=int)
    find.add_argument("--topic")
    find.add_argument("--type", help="source type")
    find.add_argument("--language", choices=["en", "fr", "nl", "de"])
    find.add_argument("--limit", type=int, default=20)
    find.add_argument("--json", action="store_true")
    find.set_defaults(func=library_search)

    claims = sub.add_parser("claims", help="list the dated statistics found in the library")
    claims.add_argument("--status", choices=["pending", "confirmed", "rejected"])
    claims.add_argument("--json", action="store_true")
    claims.set_defaults(func=library_claims)
