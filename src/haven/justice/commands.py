"""``haven justice stats`` and ``haven justice import`` (bulk work on the justice chain)."""

import csv
import datetime
import json
import sys


def stats(args) -> int:
    from haven.cli import setup_django

    setup_django()
    from haven.jurisdictions.models import Jurisdiction

    from . import stats as justice_stats

    jurisdiction = None
    if args.jurisdiction:
        jurisdiction = Jurisdiction.objects.filter(code=args.jurisdiction.upper()).first()
        if jurisdiction is None:
            print(f"haven justice stats: no jurisdiction {args.jurisdiction!r}", file=sys.stderr)
            return 2
    by = args.by.split(",") if args.by else justice_stats.DIMENSIONS
    unknown = set(by) - set(justice_stats.DIMENSIONS)
    if unknown:
        print(f"haven justice stats: unknown dimension(s) {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    rows = justice_stats.aggregate(by=by, jurisdiction=jurisdiction)
    if args.json:
        json.dump({"exact": True, "disclosure_control": None, "rows": rows}, sys.stdout, indent=1)
        print()
        return 0
    print("# exact counts, no disclosure control: do not publish as they are")
    columns = ["measure", *[d for d in justice_stats.DIMENSIONS if d in by], "count"]
    print("\t".join(columns))
    for row in rows:
        print("\t".join(str(row[c]) if row[c] not in ("", None) else "-" for c in columns))
    return 0


def import_investigations(args) -> int:
    """Import investigations from CSV as a police officer (the same rules as the pages).

    Columns: file_number, district (code), opened (YYYY-MM-DD), police_unit (slug, optional),
    prosecution_office (slug, optional), forms (codes separated by ``|``, optional).
    """
    from haven.cli import setup_django

    setup_django()
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.db import transaction

    from haven.jurisdictions.models import JudicialDistrict
    from haven.organisations.models import Organisation, User

    from . import services

    user = User.objects.filter(username=args.as_user, is_active=True).first()
    if user is None:
        print(f"haven justice import: no active user {args.as_user!r}", file=sys.stderr)
        return 2
    errors, created = [], 0
    with open(args.file, newline="", encoding="utf-8-sig") as handle, transaction.atomic():
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
            except (ValidationError, PermissionDenied, ValueError) as exc:
                detail = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or "not allowed"
                errors.append(f"line {line}: {detail}")
        if errors:
            transaction.set_rollback(True)
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"haven justice import: {len(errors)} error(s), nothing imported", file=sys.stderr)
        return 1
    print(f"{created} investigation(s) imported")
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("justice", help="the justice chain: statistics, imports")
    sub = p.add_subparsers(dest="justice_command", required=True, metavar="ACTION")
    s = sub.add_parser("stats", help="exact counts of suspects, prosecuted and convicted persons (not for publication)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--by", help="comma-separated dimensions among year,sex,age_band,citizenship (default: all)")
    s.add_argument("--jurisdiction", help="ISO code, e.g. BE")
    s.set_defaults(func=stats)
    i = sub.add_parser("import", help="import investigations from a CSV file (all or nothing)")
    i.add_argument("file", metavar="FILE.csv")
    i.add_argument("--as", dest="as_user", required=True, metavar="USERNAME",
                   help="a police officer; the rules of the pages apply")
    i.set_defaults(func=import_investigations)
