"""Every test in this folder is a browser test (marker ``e2e``); the fixtures are in ``fixtures.py``."""

from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
