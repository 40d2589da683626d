"""Load a jurisdiction profile (YAML) into the database.

A profile is split into sections (regions, organisations, routes, support services…). Each
app that owns a part of the profile registers a section loader in its ``profile_sections``
module; this module finds them, runs them in order inside one transaction and reports what
changed. Any error names the record at fault and rolls everything back, so a bad profile
changes nothing. Loading the same profile twice changes nothing the second time.

Sections parse their part of the YAML once into frozen dataclasses and read attributes from then
on. Whoever caches something parsed from a profile keys it on ``generation()``, which every load
bumps, and on the jurisdiction's ``profile_digest``, which changes with the profile's content.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import yaml
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules

from haven.core.trail import Verb, record_event

PROFILES_DIR = Path(__file__).resolve().parent / "profiles"


class ProfileError(ValueError):
    """A profile record that cannot be loaded; ``record`` says which one."""

    def __init__(self, record: str, message: str):
        self.record = record
        self.message = message
        super().__init__(f"{record}: {message}")


@dataclass
class LoadContext:
    """What earlier sections produced, for later ones to refer to."""

    jurisdiction: models.Model | None = None
    digest: str = ""
    previous: dict = field(default_factory=dict)  # the jurisdiction's version and digest before this load
    regions: dict = field(default_factory=dict)
    organisations: dict = field(default_factory=dict)
    report: dict[str, Counter] = field(default_factory=dict)

    def count(self, section: str, outcome: str) -> None:
        self.report.setdefault(section, Counter())[outcome] += 1

    def region(self, record: str, code: str):
        try:
            return self.regions[code]
        except KeyError:
            known = ", ".join(sorted(self.regions)) or "none"
            raise ProfileError(record, f"unknown region {code!r} (known: {known})") from None

    def organisation(self, record: str, slug: str):
        try:
            return self.organisations[slug]
        except KeyError:
            raise ProfileError(record, f"unknown organisation {slug!r}") from None


Section = Callable[[list | dict, LoadContext], None]
_SECTIONS: list[tuple[int, str, Section]] = []


def section(name: str, order: int):
    """Register a loader for the profile key ``name``; lower ``order`` runs first."""

    def register(func: Section) -> Section:
        if all(existing != name for _, existing, _ in _SECTIONS):
            _SECTIONS.append((order, name, func))
            _SECTIONS.sort(key=lambda item: item[0])
        return func

    return register


def upsert(model, lookup: dict, values: dict) -> tuple[models.Model, str]:
    """Create or update one row; say whether it was created, updated or already right."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **values), "created"
    changed = []
    for key, value in values.items():
        current = getattr(obj, key)
        if isinstance(value, models.Model):
            same = current is not None and current.pk == value.pk
        else:
            same = current == value
        if not same:
            setattr(obj, key, value)
            changed.append(key)
    if changed:
        obj.save(update_fields=changed)
        return obj, "updated"
    return obj, "unchanged"


def require(record: str, data: dict, key: str, kind: type = str):
    if not isinstance(data, dict):
        raise ProfileError(record, "must be a mapping of fields")
    value = data.get(key)
    if value in (None, "", [], {}):
        raise ProfileError(record, f"missing field {key!r}")
    if not isinstance(value, kind):
        names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))
        raise ProfileError(record, f"field {key!r} must be a {names}")
    return value


def texts(record: str, data: dict, key: str, *, required: bool = True) -> Mapping[str, str]:
    """A name in several languages, ``{en: …, fr: …}``, as a read-only mapping (empty when optional and absent)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value in (None, {}) and not required:
        return MappingProxyType({})
    value = require(record, data, key, dict)
    if not all(isinstance(lang, str) and isinstance(text, str) for lang, text in value.items()):
        raise ProfileError(record, f"field {key!r} must map languages to texts")
    return MappingProxyType(dict(value))


def names(record: str, data: dict, key: str) -> tuple[str, ...]:
    """A list of names; a single name is accepted for one (``sets: fact`` as ``sets: [fact]``)."""
    value = data.get(key) if isinstance(data, dict) else None
    if value in (None, "", []):
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise ProfileError(record, f"field {key!r} must be a name or a list of names")
    return tuple(value)


def refuse_unknown_keys(record: str, data: dict, known) -> None:
    """A typo in a key must not be read as "not given"."""
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise ProfileError(record, f"unknown field(s): {', '.join(map(str, unknown))}")


_generation = 0


def generation() -> int:
    """How many profiles this process has loaded; part of the key of anything cached from a profile."""
    return _generation


def _bump_generation() -> None:
    global _generation
    _generation += 1


def digest(data: dict) -> str:
    """A hash of the profile's content: a cache elsewhere sees a changed profile without reading it."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resolve(name_or_path: str | Path) -> Path:
    """``be`` means the bundled Belgian profile; anything else is a path to a YAML file."""
    candidate = PROFILES_DIR / f"{str(name_or_path).lower()}.yaml"
    if candidate.exists():
        return candidate
    path = Path(name_or_path)
    if not path.exists():
        bundled = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.yaml")))
        raise ProfileError(str(name_or_path), f"no such profile (bundled: {bundled})")
    return path


def read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ProfileError(path.name, f"not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProfileError(path.name, "a profile must be a YAML mapping")
    return data


def available() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def _load(name_or_path: str | Path) -> LoadContext:
    autodiscover_modules("profile_sections")
    data = read(resolve(name_or_path))
    known = {name for _, name, _ in _SECTIONS} | {"jurisdiction"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ProfileError("profile", f"unknown section(s): {', '.join(unknown)}")
    context = LoadContext(digest=digest(data))
    try:
        with transaction.atomic():
            for _, name, loader in _SECTIONS:
                if name in data or name == "jurisdiction":
                    loader(data if name == "jurisdiction" else data[name], context)
    finally:
        _bump_generation()  # even a refused load may have been read by a cache inside its transaction
    return context


def _report(context: LoadContext) -> dict[str, dict[str, int]]:
    return {name: dict(counter) for name, counter in context.report.items()}


def load(name_or_path: str | Path) -> dict[str, dict[str, int]]:
    """Load one profile; return ``{section: {"created": n, "updated": n, "unchanged": n}}``.

    The step without an audit event (the test datasets); operators load through ``do_load``."""
    return _report(_load(name_or_path))


def do_load(actor, name_or_path: str | Path) -> dict[str, dict[str, int]]:
    """``load`` as an action of ``actor`` (``haven.core.actor.Actor``): the profile and one
    ``jurisdiction.profile_loaded`` audit event are committed together or not at all."""

    with transaction.atomic():
        context = _load(name_or_path)
        jurisdiction = context.jurisdiction
        report = _report(context)
        after = {"profile_version": jurisdiction.profile_version, "profile_digest": jurisdiction.profile_digest}
        before = {key: value for key, value in context.previous.items() if after.get(key) != value}
        record_event(actor, Verb.PROFILE_LOADED, jurisdiction, before=before, after={**after, "report": report})
    return report
