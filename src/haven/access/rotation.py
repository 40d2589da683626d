"""Re-encrypt the identity vault under the primary key, in small batches, while Haven runs.

Each batch is its own short transaction and each row is rewritten only if it still holds the
cipher text that was read (``UPDATE … WHERE pk = … AND column = old``), so a concurrent edit is
never overwritten: it was already written under the primary key. Searches keep working during
the rotation because they look a name up under every key (``vault.blind_index_candidates``).
"""

from collections import Counter

from django.apps import apps
from django.db import connection, transaction

from . import vault
from .fields import encrypted_fields

# What must be rebuilt once values are under the primary key (blind indexes, keyed digests): each
# app that keeps such a thing plugs it in from ``AppConfig.ready()`` (persons: its name index).
_REINDEXERS: dict = {}


def register_reindexer(name: str, reindex) -> None:
    """``reindex(batch) -> int`` runs after every rotation; the report shows its count under ``name``."""
    _REINDEXERS[name] = reindex


def vault_models():
    return [model for model in apps.get_models() if encrypted_fields(model)]


def _batches(model, batch: int):
    qn = connection.ops.quote_name
    fields = encrypted_fields(model)
    pk = model._meta.pk.column
    columns = ", ".join(qn(f.column) for f in fields)
    last = None
    while True:
        where = f"WHERE {qn(pk)} > %s " if last is not None else ""
        sql = f"SELECT {qn(pk)}, {columns} FROM {qn(model._meta.db_table)} {where}ORDER BY {qn(pk)} LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch] if last is not None else [batch])
            rows = cursor.fetchall()
        if not rows:
            return
        yield fields, rows
        last = rows[-1][0]


def status() -> dict[str, Counter]:
    """``{model label: Counter(key id → values)}``."""
    report = {}
    for model in vault_models():
        counter = Counter()
        for _, rows in _batches(model, 2000):
            for row in rows:
                counter.update(vault.key_id(value) for value in row[1:] if value)
        report[model._meta.label] = counter
    return report


def rotate(batch: int = 500, progress=None) -> dict[str, int]:
    """Re-encrypt every value not under the primary key; return how many values per model."""
    qn = connection.ops.quote_name
    primary = vault.primary().kid
    report = {}
    for model in vault_models():
        table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
        done = 0
        for fields, rows in _batches(model, batch):
            with transaction.atomic(), connection.cursor() as cursor:
                for row in rows:
                    for field, value in zip(fields, row[1:], strict=True):
                        if not value or vault.key_id(value) == primary:
                            continue
                        context = field.context()
                        fresh = vault.encrypt(vault.decrypt(value, context), context)
                        column = qn(field.column)
                        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",  # noqa: S608
                                       [fresh, row[0], value])
                        done += cursor.rowcount
            if progress:
                progress(model._meta.label, done)
        report[model._meta.label] = done
    for name, reindex in _REINDEXERS.items():
        report[name] = reindex(batch)
    return report
