"""``haven justice stats`` and ``haven justice import`` (bulk work on the justice chain)."""

import csv
import datetime
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import transaction

from haven.core.errors import Invalid, ServiceError
from haven.core.management.base import HavenCommand
from haven.jurisdictions.models import JudicialDistrict
from haven.justice import services
from haven.justice import stats as justice_stats
from haven.organisations.models import Organisation, User


class Command(HavenCommand):
    help = "the justice chain: statistics, imports"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        stats = actions.add_parser("stats", help="exact counts of suspects, prosecuted and convicted persons "
                                                 "(not for publication)")
        stats.add_argument("--json", action="store_true")
        stats.add_argument("--by", help="comma-separated dimensions among year,sex,age_band,citizenship "
                                        "(default: all)")
        stats.add_argument("--jurisdiction", help="ISO code, e.g. BE")
        imports = actions.add_parser("import", help="import investigations from a CSV file (all or nothing)")
        imports.add_argument("file", metavar="FILE.csv")
        imports.add_argument("--as", dest="as_user", required=True, metavar="USERNAME",
                             help="a police officer; the rules of the pages apply")

    def handle(self, *args, **options):
        if options["action"] == "stats":
            self.stats(options)
        else:
            self.import_investigations(options)

    def stats(self, options):
        jurisdiction = self.jurisdiction_of(options["jurisdiction"])
        by = self.dimensions(options["by"], justice_stats.DIMENSIONS)
        rows = justice_stats.aggregate(by=by, jurisdiction=jurisdiction)
        if options["json"]:
            self.stdout.write(json.dumps({"exact": True, "disclosure_control": None, "rows": rows}, indent=1))
            return
        self.stdout.write("# exact counts, no disclosure control: do not publish as they are")
        columns = ["measure", *[d for d in justice_stats.DIMENSIONS if d in by], "count"]
        self.stdout.write("\t".join(columns))
        for row in rows:
            self.stdout.write("\t".join(str(row[c]) if row[c] not in ("", None) else "-" for c in columns))

    def import_investigations(self, options):
        """Import investigations from CSV as a police officer (the same rules as the pages).

        Columns: file_number, district (code), opened (YYYY-MM-DD), police_unit (slug, optional),
        prosecution_office (slug, optional), forms (codes separated by ``|``, optional).
        """
        user = User.objects.filter(username=options["as_user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['as_user']!r}", returncode=2)
        errors, created = [], 0
        with open(options["file"], newline="", encoding="utf-8-sig") as handle, transaction.atomic():
            for line, row in enumerate(csv.DictReader(handle), start=2):
                try:
                    owner_jurisdictions = user.memberships.values("organisation__jurisdiction_id")
                    district = JudicialDistrict.objects.filter(code=row.get("district", "").strip(),
                                                               jurisdiction_id__in=owner_jurisdictions).first()
                    if district is None:
                        raise ValidationError({"district": "unknown district"})
                    slug = {k: (row.get(k) or "").strip() for k in ("police_unit", "prosecution_office")}
                    services.open_investigation(
                        user, file_number=row.get("file_number", ""), district=district,
                        opened=datetime.date.fromisoformat((row.get("opened") or "").strip()),
                        police_unit=Organisation.objects.filter(slug=slug["police_unit"],
                                                                jurisdiction=district.jurisdiction).first()
                        if slug["police_unit"] else None,
                        prosecution_office=Organisation.objects.filter(slug=slug["prosecution_office"],
                                                                       jurisdiction=district.jurisdiction).first()
                        if slug["prosecution_office"] else None,
                        forms=[f for f in (row.get("forms") or "").split("|") if f])
                    created += 1
                except (ValidationError, PermissionDenied, ServiceError, ValueError) as exc:
                    errors.append(f"line {line}: {_reason(exc)}")
            if errors:
                transaction.set_rollback(True)
        if errors:
            self.stderr.write("\n".join(errors))
            raise CommandError(f"{len(errors)} error(s), nothing imported", returncode=1)
        self.stdout.write(f"{created} investigation(s) imported")


def _reason(exc: Exception) -> str:
    """One line per refused row, whichever vocabulary the justice services speak."""
    if isinstance(exc, ValidationError):
        return "; ".join(exc.messages)
    if isinstance(exc, Invalid) and exc.field_errors:
        return "; ".join(m for messages in exc.field_errors.values() for m in messages)
    if isinstance(exc, ServiceError):
        return exc.message
    return str(exc) or "not allowed"
