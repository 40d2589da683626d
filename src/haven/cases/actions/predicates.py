"""Named conditions a profile's procedure may require (``requires: [name, "not name"]``).

Each takes the case (locked, current) and returns a bool. The facts come from the case; the justice
fact comes from ``haven.justice`` (a conviction, or THB kept in the prosecutor's requisitions).
"""

from django.utils.translation import gettext_lazy as _


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
    "complaint_filed": (lambda case: case.complaint_filed_on is not None,
                        _("the person filed a complaint or made statements")),
    "magistrate_confirmed": (lambda case: case.magistrate_confirmed_on is not None,
                             _("the magistrate confirmed the case since the last document")),
    "justice_grounds": (justice_grounds,
                        _("a conviction, or trafficking kept in the prosecutor's requisitions")),
    "identified": (lambda case: case.trafficking_status == "identified", _("the person is an identified victim")),
}


def holds(name: str, case) -> bool:
    negate = name.startswith("not ")
    func, _label = PREDICATES[name.removeprefix("not ")]
    return bool(func(case)) != negate


def describe(name: str) -> str:
    negate = name.startswith("not ")
    label = str(PREDICATES[name.removeprefix("not ")][1])
    return str(_("not: %(condition)s") % {"condition": label}) if negate else label
