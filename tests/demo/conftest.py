import pytest


@pytest.fixture(autouse=True)
def _debug_on(settings):
    """seed_demo refuses to run with DEBUG off (pytest-django turns it off); the demo is a DEBUG tool."""
    settings.DEBUG = True
