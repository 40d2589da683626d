"""The ``haven`` command: Django's management commands with Haven's settings.

``haven X args`` is ``django-admin X args`` with ``DJANGO_SETTINGS_MODULE=haven.settings`` (unless
set), and ``haven manage X args`` is the same thing under its older name. Haven's own commands
live in each app's ``management/commands/``.
"""

import os
import sys
from collections import defaultdict

from django.core.management import ManagementUtility, get_commands, load_command_class


class HavenUtility(ManagementUtility):
    """Django's dispatcher, with Haven's commands listed first in ``haven help``."""

    def main_help_text(self, commands_only=False):
        if commands_only:
            return super().main_help_text(commands_only=True)
        own, others = {}, defaultdict(list)
        for name, app in get_commands().items():
            if isinstance(app, str) and app.startswith("haven."):
                own[name] = load_command_class(app, name).help.splitlines()[0]
            else:
                others["django" if app == "django.core" else str(app).rpartition(".")[-1]].append(name)
        width = max(map(len, own), default=0)
        lines = ["", f"Type '{self.prog_name} help <command>' for help on a command.", "", "Haven's commands:"]
        lines += [f"    {name.ljust(width)}  {own[name]}" for name in sorted(own)]
        lines += ["", "Django's and other applications' commands:"]
        for app in sorted(others):
            lines += ["", f"[{app}]", *(f"    {name}" for name in sorted(others[app]))]
        if self.settings_exception is not None:
            lines += ["", f"Only Django's own commands are listed: the settings did not load "
                          f"({self.settings_exception})."]
        return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status (usage errors included, as 2)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["manage"]:
        argv = argv[1:]
    if argv == ["vault", "keygen"]:
        # A new key is what HAVEN_DATA_KEY needs before the settings can load at all.
        from haven.access.vault import generate_key

        print(generate_key())
        return 0
    if argv[:1] == ["demo"]:
        from haven.core.management.commands.demo import ENVIRONMENT

        for name, value in ENVIRONMENT.items():
            os.environ.setdefault(name, value)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    try:
        HavenUtility(["haven", *argv]).execute()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
