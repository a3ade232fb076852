"""Settings for the test suite: the production settings with DEBUG defaulting to on (development key,
local hosts), as `make run` has. Everything else, including DATABASE_URL and CELERY_BROKER_URL, comes from
the environment as in ``pkk.settings``, except that the development tools (``bench``, ``demo``) are always
installed: the tests use the demo generator and the seed commands even with DEBUG=0 in the environment.
Tests that check production behaviour start a subprocess with DJANGO_SETTINGS_MODULE=pkk.settings and
DEBUG=0."""

import os

os.environ.setdefault("DEBUG", "1")

from pkk.settings import *  # noqa: E402,F403

INSTALLED_APPS += [app for app in DEV_TOOLS if app not in INSTALLED_APPS]  # noqa: F405
