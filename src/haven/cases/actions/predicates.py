"""Named conditions a profile's procedure may require (``requires: [name, "not name"]``).

A condition is either a fact the profile declares (``facts:``; it holds while the case has that
``CaseFact``) or one of the built-in predicates below, which read the case itself. Each predicate
takes the case (locked, current) and returns a bool. Apps above cases add theirs with
``register_predicate`` from ``AppConfig.ready()`` (the justice chain adds ``justice_grounds``: a
conviction, or THB kept in the prosecutor's requisitions), so cases never imports them.
"""

from django.utils.translation import gettext_lazy as _

from haven.jurisdictions.models import localized

PREDICATES = {
    "minor": (lambda case: case.minor, _("the person may be a minor")),
    "unaccompanied": (lambda case: case.minor and case.unaccompanied, _("the person is an unaccompanied minor")),
    "identified": (lambda case: case.trafficking_status == "identified", _("the person is an identified victim")),
}


def register_predicate(name: str, predicate, description) -> None:
    """Let a profile require ``name``: ``predicate(case) -> bool``, ``description`` for the reader."""
    if name in PREDICATES and PREDICATES[name][0] is not predicate:
        raise ValueError(f"the condition {name!r} is already registered")
    PREDICATES[name] = (predicate, description)


def holds(condition, case) -> bool:
    """Whether a parsed condition (``profile_section.Condition``) holds for ``case``."""
    if condition.fact is not None:
        value = case.fact(condition.name) is not None
    else:
        value = bool(PREDICATES[condition.name][0](case))
    return value != condition.negated


def describe(condition) -> str:
    if condition.fact is not None:
        label = localized(condition.fact.name) or condition.name
    else:
        label = str(PREDICATES[condition.name][1])
    return str(_("not: %(condition)s") % {"condition": label}) if condition.negated else label
