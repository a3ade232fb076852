import datetime as dt

import pytest
from django.utils import timezone

JAKARTA = dt.timezone(dt.timedelta(hours=7))


def at(y, m, d, h=10):
    """An aware moment in Asia/Jakarta."""
    return dt.datetime(y, m, d, h, tzinfo=JAKARTA)


@pytest.fixture
def today():
    return timezone.localdate()
