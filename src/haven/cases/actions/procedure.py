"""The victim-status procedure engine. The procedure is data (profile section ``procedure``); this
module only reads it: no jurisdiction's name appears here.

    apply_transition(actor, case, action, *, on=None, organisation=None, expected_version=None, **params)

checks, in this order, that the action exists, that the profile allows it from the case's state,
that it is not a step applied only in answer to a request (``requested: true``; the requests of
``haven.residence`` pass ``answering=``), that the actor's organisation may trigger it, that its
conditions hold and that its parameters are valid; then, in one transaction, moves the state,
issues / extends / renews / ends documents, sets and clears the case's facts, sets the trafficking
status the step names, records the step and the timeline line and refreshes the deadlines. A
refusal changes nothing.

The procedure is parsed once per process and profile (``spec_for``): the cache key holds the
jurisdiction, its ``profile_digest`` and the loader's ``generation()``, so loading a profile again,
here or in another process, is seen without reading the stored procedure on every call.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.errors import Invalid
from haven.jurisdictions import profile
from haven.organisations.roles import OrganisationKind

from ..models import Case, CaseFact, Procedure, ProcedureStep, ResidenceDocument, StaleEdit
from . import deadlines
from .common import Refused, TimelineEvent, acting_organisation, bump, log, today
from .predicates import describe, holds
from .profile_section import ProcedureSpec, Transition, parse

_SPECS: dict[tuple, ProcedureSpec] = {}


def spec_for(jurisdiction) -> ProcedureSpec:
    """The jurisdiction's procedure, parsed; read from the database once per process and profile."""
    key = (jurisdiction.pk, jurisdiction.profile_digest, profile.generation())
    spec = _SPECS.get(key)
    if spec is None:
        stored = Procedure.objects.filter(jurisdiction_id=jurisdiction.pk).values_list("spec", flat=True).first()
        if stored is None:
            raise Refused(_("This jurisdiction's profile has no victim-status procedure."), "no_procedure")
        if any(k[2] != key[2] for k in _SPECS):
            _SPECS.clear()  # a profile was loaded since: what was parsed before may be stale
        spec = _SPECS[key] = parse(stored)
    return spec


def name_states(cases) -> list:
    """Set ``state_name`` (in the reader's language) on each case; one procedure read per jurisdiction."""
    specs: dict = {}
    for case in cases:
        if case.jurisdiction_id not in specs:
            specs[case.jurisdiction_id] = spec_for(case.jurisdiction)
        case.state_name = name_of(specs[case.jurisdiction_id], "state", case.state)
    return cases


def name_of(spec: ProcedureSpec, kind: str, key: str) -> str:
    """The localised name of a state, fact, document, action or parameter value of the procedure."""
    return spec.name_of(kind, key)


@dataclass(frozen=True)
class Issued:
    """What the issuing office writes on the document a step issues, extends or renews: its number, the
    commune that hands it over, and the dates printed on it (None: the profile's duration from the step)."""
    number: str = ""
    commune: str = ""
    issued_by: object = None  # organisations.Organisation
    valid_from: datetime.date | None = None
    valid_until: datetime.date | None = None


@dataclass
class Option:
    action: str
    name: str
    allowed: bool
    reason: str = ""
    params: dict | None = None


def _candidates(spec: ProcedureSpec, action, state) -> list[Transition]:
    return [t for t in spec.named(action) if state in t.sources]


def _failing_condition(t: Transition, case) -> str | None:
    for condition in t.requires:
        if not holds(condition, case):
            return describe(condition)
    if t.requires_any and not any(holds(condition, case) for condition in t.requires_any):
        return _(" or ").join(describe(condition) for condition in t.requires_any)
    return None


def _kind_names(kinds) -> str:
    labels = dict(OrganisationKind.choices)
    return ", ".join(str(labels.get(k, k)) for k in kinds)


