"""What every ``haven`` command shares: how a refusal reads on the terminal and its exit code.

The commands' lines on stderr (``haven justice stats: no jurisdiction 'XX'``) and their exit codes
are a contract for scripts and cron, so a ``CommandError`` is printed under the command's own
name rather than Django's ``CommandError: …``. Called through ``call_command`` the error is raised
as usual.
"""

import sys

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, handle_default_options
from django.db import connections


class Failed(CommandError):
    """The command has already said on stderr what went wrong; only the exit code is left to give."""


class HavenCommand(BaseCommand):
    # The commands never ran Django's system checks: a warning there would change what cron mails.
    requires_system_checks = []

    def run_from_argv(self, argv):
        """Django's ``run_from_argv`` with Haven's error lines, and a caller's transaction left alone."""
        self._called_from_command_line = True
        parser = self.create_parser(argv[0], argv[1])
        options = parser.parse_args(argv[2:])
        cmd_options = vars(options)
        args = cmd_options.pop("args", ())
        handle_default_options(options)
        try:
            self.execute(*args, **cmd_options)
        except CommandError as exc:
            if options.traceback:
                raise
            if not isinstance(exc, Failed):
                name = " ".join(part for part in (parser.prog, cmd_options.get("action")) if part)
                self.stderr.write(f"{name}: {exc}")
            sys.exit(exc.returncode)
        finally:
            # Django closes every connection here; one inside an open transaction belongs to a
            # caller that runs ``haven.cli.main`` in process (a test) and must survive the command.
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close()

    def jurisdiction_of(self, code: str | None):
        """The jurisdiction an ``--jurisdiction`` option names (None when not given); exit 2 if unknown."""
        if not code:
            return None
        # By name: core sits below jurisdictions in the layers.
        jurisdiction = apps.get_model("jurisdictions", "Jurisdiction").objects.filter(code=code.upper()).first()
        if jurisdiction is None:
            raise CommandError(f"no jurisdiction {code!r}", returncode=2)
        return jurisdiction

    def dimensions(self, text: str | None, allowed) -> list[str]:
        """The dimensions a ``--by a,b`` option names, in ``allowed``'s order (all when not given); exit 2
        naming any unknown one."""
        by = text.split(",") if text else list(allowed)
        unknown = set(by) - set(allowed)
        if unknown:
            raise CommandError(f"unknown dimension(s) {', '.join(sorted(unknown))}", returncode=2)
        return [d for d in allowed if d in by]
