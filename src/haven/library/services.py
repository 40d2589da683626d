"""The library's rules, without HTTP: importing pages, merging sources and passages, claims,
editors' corrections. Views, the API and the ``haven library`` command all call these."""

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.audit.events import changes, record_event
from haven.audit.models import Verb, Via
from haven.core.actor import Actor
from haven.core.errors import Forbidden, Invalid, NotFound, Refused
from haven.directory.models import SupportService
from haven.directory.phones import InvalidPhone, parse_phone
from haven.organisations.models import Membership
from haven.organisations.roles import Role
from haven.statistics.services import publish_claim, withdraw_claim

from . import claims as claim_rules
from . import dedupe, parsing, search, textio, vocab
from .models import (
    Appearance,
    Claim,
    ClaimStatus,
    Excerpt,
    Helpline,
    Merge,
    MergeKind,
    Origin,
    Page,
    PageQuote,
    Source,
    SourceCountry,
    SourceTopic,
)

REPORT_KEYS = ("pages", "entries", "sources", "merged", "claims", "helplines")


# ------------------------------------------------------------------ who may edit


def is_editor(user) -> bool:
    """Library editors: anyone holding the ``editor`` role in an organisation."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Membership.objects.filter(user=user, role=Role.EDITOR).exists()


def require_editor(user) -> None:
    if not is_editor(user):
        raise Forbidden(_("Only library editors may do this."), code="not_editor")


# ------------------------------------------------------------------ import reports


@dataclass
class FileResult:
    name: str
    status: str  # imported, unchanged, failed
    error: str = ""
    warnings: list[str] = field(default_factory=list)
    page_id: int | None = None
    kind: str = ""


@dataclass
class ImportReport:
    files: list[FileResult] = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    created: dict = field(default_factory=dict)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def all_failed(self) -> bool:
        return bool(self.files) and len(self.failed) == len(self.files)

    def as_json(self) -> dict:
        return {
            **self.counts,
            "files": len(self.files),
            "imported": sum(1 for f in self.files if f.status == "imported"),
            "unchanged": sum(1 for f in self.files if f.status == "unchanged"),
            "failed": len(self.failed),
            "new": self.created,
            "results": [{"file": f.name, "status": f.status, "kind": f.kind, "error": f.error,
                         "warnings": f.warnings, "page": f.page_id} for f in self.files],
        }


def batch_counts(page_ids: list[int]) -> dict:
    """What the given pages hold: the same numbers however often they are imported."""
    appearances = Appearance.objects.filter(page_id__in=page_ids)
    source_ids = set(appearances.values_list("source_id", flat=True))
    merged = (Source.objects.filter(pk__in=source_ids).annotate(n=Count("appearances__page", distinct=True))
              .filter(n__gt=1).count())
    return {
        "pages": len(page_ids),
        "entries": appearances.count(),
        "sources": len(source_ids),
        "merged": merged,
        "excerpts": Excerpt.objects.filter(appearance__page_id__in=page_ids).count(),
        "excerpts_merged": Excerpt.objects.filter(appearance__page_id__in=page_ids,
                                                  duplicate_of__isnull=False).count(),
        "claims": Claim.objects.filter(excerpt__appearance__page_id__in=page_ids).count(),
        "helplines": Helpline.objects.filter(page_id__in=page_ids).count(),
    }


def library_counts() -> dict:
    return {"pages": Page.objects.count(), "entries": Appearance.objects.count(), "sources": Source.objects.count(),
            "claims": Claim.objects.count(), "helplines": Helpline.objects.count(),
            "merges": Merge.objects.filter(undone_at__isnull=True).count()}


# ------------------------------------------------------------------ importing


def _path_items(paths: Iterable[str | os.PathLike]) -> list[tuple[str, Path]]:
    items = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            items.extend((p.name, p) for p in sorted(path.iterdir()) if p.is_file() and not p.name.startswith("."))
        else:
            items.append((path.name, path))
    return items


def import_paths(paths: Iterable[str | os.PathLike], *, user=None) -> ImportReport:
    """Import files (directories: the files in them, sorted). Each file stands alone: a bad one is
    reported and the others are imported. The step without an audit event (the demo's seeds);
    editors and commands import through ``do_import_paths``."""
    return import_files(_path_items(paths), user=user)


def _read(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, Path):
        if not source.exists():
            raise textio.UnreadableFile("no such file")
        textio.check_size(source.stat().st_size)
        return source.read_bytes()
    size = getattr(source, "size", None)  # an uploaded file
    if size is not None:
        textio.check_size(size)
    data = source.read()
    return data if isinstance(data, bytes) else data.encode("utf-8")


def import_files(items: Iterable[tuple[str, object]], *, user=None) -> ImportReport:
    """Import (name, bytes | Path | uploaded file) pairs and report per file and in total (the step
    of ``do_upload_pages``, without its audit event)."""
    report = ImportReport()
    before = library_counts()
    context = _ImportContext()
    page_ids: list[int] = []
    for name, source in items:
        try:
            data = _read(source)
            page, created, warnings = import_document(name, data, user=user, context=context)
        except textio.UnreadableFile as exc:
            report.files.append(FileResult(name, "failed", error=str(exc)))
            continue
        except OSError as exc:
            report.files.append(FileResult(name, "failed", error=f"cannot read the file: {exc.strerror or exc}"))
            continue
        page_ids.append(page.pk)
        report.files.append(FileResult(name, "imported" if created else "unchanged", warnings=warnings,
                                       page_id=page.pk, kind=page.kind))
    report.counts = batch_counts(list(dict.fromkeys(page_ids)))
    after = library_counts()
    report.created = {key: after[key] - before[key] for key in after}
    return report


class _ImportContext:
    """What one import run keeps between files: the index of source titles."""

    def __init__(self):
        self._titles: dedupe.TitleIndex | None = None

    @property
    def titles(self) -> dedupe.TitleIndex:
        if self._titles is None:
            self._titles = dedupe.TitleIndex()
            for pk, title in Source.objects.values_list("pk", "title"):
                self._titles.add(str(pk), title)
        return self._titles


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_document(name: str, data: bytes, *, user=None, context: _ImportContext | None = None):
    """Import one file. Returns (page, created, warnings); raises ``textio.UnreadableFile``."""
    document = textio.read_bytes(name, data)
    digest = content_hash(document.text)
    existing = Page.objects.filter(content_hash=digest).first()
    if existing:
        return existing, False, document.warnings
    parsed = parsing.parse(document.text, name=name, html_title=document.html_title)
    if not any(entry.excerpts or entry.accessed for entry in parsed.entries) and parsed.kind == "document" \
            and len(document.text) < 40:
        raise textio.UnreadableFile("the file has too little text to be a page of the library")
    context = context or _ImportContext()
    with transaction.atomic():
        page = _create_page(name, document, parsed, digest, user)
        for entry in parsed.entries:
            _import_entry(page, parsed, entry, context)
    return page, True, document.warnings + parsed.warnings


def _create_page(name, document, parsed: parsing.ParsedPage, digest: str, user) -> Page:
    page = Page.objects.create(
        name=name[:255], content_hash=digest, kind=parsed.kind, title=parsed.title[:500],
        heading=parsed.heading[:500], citation=parsed.citation, citation_author=parsed.citation_author[:300],
        copyright_note=parsed.copyright_note, caution=parsed.caution, country=parsed.country or "",
        language=parsed.language, scope_start=parsed.scope[0] if parsed.scope else None,
        scope_end=parsed.scope[1] if parsed.scope else None, preamble=parsed.preamble, notes=parsed.notes,
        citation_forms=parsed.citation_forms, warnings=document.warnings + parsed.warnings, text=document.text,
        size=len(document.text.encode("utf-8")), imported_by=user if getattr(user, "pk", None) else None)
    for position, quote in enumerate(parsed.quotes, start=1):
        PageQuote.objects.create(page=page, position=position, text=quote.text, attribution=quote.attribution[:500])
    for position, helpline in enumerate(parsed.helplines, start=1):
        _record_helpline(page, position, helpline)
    return page


def _record_helpline(page: Page, position: int, helpline: parsing.ParsedHelpline) -> Helpline:
    """Keep the helpline with the page, linked to the directory's service with the same number."""
    uri = display = ""
    try:
        phone = parse_phone(helpline.phone, page.country.code or "BE")
        uri, display = phone.uri, phone.display
    except InvalidPhone:
        pass
    service = SupportService.objects.filter(phone_uri=uri).first() if uri else None
    return Helpline.objects.create(page=page, position=position, label=helpline.label[:120],
                                   phone=helpline.phone[:40], phone_uri=uri, phone_display=display, service=service)


def link_helplines() -> int:
    """Link helplines imported before the directory knew their number (e.g. before a profile load)."""
    linked = 0
    for helpline in Helpline.objects.filter(service__isnull=True).exclude(phone_uri=""):
        service = SupportService.objects.filter(phone_uri=helpline.phone_uri).first()
        if service:
            helpline.service = service
            helpline.save(update_fields=["service"])
            linked += 1
    return linked


def _source_fields(entry: parsing.ParsedEntry) -> dict:
    issued = entry.issued
    return {
        "title": entry.title[:500], "title_key": parsing.title_key(entry.title)[:500],
        "title_generated": entry.title_generated, "alt_titles": entry.alt_titles, "creators": entry.creators,
        "publisher": entry.publisher[:500], "container_title": entry.container[:500], "edition": entry.edition[:100],
        "issue": entry.issue[:50], "issued_text": issued.text[:100] if issued else "",
        "issued_year": issued.year if issued else None, "issued_month": issued.month if issued else None,
        "issued_day": issued.day if issued else None, "url": entry.url[:1000], "medium": entry.medium,
    }


def _compatible(source: Source, entry: parsing.ParsedEntry) -> bool:
    return not (entry.issued and source.issued_year and entry.issued.year != source.issued_year)


def _match_source(entry: parsing.ParsedEntry, page: Page, context: _ImportContext):
    """(source, method, similarity) of an existing source this entry names, or None."""
    if entry.title_generated:
        return None
    key = parsing.title_key(entry.title)
    for source in Source.objects.filter(title_key=key).order_by("pk"):
        if _compatible(source, entry) and not source.appearances.filter(page=page).exists():
            return source, "title", 1.0
    best = context.titles.best(entry.title)
    if best:
        source = Source.objects.filter(pk=int(best[0])).first()
        if source and _compatible(source, entry) and not source.appearances.filter(page=page).exists():
            return source, "minhash-title", round(best[1], 3)
    return None


def _enrich(source: Source, entry: parsing.ParsedEntry) -> None:
    """A later page may know more about a source than the first one did: fill what is missing."""
    fields = _source_fields(entry)
    changed = []
    for name in ("publisher", "container_title", "edition", "issue", "url", "issued_text"):
        if not getattr(source, name) and fields[name]:
            setattr(source, name, fields[name])
            changed.append(name)
    if not source.creators and fields["creators"]:
        source.creators = fields["creators"]
        changed.append("creators")
    if fields["issued_year"] and len([p for p in (fields["issued_year"], fields["issued_month"], fields["issued_day"])
                                      if p]) > len(source.issued_parts()):
        for name in ("issued_year", "issued_month", "issued_day", "issued_text"):
            setattr(source, name, fields[name])
        changed += ["issued_year", "issued_month", "issued_day", "issued_text"]
    for name in ("alt_titles", "medium"):
        merged = list(dict.fromkeys([*getattr(source, name), *fields[name]]))
        if merged != getattr(source, name):
            setattr(source, name, merged)
            changed.append(name)
    if changed:
        source.save(update_fields=sorted(set(changed)))


def _import_entry(page: Page, parsed: parsing.ParsedPage, entry: parsing.ParsedEntry, context) -> Appearance:
    text = " ".join([entry.title, *[e.text for e in entry.excerpts]])
    language = vocab.detect_language(text, default=parsed.language)
    match = _match_source(entry, page, context)
    if match:
        source, method, similarity = match
        _enrich(source, entry)
    else:
        source = Source.objects.create(
            **_source_fields(entry), language=language,
            source_type=vocab.source_type_for(entry.title, entry.publisher, entry.container, *entry.byline,
                                              *[c.get("literal", "") for c in entry.creators],
                                              page_kind=entry.kind_hint or parsed.kind))
        context.titles.add(str(source.pk), source.title)
    appearance = Appearance.objects.create(
        page=page, source=source, position=entry.position, section=entry.section,
        listed_title=entry.listed_title[:500], byline=entry.byline, accessed=entry.accessed, medium=entry.medium,
        page_ref=entry.page_ref[:40], notes=entry.notes, language=language)
    if match:
        Merge.objects.create(kind=MergeKind.SOURCE, source=source, appearance=appearance, method=method,
                             jaccard=similarity, containment=similarity)
    reporting_year = entry.issued.year - 1 if entry.issued and parsed.kind == "narrative" else None
    for position, parsed_excerpt in enumerate(entry.excerpts, start=1):
        excerpt = Excerpt.objects.create(appearance=appearance, position=position,
                                         heading=parsed_excerpt.heading[:200], text=parsed_excerpt.text)
        if match:
            _merge_passage(excerpt, source, appearance)
        if excerpt.duplicate_of_id is None:
            extract_claims(excerpt, reporting_year=reporting_year)
    tag_source(source)
    search.index_appearance(appearance)
    return appearance


def _merge_passage(excerpt: Excerpt, source: Source, appearance: Appearance) -> None:
    """Mark ``excerpt`` as the same passage as one already in the library for this source."""
    candidates = (Excerpt.objects.filter(appearance__source=source, duplicate_of__isnull=True)
                  .exclude(appearance=appearance).order_by("pk"))
    best = None
    for candidate in candidates:
        similarity = dedupe.compare(excerpt.text, candidate.text)
        if similarity.same_passage and (best is None or similarity.score > best[1].score):
            best = (candidate, similarity)
    if best:
        excerpt.duplicate_of = best[0]
        excerpt.save(update_fields=["duplicate_of"])
        Merge.objects.create(kind=MergeKind.EXCERPT, source=source, appearance=appearance, excerpt=excerpt,
                             into_excerpt=best[0], method="minhash", jaccard=best[1].jaccard,
                             containment=best[1].containment)


def extract_claims(excerpt: Excerpt, *, reporting_year: int | None = None) -> list[Claim]:
    """Claims of one excerpt (idempotent: a claim is identified by where its number stands)."""
    appearance = excerpt.appearance
    page = appearance.page
    scope = (page.scope_start, page.scope_end) if page.scope_start and page.scope_end else None
    created = []
    drafts = claim_rules.extract_claims(excerpt.text, language=appearance.language,
                                        jurisdiction=page.country.code or "", scope=scope,
                                        reporting_year=reporting_year)
    for draft in drafts:
        claim, was_created = Claim.objects.get_or_create(excerpt=excerpt, value_start=draft.value_start, defaults={
            "source": appearance.source, "quote": draft.quote, "quote_start": draft.quote_start,
            "quote_end": draft.quote_end, "value_end": draft.value_end, "value_text": draft.value_text[:100],
            "measure": draft.measure[:200], "value": draft.value, "value_max": draft.value_max,
            "qualifier": draft.qualifier, "unit": draft.unit[:60], "per_year": draft.per_year,
            "period_start": draft.period.start, "period_end": draft.period.end,
            "period_label": draft.period.label[:60], "period_kind": draft.period.kind,
            "period_inferred": draft.period.inferred, "jurisdiction": draft.jurisdiction})
        if was_created:
            created.append(claim)
    return created


def tag_source(source: Source) -> None:
    """Topics and countries found in a source's titles and excerpts (editors' choices are kept)."""
    appearances = list(source.appearances.select_related("page").prefetch_related("excerpts"))
    texts = [source.title, *source.alt_titles]
    for appearance in appearances:
        texts.append(appearance.listed_title)
        texts.extend(f"{e.heading} {e.text}" for e in appearance.excerpts.all())
    existing_topics = set(source.topics.values_list("topic", flat=True))
    for topic in vocab.topics_in("\n".join(texts)):
        if topic not in existing_topics:
            SourceTopic.objects.create(source=source, topic=topic)
    countries = []
    for appearance in appearances:
        if appearance.page.country:
            countries.append(appearance.page.country.code)
        countries.extend(vocab.country_codes(" ".join([appearance.listed_title, *appearance.byline])))
    countries.extend(vocab.country_codes(source.title))
    countries.extend(code for code in Claim.objects.filter(source=source).values_list("jurisdiction", flat=True)
                     if code)
    existing_countries = set(source.countries.values_list("country", flat=True))
    for code in dict.fromkeys(countries):
        if code and code not in existing_countries:
            SourceCountry.objects.create(source=source, country=code)


# ------------------------------------------------------------------ editors' actions
#
# Each ``do_…(actor, …)`` is one durable transaction that checks the editor, changes the library
# and records its audit event(s), or raises a ``haven.core.errors`` error and changes nothing.


def _editor_actor(actor: Actor) -> Actor:
    """The actor, acting for the organisation where they hold the editor role (its admins read the
    events). A command or the system without a user is the operator of the server and may import."""
    if actor.user is None and actor.via in (Via.COMMAND, Via.SYSTEM):
        return actor
    require_editor(actor.user)
    if actor.organisation is not None:
        return actor
    seat = Membership.objects.filter(user=actor.user, role=Role.EDITOR).select_related("organisation").order_by(
        "pk").first()
    return replace(actor, organisation=seat.organisation)


def _events_organisation(actor: Actor):
    return getattr(actor.organisation, "pk", actor.organisation)


def do_upload_pages(actor: Actor, items: Iterable[tuple[str, object]]) -> ImportReport:
    """Import (name, bytes | Path | uploaded file) pairs in one transaction. A file that cannot be
    read is reported and the others are imported. One ``library.page_imported`` event per new page
    (none for a page already in the library)."""
    with transaction.atomic(durable=True):
        actor = _editor_actor(actor)
        report = import_files(items, user=actor.user)
        for result in report.files:
            if result.status == "imported":
                record_event(actor, Verb.LIBRARY_PAGE_IMPORTED, f"library.page:{result.page_id}",
                             organisation=_events_organisation(actor), after={"kind": result.kind})
    return report


def do_import_paths(actor: Actor, paths: Iterable[str | os.PathLike]) -> ImportReport:
    """``do_upload_pages`` for files on disk (directories: the files in them, sorted)."""
    return do_upload_pages(actor, _path_items(paths))


_CLAIM_VERBS = {ClaimStatus.CONFIRMED: Verb.LIBRARY_CLAIM_CONFIRMED, ClaimStatus.REJECTED: Verb.LIBRARY_CLAIM_REJECTED,
                ClaimStatus.PENDING: Verb.LIBRARY_CLAIM_REOPENED}


def do_review_claim(actor: Actor, claim: Claim, status: str) -> Claim:
    """Confirm, reject or reopen a claim. Confirmed claims become points of published series.
    One event: ``library.claim_confirmed`` / ``claim_rejected`` / ``claim_reopened``."""
    with transaction.atomic(durable=True):
        actor = _editor_actor(actor)
        if status not in ClaimStatus.values:
            raise Invalid(field_errors={"status": _("Unknown status.")}, code="unknown_status")
        claim = Claim.objects.select_for_update().filter(pk=claim.pk).first()
        if claim is None:
            raise NotFound()
        before = claim.status
        claim.status = status
        claim.reviewed_by = actor.user
        claim.reviewed_at = timezone.now()
        claim.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        if status == ClaimStatus.CONFIRMED:
            publish_claim(claim)
        else:
            withdraw_claim(claim)
        record_event(actor, _CLAIM_VERBS[status], claim, organisation=_events_organisation(actor),
                     before={"status": before}, after={"status": status})
    return claim


def _check_tags(topics, countries, source_type) -> None:
    from django_countries import countries as known_countries

    errors = {}
    unknown = set(topics or ()) - set(vocab.Topic.values)
    if unknown:
        errors["topics"] = _("Unknown topics: %(topics)s") % {"topics": ", ".join(sorted(unknown))}
    unknown = {c.upper() for c in countries or ()} - set(dict(known_countries))
    if unknown:
        errors["countries"] = _("Unknown countries: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
    if source_type is not None and source_type not in vocab.SourceType.values:
        errors["source_type"] = _("Unknown source type.")
    if errors:
        raise Invalid(field_errors=errors, code="unknown_tags")


def _set_topics(source: Source, topics: Iterable[str]) -> None:
    wanted = set(topics)
    for topic in vocab.Topic.values:
        row = source.topics.filter(topic=topic).first()
        if topic in wanted:
            if row is None:
                SourceTopic.objects.create(source=source, topic=topic, origin=Origin.EDITOR)
            elif row.rejected or row.origin != Origin.EDITOR:
                row.rejected, row.origin = False, Origin.EDITOR
                row.save(update_fields=["rejected", "origin"])
        elif row is not None and not row.rejected:
            row.rejected, row.origin = True, Origin.EDITOR
            row.save(update_fields=["rejected", "origin"])


def _set_countries(source: Source, codes: Iterable[str]) -> None:
    wanted = {c.upper() for c in codes}
    for row in source.countries.all():
        if row.country.code not in wanted and not row.rejected:
            row.rejected, row.origin = True, Origin.EDITOR
            row.save(update_fields=["rejected", "origin"])
    for code in wanted:
        SourceCountry.objects.update_or_create(source=source, country=code,
                                               defaults={"rejected": False, "origin": Origin.EDITOR})


def _tags(source: Source) -> dict:
    return {"topics": source.topic_codes(), "countries": source.country_codes(), "source_type": source.source_type}


def do_correct_source(actor: Actor, source: Source, *, topics: Iterable[str] | None = None,
                      countries: Iterable[str] | None = None, source_type: str | None = None) -> Source:
    """An editor's correction of a source's topics, countries and type (``None``: left as it is).
    The importer keeps an editor's choices. One event, ``library.source_corrected``, even when the
    editor only confirms what the importer found (the rows then become the editor's)."""
    topics = None if topics is None else list(topics)
    countries = None if countries is None else list(countries)
    with transaction.atomic(durable=True):
        actor = _editor_actor(actor)
        _check_tags(topics, countries, source_type)
        source = Source.objects.select_for_update().filter(pk=source.pk).first()
        if source is None:
            raise NotFound()
        before = _tags(source)
        if topics is not None:
            _set_topics(source, topics)
        if countries is not None:
            _set_countries(source, countries)
        if source_type is not None:
            source.source_type, source.source_type_origin = source_type, Origin.EDITOR
            source.save(update_fields=["source_type", "source_type_origin"])
        changed_before, changed_after = changes(before, _tags(source))
        record_event(actor, Verb.LIBRARY_SOURCE_CORRECTED, source, organisation=_events_organisation(actor),
                     before=changed_before, after=changed_after)
    return source


def do_undo_merge(actor: Actor, merge: Merge) -> Merge:
    """Undo what the importer merged. A source merge gives the appearance its own source again
    (with its excerpts and claims); a passage merge makes the excerpt stand alone again.
    One event: ``library.merge_undone`` (the passage merges undone with a source merge are named
    in it, not recorded apart)."""
    with transaction.atomic(durable=True):
        actor = _editor_actor(actor)
        merge = Merge.objects.select_for_update().filter(pk=merge.pk).first()
        if merge is None:
            raise NotFound()
        if merge.undone_at:
            raise Refused(_("This merge has already been undone."), code="already_undone")
        reopened, also_undone = _undo_merge(actor.user, merge)
        after = {"undone": True}
        if merge.split_into_id:
            after["split_into"] = merge.split_into_id
        if also_undone:
            after["passage_merges_undone"] = also_undone
        record_event(actor, Verb.LIBRARY_MERGE_UNDONE, merge, organisation=_events_organisation(actor),
                     before={"undone": False}, after=after)
    return merge


def _undo_merge(user, merge: Merge) -> tuple[list[Excerpt], list[int]]:
    """The writes of an undo: (passages standing alone again, ids of the passage merges undone with it)."""
    reopened: list[Excerpt] = []
    also_undone: list[int] = []
    if merge.kind == MergeKind.EXCERPT:
        excerpt = merge.excerpt
        excerpt.duplicate_of = None
        excerpt.save(update_fields=["duplicate_of"])
        reopened.append(excerpt)
    else:
        appearance = merge.appearance
        title = parsing.clean_title(appearance.listed_title) if appearance.listed_title else merge.source.title
        meta = parsing.parse_byline(appearance.byline, title)
        issued = meta["issued"]
        new = Source.objects.create(
            title=title[:500], title_key=parsing.title_key(title)[:500], creators=meta["creators"],
            publisher=meta["publisher"][:500], container_title=meta["container"][:500], edition=meta["edition"],
            issue=meta["issue"], issued_text=issued.text if issued else "",
            issued_year=issued.year if issued else None, issued_month=issued.month if issued else None,
            issued_day=issued.day if issued else None, medium=appearance.medium, language=appearance.language,
            source_type=merge.source.source_type)
        appearance.source = new
        appearance.save(update_fields=["source"])
        Claim.objects.filter(excerpt__appearance=appearance).update(source=new)
        own = list(appearance.excerpts.all())
        for excerpt in own:
            if excerpt.duplicate_of_id:
                excerpt.duplicate_of = None
                excerpt.save(update_fields=["duplicate_of"])
                reopened.append(excerpt)
        # Passages elsewhere that were merged into this appearance's excerpts stand alone again.
        for excerpt in Excerpt.objects.filter(duplicate_of__in=own):
            excerpt.duplicate_of = None
            excerpt.save(update_fields=["duplicate_of"])
            reopened.append(excerpt)
        passage_merges = Merge.objects.filter(kind=MergeKind.EXCERPT, undone_at__isnull=True, excerpt__in=reopened)
        also_undone = sorted(passage_merges.values_list("pk", flat=True))
        passage_merges.update(undone_at=timezone.now(), undone_by=user)
        merge.split_into = new
        tag_source(new)
        tag_source(merge.source)
        search.index_appearance(appearance)
    for excerpt in reopened:
        extract_claims(excerpt)
    merge.undone_at = timezone.now()
    merge.undone_by = user
    merge.save(update_fields=["undone_at", "undone_by", "split_into"])
    return reopened, also_undone


# ------------------------------------------------------------------ reading


def sources_for_country(code: str):
    return (Source.objects.filter(countries__country=code.upper(), countries__rejected=False).distinct()
            .prefetch_related("appearances__page", "appearances__excerpts", "topics", "claims"))


def claims_queryset():
    return Claim.objects.select_related("source", "excerpt__appearance__page").order_by(
        "source__title", "excerpt__appearance__page_id", "excerpt__position", "value_start")
