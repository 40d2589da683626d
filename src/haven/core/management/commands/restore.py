"""``haven restore PATH [--force] [--quiet]``: load a backup of ``haven backup`` into this database, in one
transaction (``haven.core.backup``), with the key in ``HAVEN_BACKUP_KEY``."""

import os

from django.core.management.base import CommandError
from django.db import transaction

from haven.core import backup
from haven.core.actor import Actor
from haven.core.errors import ServiceError
from haven.core.management.base import HavenCommand
from haven.core.trail import Verb, record_event


class Command(HavenCommand):
    help = "restore a backup written by 'haven backup' (all or nothing)"

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the backup file")
        parser.add_argument("--force", action="store_true", help="replace the data this database already holds")
        parser.add_argument("--quiet", action="store_true", help="say nothing on stderr unless it fails")

    def handle(self, *args, **options):
        progress = None if options["quiet"] else (lambda table, rows: self.stderr.write(f"{table}: {rows}"))
        try:
            counts = backup.restore_backup(options["path"], backup.key_from_environment(), force=options["force"],
                                           progress=progress)
        except ServiceError as exc:
            raise CommandError(exc.message, returncode=2) from None
        except OSError as exc:
            raise CommandError(f"{options['path']}: {exc.strerror}", returncode=2) from None
        with transaction.atomic():  # who took the data out (or put it back) is itself a trace
            record_event(Actor.command(), Verb.BACKUP_RESTORED, f"backup:{os.path.basename(options['path'])}",
                         after={"tables": len(counts), "rows": sum(counts.values())})
        if not options["quiet"]:
            self.stderr.write(f"{sum(counts.values())} rows of {len(counts)} tables restored from {options['path']}")
