"""The identity vault's cryptography: authenticated encryption and keyed blind indexes.

``HAVEN_DATA_KEY`` holds one or more master keys, comma-separated, each URL-safe base64 of at
least 32 random bytes (``haven vault keygen`` prints one). The first key encrypts; every key
decrypts, so a key is rotated by putting a new key first, running ``haven vault rotate`` and,
once it reports nothing left, removing the old key.

From each master key HKDF derives two independent keys: one for AES-256-GCM (the cipher text
names the key it was made with, so decryption never guesses) and one for HMAC-SHA256 blind
indexes (equality search on normalised names without decrypting anything). Cipher texts are
bound to their column (associated data), so a value copied into another column does not
decrypt, and plaintexts are padded to a multiple of 32 bytes so that lengths leak little.
"""

import base64
import binascii
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "hv1"
PAD = 32
NONCE_BYTES = 12


class VaultError(Exception):
    """A cipher text that cannot be decrypted: unknown key, tampered, or not a vault value."""


@dataclass(frozen=True)
class VaultKey:
    kid: str  # 8 hex characters naming the key inside every cipher text
    cipher: AESGCM
    index_key: bytes


def _derive(material: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"haven-vault", info=info).derive(material)


def parse_key(text: str) -> bytes:
    text = text.strip()
    try:
        material = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured("HAVEN_DATA_KEY: a key is not URL-safe base64") from None
    if len(material) < 32:
        raise ImproperlyConfigured("HAVEN_DATA_KEY: each key needs at least 32 random bytes")
    return material


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


@lru_cache(maxsize=8)
def _keyring(setting: str) -> tuple[VaultKey, ...]:
    keys = []
    for text in (part for part in setting.split(",") if part.strip()):
        material = parse_key(text)
        kid = hashlib.sha256(_derive(material, b"key id")).hexdigest()[:8]
        keys.append(VaultKey(kid, AESGCM(_derive(material, b"encryption")), _derive(material, b"blind index")))
    if not keys:
        raise ImproperlyConfigured("HAVEN_DATA_KEY is empty")
    if len({key.kid for key in keys}) != len(keys):
        raise ImproperlyConfigured("HAVEN_DATA_KEY lists the same key twice")
    return tuple(keys)


def keyring() -> tuple[VaultKey, ...]:
    return _keyring(settings.HAVEN_DATA_KEY)


def primary() -> VaultKey:
    return keyring()[0]


def encrypt(plaintext: str, context: str) -> str:
    """Encrypt ``plaintext`` for the column named by ``context`` (e.g. ``cases.person.family_name``)."""
    key = primary()
    data = plaintext.encode("utf-8")
    data += b" " * (-len(data) % PAD)
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.cipher.encrypt(nonce, data, context.encode("utf-8"))
    return f"{PREFIX}:{key.kid}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"


def key_id(ciphertext: str) -> str | None:
    parts = ciphertext.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt(ciphertext: str, context: str) -> str:
    kid = key_id(ciphertext)
    if kid is None:
        raise VaultError("not a vault cipher text")
    key = next((k for k in keyring() if k.kid == kid), None)
    if key is None:
        raise VaultError(f"cipher text made with key {kid}, which HAVEN_DATA_KEY does not hold")
    try:
        raw = base64.urlsafe_b64decode(ciphertext.split(":", 2)[2])
        data = key.cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except (InvalidTag, binascii.Error, ValueError):
        raise VaultError("cipher text does not authenticate (tampered, or moved from another column)") from None
    return data.decode("utf-8").rstrip(" ")


def needs_rotation(ciphertext: str | None) -> bool:
    return bool(ciphertext) and key_id(ciphertext) != primary().kid


# --- blind indexes -----------------------------------------------------------------------

_NOT_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str) -> list[str]:
    """Name tokens as searched: no accents, case-folded, punctuation split, e.g. ``"Ana-María"`` →
    ``["ana", "maria"]``."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return [token for token in _NOT_WORD.split(plain.replace("_", " ")) if token]


def blind_index(token: str, key: VaultKey | None = None, purpose: str = "name") -> str:
    key = key or primary()
    return hmac.new(key.index_key, f"{purpose}\x00{token}".encode(), hashlib.sha256).hexdigest()[:32]


def blind_index_candidates(token: str, purpose: str = "name") -> list[str]:
    """The token's index under every key: a search still finds rows not yet rotated."""
    return [blind_index(token, key, purpose) for key in keyring()]
