from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from haven.jurisdictions import profile
from haven.organisations.demo import create_demo_users


class Command(BaseCommand):
    help = "Prepare the demo: migrate, load the bundled profiles, create one demo user per role."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        for name in profile.available():
            call_command("load_profile", name, stdout=self.stdout)
        path = settings.VAR_DIR / "demo-credentials.json"
        credentials = create_demo_users(path)
        self.stdout.write(f"Demo users ({len(credentials)}) and their passwords: {path}")
        from haven.library.demo import import_seeds

        import_seeds(self.stdout)
