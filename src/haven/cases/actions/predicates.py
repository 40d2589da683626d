"""Named conditions a profile's procedure may require (``requires: [name, "not name"]``).

A condition is either a fact the profile declares (``facts:``; it holds while the case has that
``CaseFact``) or one of the built-in predicates below, which read the case itself. Each predicate
takes the case (locked, current) and returns a bool; the justice fact comes from ``haven.justice``
(a conviction, or THB kept in the prosecutor's requisitions).
"""

from django.utils.translation import gettext_lazy as _

from haven.jurisdictions.models import localized


def justice_grounds(case) -> bool:
    from django.apps import apps

    if not apps.is_installed("haven.justice"):
        return False
    try:
        from haven.justice.services import grounds_for_unlimited_residence
    except ImportError:  # the justice chain is not installed: no conviction can be known
        return False
    return bool(grounds_for_unlimited_residence(case))


PREDICATES = {
    "minor": (lambda case: case.minor, _("the person may be a minor")),
    "unaccompanied": (lambda case: case.minor and case.unaccompanied, _("the person is an unaccompanied minor")),
    "justice_grounds": (justice_grounds,
                        _("a conviction, or trafficking kept in the prosecutor's requisitions")),
    "identified": (lambda case: case.trafficking_status == "identified", _("the person is an identified victim")),
}


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
