"""Fixtures shared with other test folders."""

from tests.workbook.conftest import book  # noqa: F401 (a fixture: builds a standard workbook)
