"""The case chain's rules, no HTTP: what a page, the API, a command or the demo generator calls.

    record_signal(actor, organisation, **data) -> Case               signals.py
    screen(actor, case, indicators, *, form=…, legal_elements=…)      screening.py
    set_trafficking_status(actor, case, status, *, on=None)           screening.py
    refer(actor, case, to, …) / route_case(actor, case, …)            referrals.py
    accept_referral / decline_referral / revoke_referral              referrals.py
    apply_transition(actor, case, action, *, on=None, **params)       procedure.py
    add_service(actor, case, kind, …) / update_service(…)             support.py
    close_case(actor, case, reason, *, on=None) / reopen_case(…)      closure.py
    due_deadlines(user, organisation, today) / send_digest(today)     deadlines.py

Every function that changes a case runs in one transaction, writes the case timeline, and raises
``Refused`` (with a message for the user) without changing anything when it may not happen.
"""

from .common import Refused  # noqa: F401
