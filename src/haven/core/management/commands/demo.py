"""``haven demo``: set up the embedded demo database, then become its server."""

from django.core.management import call_command

from haven.core.management.base import HavenCommand

from .serve import exec_gunicorn, host_and_port

# The demo runs over plain HTTP on this machine, prints e-mail to the console and keeps its
# secrets in var/: all of that is what HAVEN_DEBUG means. ``haven.cli`` sets these (unless set)
# before the settings load, so the set-up and the server it becomes read the same settings.
ENVIRONMENT = {
    "HAVEN_DEBUG": "1",
    "HAVEN_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
}


class Command(HavenCommand):
    help = "set up the embedded demo database and serve it"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        parser.add_argument("--bind", type=host_and_port, default="127.0.0.1:8000", metavar="HOST:PORT")
        parser.add_argument("--reload", action="store_true", help="restart on code changes (development)")
        parser.add_argument("--no-cases", action="store_true", help="do not generate the few hundred demo cases")

    def handle(self, *args, **options):
        call_command("demo_setup", no_cases=options["no_cases"], stdout=self.stdout, stderr=self.stderr)
        if options["no_serve"]:
            return
        bind = options["bind"]
        self.stdout.write(f"\nHaven demo: open http://{bind}/ and sign in with a user from var/demo-credentials.json")
        self.stdout.write(f"The public help page is http://{bind}/help/ (no login). Stop with Ctrl-C.\n\n")
        exec_gunicorn(bind, workers=2, extra=["--reload"] if options["reload"] else [])
