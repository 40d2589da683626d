"""The victim-status procedure engine. The procedure is data (profile section ``procedure``); this
module only reads it: no jurisdiction's name appears here.

    apply_transition(actor, case, action, *, on=None, organisation=None, expected_version=None, **params)

checks, in this order, that the action exists, that the profile allows it from the case's state,
that the actor's organisation may trigger it, that its conditions hold and that its parameters are
valid; then, in one transaction, moves the state, issues / extends / renews / ends documents,
records the step and the timeline line and refreshes the deadlines. A refusal changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from haven.jurisdictions.models import localized
from haven.organisations.roles import OrganisationKind

from . import deadlines
from .common import Refused, acting_organisation, add_duration, bump, log, today
from .predicates import describe, holds


def spec_for(jurisdiction) -> dict:
    from ..models import Procedure

    procedure = Procedure.objects.filter(jurisdiction=jurisdiction).first()
    if procedure is None:
        raise Refused(_("This jurisdiction's profile has no victim-status procedure."), "no_procedure")
    return procedure.spec


def name_states(cases) -> list:
    """Set ``state_name`` (in the reader's language) on each case; one procedure read per jurisdiction."""
    specs: dict = {}
    for case in cases:
        if case.jurisdiction_id not in specs:
            specs[case.jurisdiction_id] = spec_for(case.jurisdiction)
        case.state_name = name_of(specs[case.jurisdiction_id], "state", case.state)
    return cases


def name_of(spec: dict, kind: str, key: str) -> str:
    """The localised name of a state, document, action or parameter value of the procedure."""
    if kind == "action":
        for t in spec.get("transitions", []):
            if t["action"] == key and t.get("name"):
                return localized(t["name"])
        return key
    table = {"state": spec.get("states", {}), "document": spec.get("documents", {})}.get(kind)
    if table is None:
        table = spec.get("labels", {})
    entry = table.get(key) or {}
    return localized(entry.get("name") if isinstance(entry, dict) and "name" in entry else entry) or key


@dataclass
class Option:
    action: str
    name: str
    allowed: bool
    reason: str = ""
    params: dict | None = None


def _candidates(spec, action, state):
    return [t for t in spec["transitions"] if t["action"] == action and state in t["from"]]


def _failing_condition(t, case) -> str | None:
    for name in t.get("requires") or []:
        if not holds(name, case):
            return describe(name)
    any_of = t.get("requires_any") or []
    if any_of and not any(holds(name, case) for name in any_of):
        return _(" or ").join(describe(name) for name in any_of)
    return None


def _kind_names(kinds) -> str:
    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(k, k)) for k in kinds)


def check(actor, case, action, spec=None, organisation=None):
    """The transition that would apply, and the acting organisation; ``Refused`` otherwise."""
    spec = spec or spec_for(case.jurisdiction)
    all_named = [t for t in spec["transitions"] if t["action"] == action]
    if not all_named:
        raise Refused(_("The procedure has no action “%(action)s”.") % {"action": action}, "unknown_action")
    label = name_of(spec, "action", action)
    candidates = _candidates(spec, action, case.state)
    if not candidates:
        raise Refused(_("“%(action)s” is not possible while the case is in the state “%(state)s”.") % {
            "action": label, "state": name_of(spec, "state", case.state)}, "not_from_state")
    kinds = {k for t in candidates for k in t["by"]}
    acting = acting_organisation(actor, case, kinds=kinds, organisation=organisation)
    if acting is not None and all(t.get("owner_only") for t in candidates) and acting.pk != case.owner_id:
        raise Refused(_("Only the organisation that owns the case may do “%(action)s”.") % {"action": label},
                      "not_owner")
    if acting is None:
        raise Refused(_("Your organisation may not do “%(action)s”; it is for: %(kinds)s.") % {
            "action": label, "kinds": _kind_names(sorted(kinds))}, "not_entitled")
    failure = None
    for t in candidates:
        if acting.kind not in t["by"]:
            continue
        failure = _failing_condition(t, case)
        if failure is None:
            return t, acting
    raise Refused(_("“%(action)s” needs this condition: %(condition)s.") % {"action": label, "condition": failure},
                  "condition")


def options(actor, case) -> list[Option]:
    """Every action of the procedure that could follow the case's state, and whether ``actor`` may do it."""
    spec = spec_for(case.jurisdiction)
    result, seen = [], set()
    for t in spec["transitions"]:
        if t["action"] in seen or case.state not in t["from"]:
            continue
        seen.add(t["action"])
        try:
            check(actor, case, t["action"], spec)
            result.append(Option(t["action"], name_of(spec, "action", t["action"]), True, params=t.get("params")))
        except Refused as exc:
            result.append(Option(t["action"], name_of(spec, "action", t["action"]), False, exc.message,
                                 params=t.get("params")))
    return result


