"""Notices: what arrived in an organisation's queue or falls due, for the people who must act.

An app that sends notices registers each kind once with its sentence (``register_kind``, from its
``AppConfig.ready()``), then calls ``notify_user`` / ``notify_organisation`` inside its own
transaction. A notice stores the kind and its parameters, never a sentence: ``render`` writes it in
the recipient's language each time it is shown, and the e-mail (sent once the transaction
committed) is written the same way. Parameters are what a notice may name: a case reference, a
date, the key of a document kind, an organisation's name; never a person.
"""

import datetime
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from haven.organisations.models import User

from .models import Notification

log = logging.getLogger(__name__)

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


@dataclass(frozen=True)
class Kind:
    sentence: str  # a gettext_lazy with %(name)s placeholders
    labels: dict[str, Callable[[object], str]] = field(default_factory=dict)


_KINDS: dict[str, Kind] = {}


def register_kind(kind: str, sentence, *, labels: dict[str, Callable[[object], str]] | None = None) -> None:
    """Declare a kind of notice and its sentence (a ``gettext_lazy`` with ``%(name)s`` placeholders).

    ``labels`` turns a stored parameter into words when the notice is written (e.g. the key of a
    document kind into its name): called in the recipient's language.
    """
    if len(kind) > Notification._meta.get_field("kind").max_length:
        raise ValueError(f"notice kind {kind!r} is too long")
    known = _KINDS.get(kind)
    if known is not None and str(known.sentence) != str(sentence):
        raise ValueError(f"the notice kind {kind!r} is already registered with another sentence")
    _KINDS[kind] = Kind(sentence, dict(labels or {}))


def registered_kinds() -> dict[str, Kind]:
    return dict(_KINDS)


def _stored(params: dict | None) -> dict:
    """Parameters as JSON: dates as ISO strings (written as dates in the recipient's language)."""
    stored = {}
    for name, value in (params or {}).items():
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            raise TypeError(f"notice parameter {name!r} must be a string, a number or a date, not {type(value)}")
        stored[name] = value
    return stored


def notify_user(user, kind: str, *, params: dict | None = None, url: str = "", key: str = "",
                organisation=None) -> Notification | None:
    """Notify one person; with ``key``, at most once per (person, kind, key). Returns the new notice."""
    created = _deliver([user], kind, params=params, url=url, key=key, organisation=organisation)
    return created[0] if created else None


def notify_organisation(organisation, kind: str, *, params: dict | None = None, url: str = "", key: str = "",
                        roles: Iterable[str] | None = None) -> list[Notification]:
    """Notify every active member of ``organisation`` (only those with one of ``roles`` when given);
    with ``key``, each member at most once per (kind, key). Returns the new notices."""
    seat = {"memberships__organisation": organisation}
    if roles is not None:
        seat["memberships__role__in"] = list(roles)  # the role held in *this* organisation: one filter, one join
    members = User.objects.filter(is_active=True, **seat)
    return _deliver(list(members.distinct().order_by("pk")), kind, params=params, url=url, key=key,
                    organisation=organisation)


def _deliver(recipients: list, kind: str, *, params, url: str, key: str, organisation) -> list[Notification]:
    if kind not in _KINDS:
        raise ValueError(f"unknown notice kind {kind!r}: register it with register_kind()")
    stored = _stored(params)
    recipients = list({user.pk: user for user in recipients if user.is_active}.values())
    if key and recipients:
        already = set(Notification.objects.filter(kind=kind, key=key, recipient__in=recipients)
                      .values_list("recipient_id", flat=True))
        recipients = [user for user in recipients if user.pk not in already]
    if not recipients:
        return []
    now = timezone.now()
    notices = [Notification(recipient=user, organisation=organisation, kind=kind, params=stored, url=url, key=key,
                            created=now) for user in recipients]
    try:
        with transaction.atomic():  # a savepoint: a clash must not break the caller's transaction
            Notification.objects.bulk_create(notices)
    except IntegrityError:
        # a concurrent run wrote the same (recipient, kind, key) meanwhile: it wins, row by row
        notices = [notice for notice in notices if _save_unless_there(notice)]
    if any(user.email for user in recipients):
        transaction.on_commit(lambda: send_emails(notices), robust=True)
    return notices


