"""Fixtures shared with other test folders."""

from tests.reporting_show.conftest import media, seeded  # noqa: F401 (fixtures: stored rekap, media folder)
from tests.security.test_write_sweep import world  # noqa: F401,E402 (a fixture: Mawar plus what writes need)
from tests.test_url_walk import mawar  # noqa: F401 (a fixture: Mawar's objects, one of each kind)
from tests.workbook.conftest import book  # noqa: F401 (a fixture: builds a standard workbook)
