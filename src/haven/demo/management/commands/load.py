"""``haven load [--users N] [--seconds S] [--workers W] [--database-url URL] [--keep] [--json]``: a bounded
load test on loopback against a throwaway PostgreSQL database (see ``haven.demo.load``)."""

import json

import psycopg
from django.core.management.base import CommandError

from haven.core.management.base import Failed, HavenCommand
from haven.demo import load


class Command(HavenCommand):
    help = "load test on loopback: many users read and write, then every acknowledged write is checked"

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=16, help=f"concurrent clients (1–{load.MAX_USERS})")
        parser.add_argument("--seconds", type=float, default=60, help=f"length of the run (at most {load.MAX_SECONDS})")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
        parser.add_argument("--database-url", default=None, metavar="URL",
                            help="PostgreSQL server on which a throwaway database is created "
                                 f"(default {load.DEFAULT_SERVER})")
        parser.add_argument("--keep", action="store_true", help="keep the throwaway database afterwards")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        say = (lambda line: None) if options["json"] else self.stdout.write
        try:
            figures = load.run(options["users"], options["seconds"], options["workers"],
                               server_url=options["database_url"], keep=options["keep"], say=say)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        except (RuntimeError, psycopg.Error) as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(json.dumps(figures, indent=2) if options["json"] else load.render(figures))
        if not figures["ok"]:
            raise Failed(returncode=1)
