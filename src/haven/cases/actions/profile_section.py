"""The profile section ``procedure``: the victim-status procedure as data (states, documents, transitions).

The loader checks that every name refers to something that exists (states, documents, predicates,
organisation kinds, parts) so that a bad profile is refused before it can strand a case.
"""

from haven.access.scope import PARTS
from haven.jurisdictions.profile import ProfileError, require, section, upsert
from haven.organisations.roles import OrganisationKind

from .predicates import PREDICATES

DOCUMENT_OPS = ("issue", "extend", "renew")
FACT_FIELDS = ("complaint_filed_on", "magistrate_confirmed_on")


def _kinds(record, kinds):
    if not isinstance(kinds, list) or not kinds:
        raise ProfileError(record, "'by' must list organisation kinds")
    unknown = set(kinds) - set(OrganisationKind.values)
    if unknown:
        raise ProfileError(record, f"unknown organisation kind(s): {', '.join(sorted(unknown))}")


def _predicates(record, names):
    for name in names or []:
        if name.removeprefix("not ") not in PREDICATES:
            raise ProfileError(record, f"unknown condition {name!r} (known: {', '.join(sorted(PREDICATES))})")


def validate(spec: dict) -> dict:
    record = "procedure"
    states = require(record, spec, "states", dict)
    documents = spec.get("documents") or {}
    initial = require(record, spec, "initial")
    if initial not in states:
        raise ProfileError(record, f"initial state {initial!r} is not a state")
    for name, doc in documents.items():
        if not isinstance(doc, dict) or "name" not in doc:
            raise ProfileError(f"procedure document {name!r}", "needs a name")
    actions = set()
    for position, t in enumerate(require(record, spec, "transitions", list)):
        action = require(f"procedure transitions[{position}]", t, "action")
        where = f"procedure transition {action!r}"
        actions.add(action)
        for state in require(where, t, "from", list):
            if state not in states:
                raise ProfileError(where, f"unknown state {state!r}")
        if t.get("to") is not None and t["to"] not in states:
            raise ProfileError(where, f"unknown state {t['to']!r}")
        _kinds(where, t.get("by"))
        _predicates(where, t.get("requires"))
        _predicates(where, t.get("requires_any"))
        for op in DOCUMENT_OPS:
            if op in t and t[op] not in documents:
                raise ProfileError(where, f"unknown document {t[op]!r}")
        if t.get("sets") and t["sets"] not in FACT_FIELDS:
            raise ProfileError(where, f"'sets' must be one of {', '.join(FACT_FIELDS)}")
        for param, choices in (t.get("params") or {}).items():
            if not isinstance(choices, list) or not choices:
                raise ProfileError(where, f"parameter {param!r} must list its choices")
    if spec.get("intake_action") and spec["intake_action"] not in actions:
        raise ProfileError(record, f"intake_action {spec['intake_action']!r} is not a transition")
    if "close" not in actions:
        raise ProfileError(record, "a procedure needs a 'close' transition")
    unknown_parts = set(spec.get("referrer_keeps") or []) - set(PARTS)
    if unknown_parts:
        raise ProfileError(record, f"unknown part(s) in referrer_keeps: {', '.join(sorted(unknown_parts))}")
    _predicates(record, spec.get("consent_override_when"))
    for status, kinds in (spec.get("status_deciders") or {}).items():
        if status not in ("presumed", "identified"):
            raise ProfileError(record, f"unknown trafficking status {status!r}")
        _kinds(f"procedure status_deciders {status}", kinds)
    return spec


@section("procedure", order=50)
def load_procedure(data: dict, ctx) -> None:
    from ..models import Procedure

    if not isinstance(data, dict):
        raise ProfileError("procedure", "must be a mapping")
    spec = validate(data)
    _, outcome = upsert(Procedure, {"jurisdiction": ctx.jurisdiction},
                        {"spec": spec, "profile_version": ctx.jurisdiction.profile_version})
    ctx.count("procedure", outcome)
