import pytest

from pkk.celery import app as celery_app
from tests.builders import build_tree

# Browser fixtures (page, login, url, e2e_tree ...) for test modules in every folder.
pytest_plugins = ["tests.e2e.fixtures"]


@pytest.fixture
def tree(db):
    """A small kabupaten: see tests/builders.py for its shape and names."""
    return build_tree()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request):
    """Tests run Celery tasks in-process, except those marked ``celery_worker`` (a real worker + Redis)."""
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    old = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = old


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Export files and uploads written by tests go to a temporary folder, not the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _private_media_in_tmp(settings, tmp_path):
    """Uploaded photos and scans (pkk/photos.py) written by tests go to a temporary folder."""
    settings.PKK_PRIVATE_MEDIA_ROOT = tmp_path / "media-private"
    settings.PKK_STORAGE_BACKEND = "local"