def _possible_from_state(spec: ProcedureSpec, case, action) -> list[Transition]:
    if not spec.named(action):
        raise Refused(_("The procedure has no action “%(action)s”.") % {"action": action}, "unknown_action")
    candidates = _candidates(spec, action, case.state)
    if not candidates:
        raise Refused(_("“%(action)s” is not possible while the case is in the state “%(state)s”.") % {
            "action": name_of(spec, "action", action), "state": name_of(spec, "state", case.state)}, "not_from_state")
    return candidates


def check(actor, case, action, spec=None, organisation=None, answering=None):
    """The transition that would apply, and the acting organisation; ``Refused`` otherwise.

    ``answering``: the request (``haven.residence``) a ``requested: true`` step answers; without it
    such a step is refused, whoever asks."""
    spec = spec or spec_for(case.jurisdiction)
    candidates = _possible_from_state(spec, case, action)
    label = name_of(spec, "action", action)
    if spec.requested(action) and (answering is None or getattr(answering, "case_id", None) != case.pk):
        raise Refused(_("“%(action)s” is done only in answer to a request: see the case's requests.") % {
            "action": label}, "requested_only")
    kinds = {k for t in candidates for k in t.by}
    acting = acting_organisation(actor, case, kinds=kinds, organisation=organisation)
    if acting is not None and all(t.owner_only for t in candidates) and acting.pk != case.owner_id:
        raise Refused(_("Only the organisation that owns the case may do “%(action)s”.") % {"action": label},
                      "not_owner")
    if acting is None:
        raise Refused(_("Your organisation may not do “%(action)s”; it is for: %(kinds)s.") % {
            "action": label, "kinds": _kind_names(sorted(kinds))}, "not_entitled")
    failure = None
    for t in candidates:
        if acting.kind not in t.by:
            continue
        failure = _failing_condition(t, case)
        if failure is None:
            return t, acting
    raise Refused(_("“%(action)s” needs this condition: %(condition)s.") % {"action": label, "condition": failure},
                  "condition")


def request_possible(case, action: str, *, assume=frozenset(), spec=None) -> Transition:
    """The transition a request for ``action`` would lead to, if the case's state and conditions allow it now,
    the facts in ``assume`` (those the request's confirmation will set) taken as given; ``Refused`` naming
    the state or the condition otherwise. Who may apply it is the request's business, not checked here."""
    spec = spec or spec_for(case.jurisdiction)
    candidates = _possible_from_state(spec, case, action)
    failure = None
    for t in candidates:
        pending = [c for c in t.requires if not (c.fact is not None and not c.negated and c.name in assume)]
        trimmed = Transition(action=t.action, name=t.name, sources=t.sources, to=t.to, by=t.by,
                             requires=tuple(pending), requires_any=t.requires_any)
        failure = _failing_condition(trimmed, case)
        if failure is None:
            _document_possible(spec, t, case)
            return t
    raise Refused(_("“%(action)s” needs this condition: %(condition)s.") % {
        "action": name_of(spec, "action", action), "condition": failure}, "condition")


def options(actor, case) -> list[Option]:
    """Every action of the procedure that could follow the case's state, and whether ``actor`` may do it.
    Steps applied only in answer to a request are not options: they are requested (``haven.residence``)."""
    spec = spec_for(case.jurisdiction)
    result, seen = [], set()
    for t in spec.transitions:
        if t.action in seen or case.state not in t.sources or t.requested:
            continue
        seen.add(t.action)
        params = {name: list(choices) for name, choices in t.params.items()} or None
        try:
            check(actor, case, t.action, spec)
            result.append(Option(t.action, spec.name_of("action", t.action), True, params=params))
        except Refused as exc:
            result.append(Option(t.action, spec.name_of("action", t.action), False, exc.message, params=params))
    return result


