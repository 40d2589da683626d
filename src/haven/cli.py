"""The ``haven`` command: demo, serve, profiles, and a door to Django's management commands.

Each part of Haven adds its subcommands by listing a module in ``SUBCOMMAND_MODULES`` that
defines ``add_subcommands(subparsers)``.
"""

import argparse
import importlib
import os
import sys

SUBCOMMAND_MODULES = [
    "haven.core.commands",
    "haven.cases.commands",
    "haven.justice.commands",
    "haven.library.commands",
    "haven.access.commands",
]


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="haven", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMAND_MODULES:
        importlib.import_module(module).add_subcommands(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        setup_django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["haven manage", *argv[1:]])
        return 0
    args = build_parser().parse_args(argv)
    return args.func(args) or 0


if __name__ == "__main__":
    sys.exit(main())
