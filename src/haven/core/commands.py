"""``haven demo``, ``haven serve``, ``haven profile`` and ``haven manage``."""

import os
import shutil
import subprocess
import sys


def _bind(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--bind takes HOST:PORT, not {value!r}")
    return value


def demo(args) -> int:
    # The demo runs over plain HTTP on this machine, prints e-mail to the console and keeps
    # its secrets in var/: all of that is what HAVEN_DEBUG means.
    os.environ.setdefault("HAVEN_DEBUG", "1")
    os.environ.setdefault("HAVEN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    from haven.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("demo_setup", no_cases=args.no_cases)
    if args.no_serve:
        return 0
    print(f"\nHaven demo: open http://{args.bind}/ and sign in with a user from var/demo-credentials.json")
    print(f"The public help page is http://{args.bind}/help/ (no login). Stop with Ctrl-C.\n", flush=True)
    return _gunicorn(args.bind, workers=2, extra=["--reload"] if args.reload else [])


def serve(args) -> int:
    return _gunicorn(args.bind, workers=args.workers)


def _gunicorn(bind: str, workers: int, extra: list[str] | None = None) -> int:
    command = [
        shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "haven.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        "--access-logfile", "-",
        "--forwarded-allow-ips", os.environ.get("HAVEN_FORWARDED_ALLOW_IPS", "127.0.0.1"),
        *(extra or []),
    ]
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def profile_load(args) -> int:
    from haven.cli import setup_django

    setup_django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("load_profile", *args.profiles, json=args.json)
    except CommandError as exc:
        print(f"haven profile load: {exc}", file=sys.stderr)
        return 2
    return 0


def add_subcommands(subparsers) -> None:
    p = subparsers.add_parser("demo", help="set up the embedded demo database and serve it")
    p.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
    p.add_argument("--bind", type=_bind, default="127.0.0.1:8000", metavar="HOST:PORT")
    p.add_argument("--reload", action="store_true", help="restart on code changes (development)")
    p.add_argument("--no-cases", action="store_true", help="do not generate the few hundred demo cases")
    p.set_defaults(func=demo)

    p = subparsers.add_parser("serve", help="serve Haven with gunicorn (production)")
    p.add_argument("--bind", type=_bind, default="0.0.0.0:8000", metavar="HOST:PORT")  # noqa: S104 - behind a proxy
    p.add_argument("--workers", type=int, default=int(os.environ.get("HAVEN_WORKERS", "3")))
    p.set_defaults(func=serve)

    p = subparsers.add_parser("profile", help="jurisdiction profiles")
    sub = p.add_subparsers(dest="profile_command", required=True, metavar="ACTION")
    load = sub.add_parser("load", help="load profiles: bundled names (be, nl) or YAML paths")
    load.add_argument("profiles", nargs="+", metavar="PROFILE")
    load.add_argument("--json", action="store_true")
    load.set_defaults(func=profile_load)

    subparsers.add_parser("manage", help="run a Django management command (haven manage migrate …)")
