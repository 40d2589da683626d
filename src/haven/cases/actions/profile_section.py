"""The profile section ``procedure``: the victim-status procedure as data (states, facts, documents,
transitions), parsed once into frozen records that the engine reads by attribute.

The parser checks that every name refers to something that exists (states, facts, documents,
conditions, organisation kinds, parts) so that a bad profile is refused, naming the record, before
it can strand a case. The facts a procedure records (``sets`` / ``clears``) are declared by the
profile itself (``facts:``), so a new fact needs no change here.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from dateutil.relativedelta import relativedelta

from haven.access.parts import PARTS
from haven.core.codes import split_codes
from haven.jurisdictions.models import MagistrateRoute, localized
from haven.jurisdictions.profile import ProfileError, names, refuse_unknown_keys, require, section, texts, upsert
from haven.organisations.roles import OrganisationKind

from ..models import ExploitationForm, Procedure
from .predicates import PREDICATES

DOCUMENT_OPS = ("issue", "extend", "renew")
TRAFFICKING_STATUSES = ("presumed", "identified")
PROCEDURE_KEYS = ("initial", "intake_action", "referral_answer_days", "consent_override_when", "referrer_keeps",
                  "status_deciders", "identified_when", "states", "facts", "documents", "deadlines", "labels",
                  "transitions", "requests", "request_shares")
TRANSITION_KEYS = ("action", "name", "from", "to", "by", "requires", "requires_any", "sets", "clears", *DOCUMENT_OPS,
                   "params", "owner_only", "requested", "status")
DOCUMENT_KEYS = ("name", "duration", "extension", "max_extensions", "renewal", "deadline")
# The stages at which an organisation holds a request (``haven.residence``): the guardian co-signs, the
# magistrate confirms, the deciding office decides. A request kind names the ones it needs.
REQUEST_STAGES = ("cosign", "confirm", "decide")
REQUEST_KEYS = ("name", "action", "by", "cosign", "confirm", "decide_by", "answer_days")


@dataclass(frozen=True, slots=True)
class Duration:
    months: int = 0
    days: int = 0

    def after(self, day: datetime.date) -> datetime.date:
        """``months`` calendar months and ``days`` days later (31 January + 1 month = 28/29 February)."""
        return day + relativedelta(months=self.months, days=self.days)


@dataclass(frozen=True, slots=True)
class State:
    key: str
    name: Mapping[str, str]
    closes: bool = False


@dataclass(frozen=True, slots=True)
class Fact:
    """A dated fact of a case (``CaseFact``) that transitions set and clear and conditions test."""
    key: str
    name: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Document:
    key: str
    name: Mapping[str, str]
    duration: Duration | None = None
    extension: Duration | None = None
    max_extensions: int = 0
    renewal: Duration | None = None
    deadline: str | None = None  # the kind of the deadline its end makes (a key of ``deadlines``)

    def valid_until(self, start: datetime.date) -> datetime.date | None:
        return self.duration.after(start) if self.duration else None

    def renewed_until(self, start: datetime.date) -> datetime.date | None:
        period = self.renewal or self.duration
        return period.after(start) if period else None


@dataclass(frozen=True, slots=True)
class Condition:
    """``name`` or ``not name``: a declared fact of the case, or a predicate of ``predicates.PREDICATES``."""
    name: str
    negated: bool = False
    fact: Fact | None = None

    def __str__(self) -> str:
        return f"not {self.name}" if self.negated else self.name


@dataclass(frozen=True, slots=True)
class DocumentOp:
    op: str  # issue, extend or renew
    document: str


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    name: Mapping[str, str]
    sources: frozenset[str]  # the profile's ``from``
    to: str | None
    by: frozenset[str]
    requires: tuple[Condition, ...] = ()
    requires_any: tuple[Condition, ...] = ()
    sets: tuple[str, ...] = ()
    clears: tuple[str, ...] = ()
    document: DocumentOp | None = None
    params: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    owner_only: bool = False
    requested: bool = False  # applied only in answer to a request (``haven.residence``), never directly
    status: str | None = None  # the trafficking status the step sets (presumed / identified)


@dataclass(frozen=True, slots=True)
class RequestKind:
    """A request one organisation makes to others (``procedure.requests``): who may make it (``by``),
    when a guardian co-signs it and who (``cosign_when`` / ``cosign_by``), the action the magistrate's
    confirmation applies (``confirm``; None: no confirmation), who decides it (``decide_by``), the
    procedure action the decision applies (``action``) and how many days each stage may wait."""
    key: str
    name: Mapping[str, str]
    action: str
    by: frozenset[str]
    decide_by: frozenset[str]
    answer_days: Mapping[str, int]
    confirm: str | None = None
    cosign_when: tuple[Condition, ...] = ()
    cosign_by: frozenset[str] = frozenset()

    @property
    def cosigned(self) -> bool:
        return bool(self.cosign_by)


@dataclass(frozen=True, slots=True)
class RequestShare:
    """The parts of a case the holder of a request's stage sees while it holds it (``open``) and once it
    answered (``after``; empty: the share ends)."""
    open: frozenset[str]
    after: frozenset[str]


@dataclass(frozen=True, slots=True)
class ProcedureSpec:
    initial: str
    intake_action: str | None
    referral_answer_days: int
    consent_override_when: tuple[Condition, ...]
    referrer_keeps: frozenset[str]
    status_deciders: Mapping[str, frozenset[str]]
    states: Mapping[str, State]
    facts: Mapping[str, Fact]
    documents: Mapping[str, Document]
    deadlines: Mapping[str, Mapping[str, str]]
    labels: Mapping[str, Mapping[str, str]]
    transitions: tuple[Transition, ...]
    requests: Mapping[str, RequestKind] = field(default_factory=lambda: MappingProxyType({}))
    request_shares: Mapping[str, RequestShare] = field(default_factory=lambda: MappingProxyType({}))
    identified_when: tuple[Condition, ...] = ()

    def named(self, action: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.action == action)

    def requested(self, action: str) -> bool:
        """Whether ``action`` is applied only in answer to a request."""
        return any(t.requested for t in self.named(action))

    def name_of(self, kind: str, key: str) -> str:
        """The localised name of a state, fact, document, action, request or label (a parameter and its values)."""
        if kind == "action":
            return next((localized(t.name) for t in self.named(key) if t.name), key)
        entry = {"state": self.states, "fact": self.facts, "document": self.documents,
                 "request": self.requests}.get(kind)
        if entry is not None:
            found = entry.get(key)
            return (localized(found.name) if found is not None else "") or key
        return localized(self.labels.get(key)) or key


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


def _mapping(record: str, data: dict, key: str) -> dict:
    value = data.get(key)
    if value in (None, {}):
        return {}
    if not isinstance(value, dict):
        raise ProfileError(record, f"field {key!r} must be a mapping")
    return value


def _kinds(record, kinds) -> frozenset[str]:
    if not isinstance(kinds, list) or not kinds:
        raise ProfileError(record, "'by' must list organisation kinds")
    unknown = set(kinds) - set(OrganisationKind.values)
    if unknown:
        raise ProfileError(record, f"unknown organisation kind(s): {', '.join(sorted(unknown))}")
    return frozenset(kinds)


def _duration(record: str, value) -> Duration | None:
    if value in (None, {}):
        return None
    if not isinstance(value, dict) or set(value) - {"months", "days"}:
        raise ProfileError(record, "a duration is {months: n} and/or {days: n}")
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value.values()):
        raise ProfileError(record, "a duration counts whole months or days")
    return Duration(months=value.get("months", 0), days=value.get("days", 0))


def _conditions(record: str, data: dict, key: str, facts: Mapping[str, Fact]) -> tuple[Condition, ...]:
    result = []
    for text in names(record, data, key):
        negated = text.startswith("not ")
        name = text.removeprefix("not ").strip()
        if name in facts:
            result.append(Condition(name, negated, facts[name]))
        elif name in PREDICATES:
            result.append(Condition(name, negated))
        else:
            known = ", ".join(sorted({*PREDICATES, *facts}))
            raise ProfileError(record, f"unknown condition {text!r} (known: {known})")
    return tuple(result)


def _facts_named(record: str, data: dict, key: str, facts: Mapping[str, Fact]) -> tuple[str, ...]:
    found = names(record, data, key)
    for name in found:
        if name not in facts:
            known = ", ".join(sorted(facts)) or "none declared"
            raise ProfileError(record, f"unknown fact {name!r} in {key!r} (known: {known})")
    return found


def _states(record: str, spec: dict) -> dict[str, State]:
    states = {}
    for key, data in require(record, spec, "states", dict).items():
        where = f"procedure state {key!r}"
        data = data or {}
        if not isinstance(data, dict):
            raise ProfileError(where, "must be a mapping of fields")
        refuse_unknown_keys(where, data, {"name", "closes"})
        states[key] = State(key, texts(where, data, "name", required=False), bool(data.get("closes", False)))
    return states


def _facts(record: str, spec: dict) -> dict[str, Fact]:
    facts = {}
    for key, data in _mapping(record, spec, "facts").items():
        where = f"procedure fact {key!r}"
        if key in PREDICATES:
            raise ProfileError(where, "is the name of a built-in condition; choose another name")
        if not isinstance(data, dict):
            raise ProfileError(where, "must be a mapping of fields")
        refuse_unknown_keys(where, data, {"name"})
        facts[key] = Fact(key, texts(where, data, "name"))
    return facts


def _documents(record: str, spec: dict, deadlines: Mapping) -> dict[str, Document]:
    documents = {}
    for key, data in _mapping(record, spec, "documents").items():
        where = f"procedure document {key!r}"
        if not isinstance(data, dict) or "name" not in data:
            raise ProfileError(where, "needs a name")
        refuse_unknown_keys(where, data, DOCUMENT_KEYS)
        deadline = data.get("deadline")
        if deadline is not None and deadline not in deadlines:
            raise ProfileError(where, f"unknown deadline {deadline!r} (declare it under 'deadlines')")
        max_extensions = data.get("max_extensions", 0)
        if not isinstance(max_extensions, int) or isinstance(max_extensions, bool) or max_extensions < 0:
            raise ProfileError(where, "max_extensions must be a whole number")
        documents[key] = Document(
            key=key, name=texts(where, data, "name"), duration=_duration(where, data.get("duration")),
            extension=_duration(where, data.get("extension")), max_extensions=max_extensions,
            renewal=_duration(where, data.get("renewal")), deadline=deadline)
    return documents


def _transition(position: int, data: dict, states, facts, documents) -> Transition:
    action = require(f"procedure transitions[{position}]", data, "action")
    where = f"procedure transition {action!r}"
    refuse_unknown_keys(where, data, TRANSITION_KEYS)
    sources = require(where, data, "from", list)
    for state in sources:
        if state not in states:
            raise ProfileError(where, f"unknown state {state!r}")
    to = data.get("to")
    if to is not None and to not in states:
        raise ProfileError(where, f"unknown state {to!r}")
    ops = [op for op in DOCUMENT_OPS if data.get(op) is not None]
    if len(ops) > 1:
        raise ProfileError(where, f"one document operation per transition, not {' and '.join(ops)}")
    document = None
    if ops:
        document = DocumentOp(ops[0], data[ops[0]])
        found = documents.get(document.document)
        if found is None:
            raise ProfileError(where, f"unknown document {document.document!r}")
        if document.op == "extend" and found.extension is None:
            raise ProfileError(where, f"document {document.document!r} declares no extension")
    params = {}
    for param, choices in _mapping(where, data, "params").items():
        if not isinstance(choices, list) or not choices:
            raise ProfileError(where, f"parameter {param!r} must list its choices")
        params[param] = tuple(str(choice) for choice in choices)
    sets = _facts_named(where, data, "sets", facts)
    clears = _facts_named(where, data, "clears", facts)
    both = sorted(set(sets) & set(clears))
    if both:
        raise ProfileError(where, f"sets and clears the same fact: {', '.join(both)}")
    status = data.get("status")
    if status is not None and status not in TRAFFICKING_STATUSES:
        raise ProfileError(where, f"unknown trafficking status {status!r} (known: {', '.join(TRAFFICKING_STATUSES)})")
    requested = data.get("requested", False)
    if not isinstance(requested, bool):
        raise ProfileError(where, "'requested' is true or false")
    return Transition(
        action=action, name=texts(where, data, "name", required=False), sources=frozenset(sources), to=to,
        by=_kinds(where, data.get("by")), requires=_conditions(where, data, "requires", facts),
        requires_any=_conditions(where, data, "requires_any", facts), sets=sets, clears=clears,
        document=document, params=_frozen(params), owner_only=bool(data.get("owner_only", False)),
        requested=requested, status=status)


def _days(record: str, value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ProfileError(record, "answer_days counts whole days (at least one) per stage")
    return value


def _request(key: str, data, transitions: tuple[Transition, ...], facts) -> RequestKind:
    where = f"procedure request {key!r}"
    if not isinstance(data, dict):
        raise ProfileError(where, "must be a mapping of fields")
    refuse_unknown_keys(where, data, REQUEST_KEYS)
    by_action = {}
    for t in transitions:
        by_action.setdefault(t.action, []).append(t)
    action = require(where, data, "action")
    if action not in by_action:
        raise ProfileError(where, f"unknown action {action!r}")
    if not all(t.requested for t in by_action[action]):
        raise ProfileError(where, f"action {action!r} must be marked 'requested: true'")
    confirm = data.get("confirm") or None
    if confirm is not None and confirm not in by_action:
        raise ProfileError(where, f"unknown confirmation action {confirm!r}")
    cosign = _mapping(where, data, "cosign")
    refuse_unknown_keys(f"{where} cosign", cosign, {"when", "by"})
    cosign_by = _kinds(f"{where} cosign", cosign.get("by")) if cosign else frozenset()
    stages = {"decide", *(["confirm"] if confirm else []), *(["cosign"] if cosign else [])}
    days = _mapping(where, data, "answer_days")
    unknown = sorted(set(days) - set(REQUEST_STAGES))
    if unknown:
        raise ProfileError(where, f"unknown stage(s) in answer_days: {', '.join(unknown)}")
    missing = sorted(stages - set(days))
    if missing:
        raise ProfileError(where, f"answer_days needs the stage(s): {', '.join(missing)}")
    return RequestKind(
        key=key, name=texts(where, data, "name"), action=action, by=_kinds(where, data.get("by")),
        decide_by=_kinds(f"{where} decide_by", data.get("decide_by")),
        answer_days=_frozen({stage: _days(where, days[stage]) for stage in sorted(stages)}), confirm=confirm,
        cosign_when=_conditions(f"{where} cosign", cosign, "when", facts), cosign_by=cosign_by)


def _request_shares(record: str, spec: dict) -> dict[str, RequestShare]:
    shares = {}
    for stage, data in _mapping(record, spec, "request_shares").items():
        where = f"procedure request_shares {stage!r}"
        if stage not in REQUEST_STAGES:
            raise ProfileError(where, f"unknown stage (known: {', '.join(REQUEST_STAGES)})")
        if not isinstance(data, dict):
            raise ProfileError(where, "must be a mapping of fields")
        refuse_unknown_keys(where, data, {"open", "after"})
        parts = {}
        for key in ("open", "after"):
            named = set(names(where, data, key))
            unknown = sorted(named - set(PARTS))
            if unknown:
                raise ProfileError(where, f"unknown part(s) in {key!r}: {', '.join(unknown)}")
            if "shelter" in named:
                raise ProfileError(where, "the shelter part never travels through a share")
            parts[key] = frozenset(named)
        if not parts["open"]:
            raise ProfileError(where, "'open' must list the parts the holder sees")
        shares[stage] = RequestShare(open=parts["open"], after=parts["after"])
    return shares


def parse(spec: dict) -> ProcedureSpec:
    """The typed procedure; ``ProfileError`` naming the record at fault otherwise."""
    record = "procedure"
    if not isinstance(spec, dict):
        raise ProfileError(record, "must be a mapping")
    refuse_unknown_keys(record, spec, PROCEDURE_KEYS)
    states = _states(record, spec)
    initial = require(record, spec, "initial")
    if initial not in states:
        raise ProfileError(record, f"initial state {initial!r} is not a state")
    facts = _facts(record, spec)
    deadlines = {key: texts(f"procedure deadline {key!r}", _mapping(record, spec, "deadlines"), key)
                 for key in _mapping(record, spec, "deadlines")}
    labels = {key: texts(f"procedure label {key!r}", _mapping(record, spec, "labels"), key)
              for key in _mapping(record, spec, "labels")}
    documents = _documents(record, spec, deadlines)
    transitions = tuple(_transition(position, data, states, facts, documents)
                        for position, data in enumerate(require(record, spec, "transitions", list)))
    actions = {t.action for t in transitions}
    intake_action = spec.get("intake_action") or None
    if intake_action and intake_action not in actions:
        raise ProfileError(record, f"intake_action {intake_action!r} is not a transition")
    if "close" not in actions:
        raise ProfileError(record, "a procedure needs a 'close' transition")
    keeps = names(record, spec, "referrer_keeps")
    unknown_parts = set(keeps) - set(PARTS)
    if unknown_parts:
        raise ProfileError(record, f"unknown part(s) in referrer_keeps: {', '.join(sorted(unknown_parts))}")
    deciders = {}
    for status, kinds in _mapping(record, spec, "status_deciders").items():
        if status not in TRAFFICKING_STATUSES:
            raise ProfileError(record, f"unknown trafficking status {status!r}")
        deciders[status] = _kinds(f"procedure status_deciders {status}", kinds)
    answer_days = spec.get("referral_answer_days", 5)
    if not isinstance(answer_days, int) or isinstance(answer_days, bool) or answer_days < 1:
        raise ProfileError(record, "referral_answer_days must be a whole number of days")
    requests = {key: _request(key, data, transitions, facts)
                for key, data in _mapping(record, spec, "requests").items()}
    reached = {r.action for r in requests.values()} | {r.confirm for r in requests.values()}
    for t in transitions:
        if t.requested and t.action not in reached:
            raise ProfileError(f"procedure transition {t.action!r}",
                               "is applied only through a request, but no request leads to it")
    return ProcedureSpec(
        initial=initial, intake_action=intake_action, referral_answer_days=answer_days,
        consent_override_when=_conditions(record, spec, "consent_override_when", facts),
        referrer_keeps=frozenset(keeps or ("summary",)), status_deciders=_frozen(deciders), states=_frozen(states),
        facts=_frozen(facts), documents=_frozen(documents), deadlines=_frozen(deadlines), labels=_frozen(labels),
        transitions=transitions, requests=_frozen(requests), request_shares=_frozen(_request_shares(record, spec)),
        identified_when=_conditions(record, spec, "identified_when", facts))


def check_magistrate_forms(jurisdiction) -> None:
    """The forms of exploitation the ``magistrates`` section routes on must be the case chain's codes: a
    misspelt one would never route a case to the labour auditor."""
    for district, forms in MagistrateRoute.objects.filter(jurisdiction=jurisdiction).values_list(
            "district__code", "forms"):
        unknown = sorted(set(split_codes(forms)) - set(ExploitationForm.values))
        if unknown:
            raise ProfileError(f"magistrates (district {district!r})",
                               f"unknown form(s) of exploitation: {', '.join(unknown)} "
                               f"(known: {', '.join(ExploitationForm.values)})")


@section("procedure", order=50)
def load_procedure(data: dict, ctx) -> None:
    parse(data)  # refuses a bad procedure before anything is stored; the engine parses the stored copy
    check_magistrate_forms(ctx.jurisdiction)
    _, outcome = upsert(Procedure, {"jurisdiction": ctx.jurisdiction},
                        {"spec": data, "profile_version": ctx.jurisdiction.profile_version})
    ctx.count("procedure", outcome)
