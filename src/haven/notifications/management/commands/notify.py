"""``haven notify``: notify what falls due (daily, from cron), once per thing and date."""

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from haven.core.management.base import HavenCommand
from haven.notifications.services import notify_due

DAYS = 7


class Command(HavenCommand):
    help = "notify the members of each organisation what falls due or is overdue (daily, from cron)"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="as if today were this date (YYYY-MM-DD)")
        parser.add_argument("--days", type=int, default=DAYS,
                            help=f"notify what falls due within this many days (default {DAYS})")

    def handle(self, *args, **options):
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"not a date: {options['date']!r} (YYYY-MM-DD)", returncode=2) from None
        if options["days"] < 0:
            raise CommandError("--days cannot be negative", returncode=2)
        written = notify_due(today, options["days"])
        detail = ", ".join(f"{name}: {count}" for name, count in written.items()) or "nothing to look at"
        self.stdout.write(f"{sum(written.values())} notice(s) for {today.isoformat()} ({detail})")
