"""Test settings: the base settings with fast hashing and a private temporary var dir."""

import os
import tempfile

os.environ.setdefault("MADOGUCHI_ENV", "test")
os.environ.setdefault("MADOGUCHI_VAR_DIR", tempfile.mkdtemp(prefix="madoguchi-test-"))

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