def _save_unless_there(notice: Notification) -> bool:
    notice.pk = None
    try:
        with transaction.atomic():
            notice.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def language_of(user, organisation=None) -> str:
    """The recipient's language: theirs, else the first one Haven speaks of the organisation the notice is
    for (or of their first organisation), else the default."""
    if getattr(user, "language", "") in LANGUAGE_CODES:
        return user.language
    if organisation is None:  # a notice to one person: the first organisation they belong to
        membership = user.memberships.select_related("organisation").order_by("pk").first()
        organisation = membership.organisation if membership else None
    for code in getattr(organisation, "languages", None) or []:
        if code in LANGUAGE_CODES:
            return code
    return settings.LANGUAGE_CODE


def _words(notice: Notification) -> str:
    """The notice's sentence in the active language."""
    kind = _KINDS.get(notice.kind)
    if kind is None:  # a kind its app no longer sends: say what is known, not nothing
        return notice.kind
    values = {}
    for name, value in (notice.params or {}).items():
        if name in kind.labels:
            value = kind.labels[name](value)
        elif isinstance(value, str) and ISO_DATE.match(value):
            try:
                value = formats.date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")
            except ValueError:
                pass
        values[name] = value
    try:
        return str(kind.sentence) % values
    except (KeyError, TypeError, ValueError):
        log.warning("notice %s: its parameters do not fit the sentence of %r", notice.pk, notice.kind)
        return str(kind.sentence)


def render(notice: Notification, language: str | None = None) -> str:
    """The notice in its recipient's language (``User.language``, else its organisation's, else the
    default); pages and the API pass the language they are shown in."""
    with translation.override(language or language_of(notice.recipient, notice.organisation)):
        return _words(notice)


def email_for(notice: Notification) -> EmailMessage:
    user = notice.recipient
    with translation.override(language_of(user, notice.organisation)):
        sentence = _words(notice)
        subject = _("Haven: %(notice)s") % {"notice": sentence}
        lines = [sentence]
        if notice.url:
            lines += ["", getattr(settings, "HAVEN_SITE_URL", "").rstrip("/") + notice.url]
        lines += ["", _("You receive this e-mail because you are a member of an organisation in Haven.")]
    return EmailMessage(" ".join(subject.split())[:200], "\n".join(lines) + "\n", None, [user.email])


def send_emails(notices: list[Notification]) -> int:
    """E-mail the notices whose recipient has an address (after the sending transaction committed)."""
    notices = [n for n in notices if n.recipient.email]
    if not notices:
        return 0
    sent = get_connection().send_messages([email_for(n) for n in notices]) or 0
    Notification.objects.filter(pk__in=[n.pk for n in notices]).update(emailed_at=timezone.now())
    return sent


# --- what falls due: ``haven notify`` (daily, from cron) --------------------------------------------

DueSource = Callable[[datetime.date, int], int]
_DUE_SOURCES: dict[str, DueSource] = {}


def register_due_source(name: str, source: DueSource) -> None:
    """Plug in what falls due (from the owning app's ``ready()``): ``source(today, days)`` notifies, once
    per key, what is overdue or due within ``days`` days, and returns how many notices it wrote."""
    if name in _DUE_SOURCES and _DUE_SOURCES[name] is not source:
        raise ValueError(f"the due source {name!r} is already registered")
    _DUE_SOURCES[name] = source


def notify_due(today: datetime.date, days: int) -> dict[str, int]:
    """Run every due source, each in its own transaction (its e-mails go when it committed)."""
    written = {}
    for name in sorted(_DUE_SOURCES):
        with transaction.atomic():
            written[name] = _DUE_SOURCES[name](today, days)
    return written


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notices=None) -> int:
    """Mark the user's notices read (all of them, or those of ``notices``: ids); returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notices is not None:
        rows = rows.filter(pk__in=list(notices))
    return rows.update(read_at=timezone.now())
