"""``haven vault keygen | status | rotate``: the identity vault's keys."""

from haven.access import rotation, vault
from haven.core.management.base import HavenCommand


class Command(HavenCommand):
    help = "the identity vault's keys"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("keygen", help="print a new key for HAVEN_DATA_KEY")
        actions.add_parser("status", help="how many values each key encrypts")
        rotate = actions.add_parser("rotate", help="re-encrypt everything under the first key, in batches, "
                                                   "without downtime")
        rotate.add_argument("--batch", type=int, default=500)

    def handle(self, *args, **options):
        {"keygen": self.keygen, "status": self.status, "rotate": self.rotate}[options["action"]](options)

    def keygen(self, options):
        self.stdout.write(vault.generate_key())

    def status(self, options):
        primary = vault.primary().kid
        stale = 0
        for label, counter in rotation.status().items():
            parts = ", ".join(f"{kid}{' (primary)' if kid == primary else ''}: {n}"
                              for kid, n in sorted(counter.items()))
            self.stdout.write(f"{label}: {parts or 'empty'}")
            stale += sum(n for kid, n in counter.items() if kid != primary)
        self.stdout.write(f"{stale} value(s) to rotate" if stale else "every value is under the primary key")

    def rotate(self, options):
        for label, count in rotation.rotate(batch=options["batch"]).items():
            self.stdout.write(f"{label}: {count}")
