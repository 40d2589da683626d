import pytest
from django.core.exceptions import ImproperlyConfigured

from haven.access import vault

OTHER_KEY = vault.generate_key()


def test_encryption_round_trips_and_is_bound_to_its_column():
    sealed = vault.encrypt("Ana María", "cases.person.family_name")
    assert sealed.startswith(f"hv1:{vault.primary().kid}:") and "Ana" not in sealed
    assert vault.decrypt(sealed, "cases.person.family_name") == "Ana María"
    assert vault.encrypt("Ana María", "x") != vault.encrypt("Ana María", "x")  # random nonce
    with pytest.raises(vault.VaultError):
        vault.decrypt(sealed, "cases.person.given_names")


def test_tampering_is_detected():
    sealed = vault.encrypt("secret", "c")
    raw = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(vault.VaultError):
        vault.decrypt(raw, "c")


def test_lengths_are_padded():
    assert len(vault.encrypt("Li", "c")) == len(vault.encrypt("Maximiliana", "c"))


def test_first_key_encrypts_every_key_decrypts(settings):
    old = vault.encrypt("before", "c")
    settings.HAVEN_DATA_KEY = f"{OTHER_KEY},{settings.HAVEN_DATA_KEY}"
    new = vault.encrypt("after", "c")
    assert vault.key_id(new) != vault.key_id(old)
    assert vault.decrypt(old, "c") == "before" and vault.decrypt(new, "c") == "after"
    assert vault.needs_rotation(old) and not vault.needs_rotation(new)
    settings.HAVEN_DATA_KEY = OTHER_KEY
    with pytest.raises(vault.VaultError, match="does not hold"):
        vault.decrypt(old, "c")


def test_bad_keys_are_refused(settings):
    for bad in ["", "short", "not base64 at all!!" * 3]:
        settings.HAVEN_DATA_KEY = bad
        with pytest.raises(ImproperlyConfigured):
            vault.keyring()


def test_names_are_normalised_for_the_blind_index():
    assert vault.normalise_name("  Ana-MARÍA o'Brien ") == ["ana", "maria", "o", "brien"]
    assert vault.blind_index("ana") == vault.blind_index("ana") != vault.blind_index("anna")
