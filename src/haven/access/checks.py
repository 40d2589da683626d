from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from . import vault


@register(Tags.security, deploy=False)
def check_vault_keys(app_configs, **kwargs):
    try:
        vault.keyring()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint="Generate a key with `haven vault keygen`.", id="haven.E001")]
    return []
