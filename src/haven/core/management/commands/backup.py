"""``haven backup PATH [--quiet]``: every row of Haven's data in one encrypted file (``haven.core.backup``);
``haven backup keygen`` prints a new key for ``HAVEN_BACKUP_KEY``, as ``haven vault keygen`` does for the vault."""

import os

from django.core.management.base import CommandError
from django.db import transaction

from haven.core import backup
from haven.core.actor import Actor
from haven.core.errors import ServiceError
from haven.core.management.base import HavenCommand
from haven.core.trail import Verb, record_event


class Command(HavenCommand):
    help = "write an encrypted backup of Haven's data (keygen: print a new HAVEN_BACKUP_KEY)"

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the backup file to write, or 'keygen' to print a new key "
                                                         "for HAVEN_BACKUP_KEY")
        parser.add_argument("--quiet", action="store_true", help="say nothing on stderr unless it fails")

    def handle(self, *args, **options):
        if options["path"] == "keygen":
            self.stdout.write(backup.generate_key())
            return
        progress = None if options["quiet"] else (lambda table, rows: self.stderr.write(f"{table}: {rows}"))
        try:
            counts = backup.write_backup(options["path"], backup.key_from_environment(), progress)
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=2) from None
        except OSError as exc:
            raise CommandError(f"{options['path']}: {exc.strerror}", returncode=2) from None
        with transaction.atomic():  # who took the data out (or put it back) is itself a trace
            record_event(Actor.command(), Verb.BACKUP_WRITTEN, f"backup:{os.path.basename(options['path'])}",
                         after={"tables": len(counts), "rows": sum(counts.values())})
        if not options["quiet"]:
            self.stderr.write(f"{sum(counts.values())} rows of {len(counts)} tables written to {options['path']}")
