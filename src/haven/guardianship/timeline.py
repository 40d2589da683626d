"""The sentences of this app's timeline lines (``haven.cases.timeline.renders``), in the reader's language.

The lines hold what ``services`` wrote: ``change`` (appointed / ended, opened / decided), the guardian's
name (a member of staff, never the child's), the outcome of an assessment.
"""

from django.utils.translation import gettext as _

from haven.cases.models import TimelineEvent
from haven.cases.timeline import renders

from .models import END_REASONS, AgeAssessment


@renders(TimelineEvent.GUARDIAN)
def _guardian(spec, data) -> str:
    if data.get("change") == "ended":
        reason = data.get("reason", "")
        return _("Guardianship of %(guardian)s ended: %(reason)s.") % {
            "guardian": data.get("guardian", ""), "reason": END_REASONS.get(reason, reason)}
    if data.get("replaced"):
        return _("Guardian appointed: %(guardian)s (%(service)s), replacing %(replaced)s.") % {
            "guardian": data.get("guardian", ""), "service": data.get("service", ""), "replaced": data["replaced"]}
    return _("Guardian appointed: %(guardian)s (%(service)s).") % {
        "guardian": data.get("guardian", ""), "service": data.get("service", "")}


@renders(TimelineEvent.AGE_ASSESSMENT)
def _age_assessment(spec, data) -> str:
    if data.get("change") != "decided":
        return _("Doubt about age raised: %(organisation)s assesses it.") % {
            "organisation": data.get("assessed_by", "")}
    outcome = data.get("outcome")
    label = AgeAssessment.Outcome(outcome).label if outcome in AgeAssessment.Outcome.values else outcome
    text = _("Age assessed: %(outcome)s.") % {"outcome": label}
    if data.get("estimated_birth_year"):
        text += " " + _("Estimated year of birth: %(year)s.") % {"year": data["estimated_birth_year"]}
    if outcome == AgeAssessment.Outcome.UNDETERMINED:
        text += " " + (_("Counted as a minor, as the profile says.") if data.get("minor")
                       else _("Counted as an adult, as the profile says."))
    return text