def _validate_params(spec: ProcedureSpec, t: Transition, params) -> dict:
    declared = t.params
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
    queryset = ResidenceDocument.objects.filter(case=case, ended_on__isnull=True)
    return queryset.filter(kind=kind) if kind else queryset


def _written(doc, issued: Issued | None) -> None:
    """Write what the issuing office gives on ``doc`` (not saved); a document cannot end before it starts."""
    if issued is None:
        return
    if issued.valid_from is not None:
        doc.valid_from = issued.valid_from
    if issued.valid_until is not None:
        doc.valid_until = issued.valid_until
    if doc.valid_until is not None and doc.valid_until < doc.valid_from:
        raise Invalid(field_errors={"valid_until": [_("A document cannot end before it starts (%(date)s).") % {
            "date": doc.valid_from.isoformat()}]}, code="ends_before_start")
    doc.number = issued.number or doc.number
    doc.commune = issued.commune or doc.commune
    doc.issued_by = issued.issued_by or doc.issued_by


def _document_possible(spec: ProcedureSpec, t: Transition, case) -> None:
    """Refuse, before anyone is asked, a step whose document cannot be extended or renewed."""
    if t.document is None or t.document.op == "issue":
        return
    kind = t.document.document
    doc = _active(case, kind).order_by("-valid_from").first()
    name = name_of(spec, "document", kind)
    if doc is None:
        raise Refused(_("There is no %(document)s to extend or renew.") % {"document": name}, "no_document")
    limit = spec.documents[kind].max_extensions
    if t.document.op == "extend" and doc.extensions >= limit:
        raise Refused(_("The %(document)s may be extended %(count)s time(s) only.") % {
            "document": name, "count": limit}, "limit")


def _documents(spec: ProcedureSpec, t: Transition, case, on: datetime.date,
               issued: Issued | None = None) -> tuple[dict, ResidenceDocument | None]:
    """Issue, extend or renew the transition's document; end the ones it replaces. Returns timeline data
    and the document."""
    if t.document is None:
        return {}, None
    kind, op = t.document.document, t.document.op
    declared = spec.documents[kind]
    if op == "issue":
        start = issued.valid_from if issued and issued.valid_from else on
        doc = ResidenceDocument(case=case, kind=kind, valid_from=start, valid_until=declared.valid_until(start))
        _written(doc, issued)
        _active(case).update(ended_on=on)
        doc.save()
        return {"document": kind, "valid_until": doc.valid_until.isoformat() if doc.valid_until else None}, doc
    if op == "extend":
        doc = _active(case, kind).order_by("-valid_from").first()
        if doc is None:
            raise Refused(_("There is no %(document)s to extend.") % {"document": name_of(spec, "document", kind)},
                          "no_document")
        limit = declared.max_extensions
        if doc.extensions >= limit:
            raise Refused(_("The %(document)s may be extended %(count)s time(s) only.") % {
                "document": name_of(spec, "document", kind), "count": limit}, "limit")
        doc.valid_until = declared.extension.after(doc.valid_until or on)
        doc.extensions += 1
        # an extension keeps the document's start: only its new end (and number) is written on it
        _written(doc, issued and Issued(number=issued.number, commune=issued.commune, issued_by=issued.issued_by,
                                        valid_until=issued.valid_until))
        doc.save(update_fields=["valid_until", "extensions", "number", "commune", "issued_by"])
        return {"document": kind, "valid_until": doc.valid_until.isoformat(), "extension": doc.extensions}, doc
    if op == "renew":
        old = _active(case, kind).order_by("-valid_from").first()
        if old is None:
            raise Refused(_("There is no %(document)s to renew.") % {"document": name_of(spec, "document", kind)},
                          "no_document")
        start = old.valid_until if old.valid_until and on <= old.valid_until else on
        start = issued.valid_from if issued and issued.valid_from else start
        doc = ResidenceDocument(case=case, kind=kind, valid_from=start, renewal_of=old,
                                valid_until=declared.renewed_until(start))
        _written(doc, issued)
        old.ended_on = start
        old.save(update_fields=["ended_on"])
        doc.save()
        return {"document": kind, "valid_until": doc.valid_until.isoformat() if doc.valid_until else None,
                "renewal": True}, doc
    return {}, None


