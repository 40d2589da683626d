"""``haven requests stats``: exact counts of requests between organisations and their timeliness."""

import json

from haven.core.management.base import HavenCommand
from haven.residence import stats


class Command(HavenCommand):
    help = "requests between organisations: statistics"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        counts = actions.add_parser("stats", help="exact counts of answers (co-signed, confirmed, refused, issued, "
                                                  "withdrawn) and days to the final answer (not for publication)")
        counts.add_argument("--json", action="store_true")
        counts.add_argument("--by", help="comma-separated dimensions among year,kind,stage,outcome (default: all)")
        counts.add_argument("--jurisdiction", help="ISO code, e.g. BE")

    def handle(self, *args, **options):
        jurisdiction = self.jurisdiction_of(options["jurisdiction"])
        by = self.dimensions(options["by"], stats.DIMENSIONS)
        rows = stats.aggregate(by=by, jurisdiction=jurisdiction)
        days = stats.timeliness(jurisdiction=jurisdiction)
        if options["json"]:
            self.stdout.write(json.dumps({"exact": True, "disclosure_control": None, "answers": rows,
                                          "days_to_answer": days}, indent=1))
            return
        self.stdout.write("# exact counts, no disclosure control: do not publish as they are")
        columns = [*by, "count"]
        self.stdout.write("\t".join(columns))
        for row in rows:
            self.stdout.write("\t".join(str(row[c]) for c in columns))
        self.stdout.write("# days from the request to its final answer")
        self.stdout.write("kind\toutcome\trequests\tmedian\tp90")
        for row in days:
            self.stdout.write("\t".join(str(row[c]) for c in ("kind", "outcome", "requests", "median", "p90")))
