"""Backups of Haven's data, and their restoration: one encrypted, authenticated file per backup.

A backup is sealed with ``HAVEN_BACKUP_KEY`` (base64 of 32 random bytes, ``haven backup keygen``),
never with the vault's ``HAVEN_DATA_KEY``: a stolen backup leaks nothing without its own key, and
the identity columns inside it stay sealed under the vault key as well, because their stored cipher
text is copied as it is and never decrypted.

The file is a plain preamble (format, key id, a random backup id) and then length-prefixed chunks,
each compressed and sealed with AES-256-GCM under its own nonce, the preamble and the chunk's
index in the associated data: a chunk cannot be altered, swapped, dropped or taken from another
backup unnoticed. Chunk 0 is the header (migration state, creation time, rows per table), the
last one says where the backup ends, so a truncated file is refused too. Rows are written table by
table in dependency order, a few hundred at a time, so neither side holds the database in memory.

Values go through Django's own conversions both ways (dates, decimals, JSON), except the vault's
encrypted columns, which are read and written as raw text.
"""

import base64
import binascii
import datetime
import decimal
import hashlib
import hmac
import json
import os
import struct
import uuid
import zlib
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from haven.core.errors import Refused

FORMAT = 1
MAGIC = b"haven-backup\n"
NONCE_BYTES = 12
ROWS_PER_CHUNK = 500
MAX_CHUNK_BYTES = 256 * 1024 * 1024  # far above any real chunk: a larger length means a damaged file

# Besides Haven's own apps: users' groups and permissions, the content types they point at, the
# admin's change log, and the second-factor devices (a restored site must not let whoever knows a
# password enrol a fresh device). Left out on purpose: sessions (restoring ends them all: everyone
# signs in again) and axes (failed sign-ins and lockouts, short-lived, rebuilt by the next attempts).
OTHER_APPS = {"auth", "contenttypes", "admin", "otp_totp", "otp_static"}
# Rows ``migrate`` writes into every database: they are replaced, never counted as existing data.
FILLED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}

Progress = Callable[[str, int], None]


# --- the key ------------------------------------------------------------------------------------

def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def parse_key(text: str | None) -> bytes:
    """The 32 bytes of ``HAVEN_BACKUP_KEY``; refused when missing, malformed, or the vault's key."""
    if not (text or "").strip():
        raise Refused(_("HAVEN_BACKUP_KEY is not set. Make a key with 'haven backup keygen', keep it apart "
                        "from the backups and from HAVEN_DATA_KEY, and set it in the environment."),
                      code="backup_key_missing")
    key = _decode_base64(text)
    if key is None or len(key) != 32:
        raise Refused(_("HAVEN_BACKUP_KEY must be base64 of 32 random bytes ('haven backup keygen' prints one)."),
                      code="backup_key_invalid")
    if any(_decode_base64(part) == key for part in (settings.HAVEN_DATA_KEY or "").split(",")):
        raise Refused(_("HAVEN_BACKUP_KEY must not be a key of HAVEN_DATA_KEY: a backup needs its own key."),
                      code="backup_key_invalid")
    return key


def key_from_environment() -> bytes:
    return parse_key(os.environ.get("HAVEN_BACKUP_KEY"))


def _decode_base64(text: str) -> bytes | None:
    text = text.strip().replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _derive(key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"haven-backup", info=info).derive(key)


def _key_id(key: bytes) -> str:
    return hmac.new(_derive(key, b"key id"), b"haven backup", hashlib.sha256).hexdigest()[:8]


# --- what is backed up --------------------------------------------------------------------------

def backed_up_models() -> list[type[models.Model]]:
    """Every table of the backup, each model before the models that refer to it."""
    chosen = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        if meta.app_config.name.startswith("haven.") or meta.app_label in OTHER_APPS:
            chosen.setdefault(meta.db_table, model)
    by_label = {model._meta.label_lower: model for model in chosen.values()}
    ordered, done = [], set()

    def visit(model, path):
        label = model._meta.label_lower
        if label in done or label in path:
            return  # a cycle: the foreign keys are checked at commit, so any order loads
        path.add(label)
        for field in model._meta.concrete_fields:
            target = field.related_model._meta.label_lower if field.related_model else None
            if target in by_label:
                visit(by_label[target], path)
        done.add(label)
        ordered.append(model)

    for label in sorted(by_label):
        visit(by_label[label], set())
    return ordered


