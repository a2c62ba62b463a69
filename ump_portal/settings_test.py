"""Settings for the test suite: the production settings with a fast hasher.

The database still comes from `DATABASE_URL` (SQLite by default), so the same
suite runs against PostgreSQL in CI.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client speaks plain HTTP; tests of the redirect turn it on themselves.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from ump_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Client.login() authenticates without a request, which django-axes refuses;
# tests/test_login_protection.py turns axes on for itself.
AXES_ENABLED = False
