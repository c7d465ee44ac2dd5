import pytest
from django.test import Client


@pytest.fixture
def resident_client(resident) -> Client:
    """The demo resident (山田 太郎), logged in."""
    client = Client()
    client.force_login(resident)
    return client
