"""Who sees which rows of this app: registered with the one scoping place, ``haven.access.scope``."""

from haven.access.scope import register

from .models import Case, CaseShare, Person

register(Case, part="summary", field="pk")
register(Case.history.model, part="summary", field="id")
register(CaseShare, part="summary", field="case_id")
register(CaseShare.history.model, part="summary", field="case_id")
# A person is visible to whoever may see the identity part of one of their cases.
register(Person, part="identity", field="pk", case_field="person_id")
register(Person.history.model, part="identity", field="id", case_field="person_id")
