"""``haven retention [--dry-run]``: erase the identities whose retention period is over (daily, from cron)."""

from haven.cases.services import apply_retention
from haven.core.management.base import HavenCommand


class Command(HavenCommand):
    help = "erase the identities whose retention period is over (for cron)"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count only")

    def handle(self, *args, **options):
        count = apply_retention(dry_run=options["dry_run"])
        self.stdout.write(f"{count} identities {'would be erased' if options['dry_run'] else 'erased'}")
