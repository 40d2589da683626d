"""``haven deadlines digest``: e-mail each responsible caseworker their deadlines (daily, from cron)."""

import datetime


def digest(args) -> int:
    from haven.cli import setup_django

    setup_django()
    from django.utils import timezone

    from haven.cases.chain.deadlines import send_digest

    today = datetime.date.fromisoformat(args.date) if args.date else timezone.localdate()
    sent = send_digest(today, horizon=args.days)
    print(f"{sent} digest(s) sent for {today.isoformat()}")
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("deadlines", help="deadlines of the case chain")
    sub = p.add_subparsers(dest="deadlines_command", required=True)
    d = sub.add_parser("digest", help="e-mail responsible caseworkers what falls due in 14 days or is overdue")
    d.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
    d.add_argument("--days", type=int, default=14, help="horizon in days (default 14)")
    d.set_defaults(func=digest)