def _raw(field) -> bool:
    # Text columns are copied exactly as stored. The vault's encrypted fields are text columns whose
    # reading decrypts: this keeps their cipher text sealed, and changes nothing for plain text.
    return field.get_internal_type() == "TextField"


def _migration_state(tables) -> dict[str, list[str]]:
    labels = {model._meta.app_label for model in tables}
    applied = MigrationRecorder(connection).applied_migrations()
    return {app: sorted(name for app_, name in applied if app_ == app) for app in sorted(labels)}


# --- values <-> JSON ----------------------------------------------------------------------------

_TAGGED = {
    datetime.datetime: ("datetime", lambda v: v.isoformat()),
    datetime.date: ("date", lambda v: v.isoformat()),
    datetime.time: ("time", lambda v: v.isoformat()),
    datetime.timedelta: ("timedelta", lambda v: [v.days, v.seconds, v.microseconds]),
    decimal.Decimal: ("decimal", str),
    uuid.UUID: ("uuid", str),
    bytes: ("bytes", lambda v: base64.b64encode(v).decode("ascii")),
    memoryview: ("bytes", lambda v: base64.b64encode(v.tobytes()).decode("ascii")),
    dict: ("json", lambda v: v),
    list: ("json", lambda v: v),
}
_UNTAG = {
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "time": datetime.time.fromisoformat,
    "timedelta": lambda v: datetime.timedelta(days=v[0], seconds=v[1], microseconds=v[2]),
    "decimal": decimal.Decimal,
    "uuid": uuid.UUID,
    "bytes": base64.b64decode,
    "json": lambda v: v,
}


