"""``haven deadlines digest``: e-mail each responsible caseworker their deadlines (daily, from cron)."""

import datetime

from django.utils import timezone

from haven.cases.actions.deadlines import send_digest
from haven.core.management.base import HavenCommand


class Command(HavenCommand):
    help = "deadlines of the case chain"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        digest = actions.add_parser("digest", help="e-mail responsible caseworkers what falls due in 14 days or "
                                                   "is overdue")
        digest.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        digest.add_argument("--days", type=int, default=14, help="horizon in days (default 14)")

    def handle(self, *args, **options):
        today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        sent = send_digest(today, horizon=options["days"])
        self.stdout.write(f"{sent} digest(s) sent for {today.isoformat()}")
