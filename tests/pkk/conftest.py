import pytest
from django.test import Client


@pytest.fixture
def login(tree):
    """``login("desa")`` -> a test Client logged in as that persona."""

    def _login(persona: str) -> Client:
        # force_login: Client.login() passes no request, which the axes backend refuses.
        client = Client()
        client.force_login(getattr(tree, persona))
        return client

    return _login
