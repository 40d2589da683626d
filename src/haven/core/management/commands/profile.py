"""``haven profile load PROFILE... [--json]``: jurisdiction profiles, bundled (be, nl) or YAML paths."""

from django.core.management import call_command
from django.core.management.base import CommandError

from haven.core.management.base import HavenCommand


class Command(HavenCommand):
    help = "jurisdiction profiles"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser("load", help="load profiles: bundled names (be, nl) or YAML paths")
        load.add_argument("profiles", nargs="+", metavar="PROFILE")
        load.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            call_command("load_profile", *options["profiles"], json=options["json"], stdout=self.stdout)
        except CommandError as exc:
            raise CommandError(str(exc), returncode=2) from None
