"""Settings for the test suite: production settings with test secrets and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "haven-tests-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("HAVEN_DATA_KEY", "dGVzdHMtb25seS1ub3QtYS1zZWNyZXQtMzItYnl0ZXM=")
os.environ.setdefault("HAVEN_SSL_REDIRECT", "0")

from haven.settings import *  # noqa: E402,F403
from haven.settings import STORAGES  # noqa: E402

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# No persistent connections: a live-server thread holding one would stop the test database
# from being dropped at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
