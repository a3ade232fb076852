import pytest
from django.test import Client


@pytest.fixture
def as_user():
    """``as_user(user)`` -> a Client logged in as that user."""

    def _client(user):
        c = Client()
        c.force_login(user)
        return c

    return _client