def _record_facts(t: Transition, case, on: datetime.date, organisation) -> None:
    """Set the facts the transition ``sets`` (dated ``on``) and remove the ones it ``clears``."""
    if t.clears:
        for fact in CaseFact.objects.filter(case=case, name__in=t.clears):
            fact.delete()  # one by one, so that the history keeps each cleared fact
    for name in t.sets:
        CaseFact.objects.update_or_create(case=case, name=name, defaults={"on": on, "organisation": organisation})
    if t.sets or t.clears:
        case.forget_facts()


def last_step_date(case):
    return ProcedureStep.objects.filter(case=case).order_by("-on").values_list("on", flat=True).first()


def _set_status(t: Transition, case, on: datetime.date, organisation) -> list[str]:
    """The trafficking status the step names; a step never lowers an identified victim to presumed."""
    if t.status is None or case.trafficking_status == t.status or (
            t.status == "presumed" and case.trafficking_status == "identified"):
        return []
    case.trafficking_status, case.status_decided_by, case.status_decided_on = t.status, organisation, on
    return ["trafficking_status", "status_decided_by", "status_decided_on"]


def apply_transition(actor, case, action: str, *, on: datetime.date | None = None, organisation=None,
                     expected_version: int | None = None, answering=None, issued: Issued | None = None,
                     **params):
    """Apply ``action`` to ``case`` as ``actor``; returns the ``ProcedureStep``. See the module's text.

    ``answering``: the request the step answers (only ``haven.residence`` passes it); ``issued``: what the
    issuing office writes on the step's document (``Invalid`` when it would end before it starts). The
    document the step issued, extended or renewed is ``step.document`` (not stored)."""
    on = on or today()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if expected_version is not None and locked.version != expected_version:
            raise StaleEdit()
        spec = spec_for(locked.jurisdiction)
        t, acting = check(actor, locked, action, spec, organisation, answering=answering)
        clean = _validate_params(spec, t, params)
        previous = last_step_date(locked)
        if previous and on < previous:
            raise Refused(_("This step cannot be dated before the previous one (%(date)s).") % {
                "date": previous.isoformat()}, "date")
        if on > today():
            raise Refused(_("A step cannot be dated in the future."), "date")
        from_state = locked.state
        to_state = t.to or from_state
        fields = ["state"]
        timeline, document = _documents(spec, t, locked, on, issued)
        _record_facts(t, locked, on, acting)
        status_fields = _set_status(t, locked, on, acting)
        fields += status_fields
        locked.state = to_state
        if spec.states[to_state].closes:
            ResidenceDocument.objects.filter(case=locked, ended_on__isnull=True).update(ended_on=on)

            locked.closed_at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(12)))
            locked.close_reason = clean.get("reason", to_state)
            locked.state_before_close = from_state
            fields += ["closed_at", "close_reason", "state_before_close"]
        bump(locked, fields)
        step = ProcedureStep.objects.create(case=locked, action=action, from_state=from_state, to_state=to_state,
                                            on=on, actor=actor, organisation=acting, params=clean)
        log(locked, TimelineEvent.TRANSITION, on=on, actor=actor, organisation=acting, part="summary", action=action,
            from_state=from_state, to_state=to_state, **clean)
        if timeline:
            log(locked, TimelineEvent.DOCUMENT, on=on, actor=actor, organisation=acting, part="documents", **timeline)
        if status_fields:
            log(locked, TimelineEvent.STATUS, on=on, actor=actor, organisation=acting, part="summary",
                status=t.status)
        deadlines.refresh(locked, spec, on)
    case.refresh_from_db()
    step.document = document
    return step
