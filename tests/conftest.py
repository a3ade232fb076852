import pytest

from tests.builders import build_tree


@pytest.fixture
def tree(db):
    """A small kabupaten: see tests/builders.py for its shape and names."""
    return build_tree()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
