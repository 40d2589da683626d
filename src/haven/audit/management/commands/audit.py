"""``haven audit export`` / ``haven audit events``: the access log and the audit events, for the
data-protection officer (every export is itself logged)."""

from django.db.models import Q

from haven.audit.models import AccessLog, Action, AuditEvent, Purpose
from haven.audit.services import export
from haven.core.management.base import HavenCommand


class Command(HavenCommand):
    help = "the access log and the audit events"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        export = actions.add_parser("export", help="export the access log as CSV or JSON")
        export.add_argument("--format", choices=["csv", "json"], default="csv")
        export.add_argument("--organisation", metavar="SLUG")
        export.add_argument("--since", metavar="YYYY-MM-DD")
        export.add_argument("--output", "-o", metavar="PATH")
        events = actions.add_parser("events", help="export the audit events (who changed what) as CSV or JSON")
        events.add_argument("--format", choices=["csv", "json"], default="csv")
        events.add_argument("--organisation", metavar="SLUG", help="the events concerning this organisation")
        events.add_argument("--since", metavar="YYYY-MM-DD")
        events.add_argument("--output", "-o", metavar="PATH")

    def handle(self, *args, **options):
        organisation = options["organisation"]
        if options["action"] == "events":
            queryset = AuditEvent.objects.all()
            if organisation:
                queryset = queryset.filter(target_organisation__slug=organisation)
            record = "audit.auditevent:export"
        else:
            queryset = AccessLog.objects.all()
            if organisation:
                queryset = queryset.filter(Q(owner_organisation__slug=organisation)
                                           | Q(organisation__slug=organisation))
            record = "audit.accesslog:export"
        if options["since"]:
            queryset = queryset.filter(at__date__gte=options["since"])
        text = export(queryset.order_by("at", "pk"), options["format"])
        AccessLog.objects.create(username=f"haven audit {options['action']}", action=Action.LOG_EXPORT,
                                 purpose=Purpose.OVERSIGHT, record=record,
                                 reason=f"command, organisation={organisation or '*'}")
        if options["output"] in (None, "-"):
            self.stdout.write(text, ending="")
        else:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