def _encode(value):
    """A JSON value; anything but null, booleans, numbers and text is wrapped as ``{"$": type, "v": …}``,
    so a mapping in the stream is always a wrapper (a JSON column's own mappings are inside one)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    tag, encode = _TAGGED[type(value)]
    return {"$": tag, "v": encode(value)}


def _decode(value):
    return _UNTAG[value["$"]](value["v"]) if isinstance(value, dict) else value


# --- writing ------------------------------------------------------------------------------------

class _Writer:
    def __init__(self, handle, key: bytes):
        self.handle = handle
        self.cipher = AESGCM(_derive(key, b"encryption"))
        self.preamble = MAGIC + f"{FORMAT} {_key_id(key)} {os.urandom(16).hex()}\n".encode("ascii")
        self.index = 0
        handle.write(self.preamble)

    def chunk(self, payload: dict):
        nonce = os.urandom(NONCE_BYTES)
        data = zlib.compress(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
        sealed = nonce + self.cipher.encrypt(nonce, data, self.preamble + struct.pack(">Q", self.index))
        self.handle.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1


def write_backup(path, key: bytes, progress: Progress | None = None) -> dict[str, int]:
    """Write every row of the backed-up tables to ``path`` (replaced only once complete); returns the
    rows per table. The rows are one consistent snapshot of the database."""
    progress = progress or (lambda table, rows: None)
    tables = backed_up_models()
    partial = f"{path}.partial"
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
                with connection.cursor() as cursor:  # one snapshot for every table, nothing written
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            counts = {model._meta.label_lower: model._base_manager.count() for model in tables}
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                writer = _Writer(handle, key)
                writer.chunk({"header": {"format": FORMAT, "created_at": timezone.now().isoformat(),
                                         "vendor": connection.vendor, "migrations": _migration_state(tables),
                                         "tables": counts}})
                for model in tables:
                    _write_table(writer, model)
                    progress(model._meta.label_lower, counts[model._meta.label_lower])
                writer.chunk({"end": {"chunks": writer.index + 1, "tables": counts}})
        os.replace(partial, path)
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    return counts


def _write_table(writer: _Writer, model):
    fields = model._meta.concrete_fields
    raw = {f"backup_raw_{i}": models.ExpressionWrapper(models.F(f.attname), output_field=models.TextField())
           for i, f in enumerate(fields) if _raw(f)}
    names = [f"backup_raw_{i}" if _raw(f) else f.attname for i, f in enumerate(fields)]
    rows = model._base_manager.annotate(**raw).order_by("pk").values_list(*names)
    batch = []
    for row in rows.iterator(chunk_size=ROWS_PER_CHUNK):
        batch.append([_encode(value) for value in row])
        if len(batch) == ROWS_PER_CHUNK:
            writer.chunk({"table": model._meta.label_lower, "columns": [f.attname for f in fields], "rows": batch})
            batch = []
    if batch:
        writer.chunk({"table": model._meta.label_lower, "columns": [f.attname for f in fields], "rows": batch})


# --- reading ------------------------------------------------------------------------------------

def _damaged(index: int):
    return Refused(_("The backup is damaged or was altered (chunk %(index)s does not authenticate); "
                     "nothing was restored.") % {"index": index}, code="backup_damaged")


def _incomplete():
    return Refused(_("The backup is incomplete (the file ends before the backup does); nothing was restored."),
                   code="backup_incomplete")


class _Reader:
    """The chunks of a backup in order, each checked; refuses a wrong key, a damaged or a cut file."""

    def __init__(self, handle, key: bytes):
        self.handle = handle
        magic = handle.readline(len(MAGIC))
        line = handle.readline(100)
        parts = line.decode("ascii", "replace").split()
        if magic != MAGIC or len(parts) != 3 or not line.endswith(b"\n"):
            raise Refused(_("This file is not a Haven backup."), code="backup_not_a_backup")
        if parts[0] != str(FORMAT):
            raise Refused(_("This backup has format %(found)s; this version of Haven reads format %(format)s.")
                          % {"found": parts[0], "format": FORMAT}, code="backup_format")
        if parts[1] != _key_id(key):
            raise Refused(_("This backup was sealed with another key (key %(found)s; HAVEN_BACKUP_KEY is key "
                            "%(ours)s); nothing was restored.") % {"found": parts[1], "ours": _key_id(key)},
                          code="backup_wrong_key")
        self.preamble = magic + line
        self.cipher = AESGCM(_derive(key, b"encryption"))
        self.index = 0

    def next(self) -> dict:
        size = self.handle.read(4)
        if len(size) < 4:
            raise _incomplete()
        (length,) = struct.unpack(">I", size)
        if not NONCE_BYTES < length <= MAX_CHUNK_BYTES:
            raise _damaged(self.index)
        sealed = self.handle.read(length)
        if len(sealed) < length:
            raise _incomplete()
        try:
            data = self.cipher.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:],
                                       self.preamble + struct.pack(">Q", self.index))
        except InvalidTag:
            raise _damaged(self.index) from None
        self.index += 1
        return json.loads(zlib.decompress(data))

    def at_end(self) -> bool:
        return self.handle.read(1) == b""


def read_header(path, key: bytes) -> dict:
    """The header of a backup (migration state, creation time, rows per table), once its key is checked."""
    with open(path, "rb") as handle:
        return _Reader(handle, key).next()["header"]


# --- restoring ----------------------------------------------------------------------------------

def restore_backup(path, key: bytes, force: bool = False, progress: Progress | None = None) -> dict[str, int]:
    """Load a backup into this database in one transaction (all or nothing), keeping primary keys;
    returns the rows per table. Refused when the migrations differ, and when the database holds
    data already unless ``force`` (then that data is replaced)."""
    progress = progress or (lambda table, rows: None)
    tables = backed_up_models()
    by_label = {model._meta.label_lower: model for model in tables}
    with open(path, "rb") as handle:
        reader = _Reader(handle, key)
        header = reader.next()["header"]
        _check_migrations(header["migrations"], _migration_state(tables))
        loaded = dict.fromkeys(header["tables"], 0)
        with transaction.atomic():
            if not force:
                _refuse_existing_data(tables)
            _empty(tables)
            while "end" not in (payload := reader.next()):
                label = payload["table"]
                if label not in by_label:  # the migrations matched, so only a forged file gets here
                    raise _damaged(reader.index - 1)
                _insert(by_label[label], payload["columns"], payload["rows"])
                loaded[label] = loaded.get(label, 0) + len(payload["rows"])
                if loaded[label] == header["tables"].get(label):
                    progress(label, loaded[label])
            end = payload["end"]
            if end["chunks"] != reader.index or end["tables"] != header["tables"] or loaded != header["tables"]:
                raise _damaged(reader.index - 1)
            if not reader.at_end():
                raise Refused(_("The backup has data after its end; nothing was restored."), code="backup_damaged")
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), tables):
                    cursor.execute(statement)
    ContentType.objects.clear_cache()  # the content types may have other ids than this process cached
    return loaded


def _check_migrations(backup: dict[str, list[str]], here: dict[str, list[str]]):
    for app in sorted(set(backup) | set(here)):
        if backup.get(app, []) != here.get(app, []):
            raise Refused(_("The database's migrations of %(app)s differ from the backup's (backup: %(backup)s; "
                            "database: %(database)s). Bring the database to the backup's version first; nothing "
                            "was restored.") % {"app": app, "backup": (backup.get(app) or ["none"])[-1],
                                                "database": (here.get(app) or ["none"])[-1]},
                          code="backup_migrations")


def _refuse_existing_data(tables):
    for model in tables:
        if model._meta.label_lower not in FILLED_BY_MIGRATE and model._base_manager.exists():
            raise Refused(_("The database already holds data (%(table)s): restore into an empty database, or "
                            "use --force to replace its data; nothing was restored.")
                          % {"table": model._meta.label_lower}, code="backup_not_empty")


def _empty(tables):
    """Delete every row of the backed-up tables and every session, the referring tables first. Tables
    guarded by triggers (the append-only audit tables) have them lifted for their DELETE only."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in [*reversed(tables), Session]:
            if not model._base_manager.exists():
                continue
            table = model._meta.db_table
            lifted = _lift_triggers(cursor, table)
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (a model's table name)
            _restore_triggers(cursor, table, lifted)


def _lift_triggers(cursor, table: str) -> list[str]:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                       "AND tgenabled <> 'D'", [table])
        names = [name for (name,) in cursor.fetchall()]
        if names:
            _settle_foreign_key_checks(cursor)
        for name in names:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DISABLE TRIGGER "
                           f"{connection.ops.quote_name(name)}")
        return names
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
        triggers = cursor.fetchall()
        for name, _definition in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        return [definition for _name, definition in triggers]
    return []


def _settle_foreign_key_checks(cursor):
    # PostgreSQL alters no table with deferred checks still queued on it (rows written earlier in the
    # same transaction): run them now, then defer again as Django's constraints are.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _restore_triggers(cursor, table: str, lifted: list[str]):
    if lifted and connection.vendor == "postgresql":
        _settle_foreign_key_checks(cursor)
    for item in lifted:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ENABLE TRIGGER "
                           f"{connection.ops.quote_name(item)}")
        else:
            cursor.execute(item)


def _insert(model, columns: list[str], rows: list[list]):
    fields = {f.attname: f for f in model._meta.concrete_fields}
    if sorted(columns) != sorted(fields):
        raise Refused(_("The backup's columns of %(table)s are not this database's; nothing was restored.")
                      % {"table": model._meta.label_lower}, code="backup_migrations")
    ordered = [fields[name] for name in columns]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in ordered)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(ordered))})")
    values = [[_decode(value) if _raw(field) else field.get_db_prep_save(_decode(value), connection)
               for field, value in zip(ordered, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
