import pytest

from tests.builders import TREE, build_units


@pytest.fixture
def units(db):
    """The Purworejo test tree of tests/builders.py, without users: {key: Unit}."""
    return build_units(TREE)