def _validate_params(spec, t, params) -> dict:
    declared = t.get("params") or {}
    unknown = set(params) - set(declared)
    if unknown:
        raise Refused(_("Unknown detail(s): %(names)s.") % {"names": ", ".join(sorted(unknown))}, "params")
    clean = {}
    for name, choices in declared.items():
        value = params.get(name)
        if value in (None, ""):
            raise Refused(_("Give the %(name)s.") % {"name": name_of(spec, "label", name)}, "params")
        if value not in choices:
            raise Refused(_("“%(value)s” is not a valid %(name)s.") % {
                "value": value, "name": name_of(spec, "label", name)}, "params")
        clean[name] = value
    return clean


def _active(case, kind=None):
    from ..models import ResidenceDocument

    queryset = ResidenceDocument.objects.filter(case=case, ended_on__isnull=True)
    return queryset.filter(kind=kind) if kind else queryset


def _documents(spec, t, case, on: datetime.date) -> dict:
    """Issue, extend or renew the transition's document; end the ones it replaces. Returns timeline data."""
    from ..models import ResidenceDocument

    docs = spec.get("documents", {})
    if t.get("issue"):
        kind = t["issue"]
        _active(case).update(ended_on=on)
        doc = ResidenceDocument.objects.create(case=case, kind=kind, valid_from=on,
                                               valid_until=add_duration(on, docs[kind].get("duration")))
        return {"document": kind, "valid_until": doc.valid_until.isoformat() if doc.valid_until else None}
    if t.get("extend"):
        kind = t["extend"]
        doc = _active(case, kind).order_by("-valid_from").first()
        if doc is None:
            raise Refused(_("There is no %(document)s to extend.") % {"document": name_of(spec, "document", kind)},
                          "no_document")
        limit = int(docs[kind].get("max_extensions", 0))
        if doc.extensions >= limit:
            raise Refused(_("The %(document)s may be extended %(count)s time(s) only.") % {
                "document": name_of(spec, "document", kind), "count": limit}, "limit")
        doc.valid_until = add_duration(doc.valid_until or on, docs[kind].get("extension"))
        doc.extensions += 1
        doc.save(update_fields=["valid_until", "extensions"])
        return {"document": kind, "valid_until": doc.valid_until.isoformat(), "extension": doc.extensions}
    if t.get("renew"):
        kind = t["renew"]
        old = _active(case, kind).order_by("-valid_from").first()
        if old is None:
            raise Refused(_("There is no %(document)s to renew.") % {"document": name_of(spec, "document", kind)},
                          "no_document")
        start = old.valid_until if old.valid_until and on <= old.valid_until else on
        old.ended_on = start
        old.save(update_fields=["ended_on"])
        doc = ResidenceDocument.objects.create(case=case, kind=kind, valid_from=start, renewal_of=old,
                                               valid_until=add_duration(start, docs[kind].get("renewal")
                                                                        or docs[kind].get("duration")))
        return {"document": kind, "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
                "renewal": True}
    return {}


def last_step_date(case):
    from ..models import ProcedureStep

    return ProcedureStep.objects.filter(case=case).order_by("-on").values_list("on", flat=True).first()


def apply_transition(actor, case, action: str, *, on: datetime.date | None = None, organisation=None,
                     expected_version: int | None = None, **params):
    """Apply ``action`` to ``case`` as ``actor``; returns the ``ProcedureStep``. See the module's text."""
    from ..models import Case, ProcedureStep, StaleEdit

    on = on or today()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit()
        spec = spec_for(locked.jurisdiction)
        t, acting = check(actor, locked, action, spec, organisation)
        clean = _validate_params(spec, t, params)
        previous = last_step_date(locked)
        if previous and on < previous:
            raise Refused(_("This step cannot be dated before the previous one (%(date)s).") % {
                "date": previous.isoformat()}, "date")
        if on > today():
            raise Refused(_("A step cannot be dated in the future."), "date")
        from_state = locked.state
        to_state = t.get("to") or from_state
        fields = ["state"]
        timeline = _documents(spec, t, locked, on)
        if t.get("sets"):
            setattr(locked, t["sets"], on)
            fields.append(t["sets"])
        if "magistrate_confirmed" in (t.get("requires") or []) and t.get("sets") != "magistrate_confirmed_on":
            locked.magistrate_confirmed_on = None  # one confirmation admits one new document
            fields.append("magistrate_confirmed_on")
        locked.state = to_state
        if spec["states"][to_state].get("closes"):
            from ..models import ResidenceDocument

            ResidenceDocument.objects.filter(case=locked, ended_on__isnull=True).update(ended_on=on)
            from django.utils import timezone

            locked.closed_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
            locked.close_reason = clean.get("reason", to_state)
            locked.state_before_close = from_state
            fields += ["closed_at", "close_reason", "state_before_close"]
        bump(locked, fields)
        step = ProcedureStep.objects.create(case=locked, action=action, from_state=from_state, to_state=to_state,
                                            on=on, actor=actor, organisation=acting, params=clean)
        log(locked, "transition", on=on, actor=actor, organisation=acting, part="summary", action=action,
            from_state=from_state, to_state=to_state, **clean)
        if timeline:
            log(locked, "document", on=on, actor=actor, organisation=acting, part="documents", **timeline)
        deadlines.refresh(locked, spec, on)
    case.refresh_from_db()
    return step
