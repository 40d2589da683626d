"""``haven vault`` (keygen, status, rotate), ``haven retention`` and ``haven audit export``."""

import sys


def _django():
    from haven.cli import setup_django

    setup_django()


def vault_keygen(args) -> int:
    from haven.access.vault import generate_key

    print(generate_key())
    return 0


def vault_status(args) -> int:
    _django()
    from haven.access import rotation, vault

    primary = vault.primary().kid
    stale = 0
    for label, counter in rotation.status().items():
        parts = ", ".join(f"{kid}{' (primary)' if kid == primary else ''}: {n}" for kid, n in sorted(counter.items()))
        print(f"{label}: {parts or 'empty'}")
        stale += sum(n for kid, n in counter.items() if kid != primary)
    print(f"{stale} value(s) to rotate" if stale else "every value is under the primary key")
    return 0


def vault_rotate(args) -> int:
    _django()
    from haven.access import rotation

    report = rotation.rotate(batch=args.batch)
    for label, count in report.items():
        print(f"{label}: {count}")
    return 0


def retention(args) -> int:
    _django()
    from haven.cases.services import apply_retention

    count = apply_retention(dry_run=args.dry_run)
    print(f"{count} identities {'would be erased' if args.dry_run else 'erased'}")
    return 0


def audit_export(args) -> int:
    _django()
    from haven.audit.models import AccessLog, Action, Purpose
    from haven.audit.services import export

    queryset = AccessLog.objects.all()
    if args.organisation:
        from django.db.models import Q

        queryset = queryset.filter(Q(owner_organisation__slug=args.organisation) |
                                   Q(organisation__slug=args.organisation))
    if args.since:
        queryset = queryset.filter(at__date__gte=args.since)
    text = export(queryset.order_by("at", "pk"), args.format)
    AccessLog.objects.create(username="haven audit export", action=Action.LOG_EXPORT, purpose=Purpose.OVERSIGHT,
                             record="audit.accesslog:export",
                             reason=f"command, organisation={args.organisation or '*'}")
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        with open(args.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("vault", help="the identity vault's keys")
    sub = p.add_subparsers(dest="vault_command", required=True, metavar="ACTION")
    sub.add_parser("keygen", help="print a new key for HAVEN_DATA_KEY").set_defaults(func=vault_keygen)
    sub.add_parser("status", help="how many values each key encrypts").set_defaults(func=vault_status)
    rotate = sub.add_parser("rotate", help="re-encrypt everything under the first key, in batches, without downtime")
    rotate.add_argument("--batch", type=int, default=500)
    rotate.set_defaults(func=vault_rotate)

    p = subparsers.add_parser("retention", help="erase the identities whose retention period is over (for cron)")
    p.add_argument("--dry-run", action="store_true", help="count only")
    p.set_defaults(func=retention)

    p = subparsers.add_parser("audit", help="the access log")
    sub = p.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help="export the access log as CSV or JSON")
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    export.add_argument("--organisation", metavar="SLUG")
    export.add_argument("--since", metavar="YYYY-MM-DD")
    export.add_argument("--output", "-o", metavar="PATH")
    export.set_defaults(func=audit_export)
