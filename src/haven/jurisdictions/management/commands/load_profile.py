import json

from django.core.management.base import BaseCommand, CommandError

from haven.core.actor import Actor
from haven.jurisdictions import profile


class Command(BaseCommand):
    help = "Load jurisdiction profiles (bundled names such as 'be' and 'nl', or paths to YAML files)."

    def add_arguments(self, parser):
        parser.add_argument("profiles", nargs="+", metavar="PROFILE")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args, **options):
        reports = {}
        for name in options["profiles"]:
            try:
                reports[name] = profile.do_load(Actor.command(), name)
            except profile.ProfileError as exc:
                raise CommandError(f"profile {name}: {exc} (nothing was changed)") from None
        if options["json"]:
            self.stdout.write(json.dumps(reports, indent=2, sort_keys=True))
            return
        for name, report in reports.items():
            parts = ", ".join(
                f"{section} " + "/".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
                for section, counts in report.items()
            )
            self.stdout.write(f"{name}: {parts}")
