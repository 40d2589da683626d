"""``haven library import | search | claims``.

``import`` exits with 0 when at least one file was imported or was already in the library, and
with 1 only when every file failed: one bad file in a batch is reported, not fatal, so a nightly
import of a folder keeps working while someone fixes the file.
"""

import html as html_lib
import json
import re

from haven.core.actor import Actor
from haven.core.management.base import Failed, HavenCommand
from haven.library import services
from haven.library.search import search


class Command(HavenCommand):
    help = "the evidence library: import pages, search, claims"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        imports = actions.add_parser("import", help="import text or HTML pages (files or folders)")
        imports.add_argument("paths", nargs="+", metavar="PATH")
        imports.add_argument("--json", action="store_true", help="print the report as JSON")

        find = actions.add_parser("search", help="full-text search in English, French, Dutch and German")
        find.add_argument("query", metavar="QUERY")
        find.add_argument("--country", help="ISO 3166 code, e.g. BE")
        find.add_argument("--year", type=int)
        find.add_argument("--topic")
        find.add_argument("--type", help="source type")
        find.add_argument("--language", choices=["en", "fr", "nl", "de"])
        find.add_argument("--limit", type=int, default=20)
        find.add_argument("--json", action="store_true")

        claims = actions.add_parser("claims", help="list the dated statistics found in the library")
        claims.add_argument("--status", choices=["pending", "confirmed", "rejected"])
        claims.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        {"import": self.import_pages, "search": self.find, "claims": self.claims}[options["action"]](options)

    def print_json(self, data) -> None:
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str))

    def import_pages(self, options):
        report = services.do_import_paths(Actor.command(), options["paths"])
        if options["json"]:
            self.print_json(report.as_json())
        else:
            for result in report.files:
                if result.status == "failed":
                    self.stderr.write(f"{result.name}: FAILED: {result.error}")
                else:
                    self.stdout.write(f"{result.name}: {result.status} ({result.kind})")
                    for warning in result.warnings:
                        self.stdout.write(f"  warning: {warning}")
            counts = report.counts
            self.stdout.write(", ".join(f"{counts[k]} {k}" for k in services.REPORT_KEYS))
            self.stdout.write("new in the library: " + ", ".join(f"{v} {k}" for k, v in report.created.items()))
        if report.all_failed:
            raise Failed("every file failed", returncode=1)

    def find(self, options):
        hits = search(options["query"], country=options["country"], year=options["year"], topic=options["topic"],
                      source_type=options["type"], language=options["language"], limit=options["limit"])
        if options["json"]:
            self.print_json([{
                "source": hit.source.pk, "title": hit.source.title, "year": hit.source.issued_year,
                "type": hit.source.source_type, "page": hit.appearance.page.title, "entry": hit.appearance.position,
                "title_match": hit.title_match, "score": round(hit.score, 6),
                "snippet": _plain(hit.snippet_html), "matches": _marks(hit.snippet_html) + _marks(hit.title_html),
            } for hit in hits])
            return
        if not hits:
            self.stdout.write("no match")
        for number, hit in enumerate(hits, start=1):
            year = f" ({hit.source.issued_year})" if hit.source.issued_year else ""
            self.stdout.write(f"{number}. {hit.source.title}{year} — {hit.appearance.page.title}, "
                              f"entry {hit.appearance.position}")
            self.stdout.write(f"   {_plain(hit.snippet_html, marks=True)}")

    def claims(self, options):
        claims = services.claims_queryset()
        if options["status"]:
            claims = claims.filter(status=options["status"])
        rows = [{
            "id": c.pk, "measure": c.measure, "value": c.display_value(), "unit": c.unit, "qualifier": c.qualifier,
            "per_year": c.per_year, "period": c.period_label, "period_start": c.period_start.isoformat(),
            "period_end": c.period_end.isoformat(), "period_inferred": c.period_inferred,
            "jurisdiction": c.jurisdiction.code, "status": c.status, "quote": c.quote, "as_written": c.value_text,
            "source": c.source.title, "page": c.excerpt.appearance.page.name,
        } for c in claims]
        if options["json"]:
            self.print_json(rows)
            return
        for row in rows:
            self.stdout.write(f"[{row['status']}] {row['measure']}: {row['value']} ({row['unit']}), {row['period']}, "
                              f"{row['jurisdiction']} — {row['source']}")
            self.stdout.write(f"    “{row['quote']}”")
        if not rows:
            self.stdout.write("no claims")


def _plain(html: str, *, marks: bool = False) -> str:
    text = str(html)
    if marks:
        text = text.replace("<mark>", "[").replace("</mark>", "]")
    return html_lib.unescape(re.sub(r"<[^>]+>", "", text))


def _marks(html: str) -> list[str]:
    return [html_lib.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", str(html))]
