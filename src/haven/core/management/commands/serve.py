"""``haven serve``: Haven under gunicorn, in place of this process.

The process becomes gunicorn (exec, not a child), so whatever started ``haven serve`` (systemd,
a container, a shell) signals gunicorn itself: SIGTERM or Ctrl-C stops the server and frees the
port, with no orphaned server left holding it.
"""

import argparse
import os
import sys

from django.conf import settings
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import connections

from haven.core.management.base import HavenCommand


def host_and_port(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"HOST:PORT expected, not {value!r}")
    return value


def exec_gunicorn(bind: str, workers: int, extra: list[str] | None = None):
    """Replace this process with gunicorn from the same Python environment; never returns."""
    argv = [
        sys.executable, "-m", "gunicorn",
        "haven.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("HAVEN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *(extra or []),
    ]
    # exec keeps neither Python's buffers nor its open connections.
    sys.stdout.flush()
    sys.stderr.flush()
    connections.close_all()
    os.execv(sys.executable, argv)  # noqa: S606 - a fixed program and arguments, no shell


def ensure_static_files(stdout) -> None:
    """Collect the static files when the manifest the production storage serves from is missing (a
    database prepared by ``haven demo --no-serve``, a fresh deployment): without it every page is a 500."""
    storage = storages["staticfiles"]
    manifest = getattr(storage, "manifest_name", None)
    if manifest is None or storage.exists(manifest):
        return
    stdout.write(f"Collecting static files into {settings.STATIC_ROOT} (once)…")
    call_command("collectstatic", interactive=False, verbosity=0)


class Command(HavenCommand):
    help = "serve Haven with gunicorn (production)"

    def add_arguments(self, parser):
        parser.add_argument("--bind", type=host_and_port, default="0.0.0.0:8000",  # noqa: S104 - behind a proxy
                            metavar="HOST:PORT")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("HAVEN_WORKERS", "3")))

    def handle(self, *args, **options):
        ensure_static_files(self.stdout)
        exec_gunicorn(options["bind"], workers=options["workers"])
