"""Who sees which rows of this app: registered with the one scoping place, ``haven.access.scope``.

- A guardian's appointment is part of the case's summary: whoever takes part in the case knows who the
  child's guardian is (the child centre, the police, the Immigration Office).
- An age assessment is part of the case's facts (why the age is in doubt, how it was settled), and stays
  visible to the guardianship service that decided it after its share of the case closed (an adult's).

Least privilege inside the guardianship service: what the service holds of a case, every member of it who
does casework sees, as in every organisation (DESIGN.md §3 is per organisation and role): the service
accepts referrals and replaces an absent guardian, so it cannot depend on one person. The guardian's own
queue (``panels.wards``) lists only her children, and showing an identity is logged per person.
"""

from django.db.models import Q

from haven.access.scope import register, register_rule, seats, visible_cases

from .models import AgeAssessment, GuardianAppointment

register(GuardianAppointment, part="summary", field="case_id")
register(GuardianAppointment.history.model, part="summary", field="case_id")


def _assessment_rule(queryset, user):
    mine = [s.organisation_id for s in seats(user) if "facts" in s.parts]
    return queryset.filter(Q(case_id__in=visible_cases(user, "facts").values("pk")) | Q(organisation_id__in=mine))


register_rule(AgeAssessment, _assessment_rule, part="facts")
register_rule(AgeAssessment.history.model, _assessment_rule, part="facts")
