from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from haven.cases.models import Case
from haven.demo.cases import generate
from haven.demo.users import create_demo_users
from haven.jurisdictions import profile
from haven.library.demo import import_seeds


class Command(BaseCommand):
    help = ("Prepare the demo: migrate, load the bundled profiles, create a demo user for every role and "
            "organisation the procedure needs, import the seed pages into the library and generate cases (once).")

    def add_arguments(self, parser):
        parser.add_argument("--no-cases", action="store_true", help="do not generate demo cases")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        for name in profile.available():
            call_command("load_profile", name, stdout=self.stdout)
        path = settings.VAR_DIR / "demo-credentials.json"
        credentials = create_demo_users(path)
        self.stdout.write(f"Demo users ({len(credentials)}) and their passwords: {path}")
        import_seeds(self.stdout)
        if not options["no_cases"]:
            self.generate_cases()

    def generate_cases(self):
        if Case.objects.exists():
            self.stdout.write(f"Demo cases: {Case.objects.count()} already there, none generated.")
            return
        self.stdout.write("Generating demo cases (one to two minutes)…")
        counts = generate()
        made = {key.split(":")[0]: value for key, value in counts.items() if key.endswith(":cases")}
        self.stdout.write("Demo cases: " + ", ".join(f"{code} {n}" for code, n in made.items()) + ".")
