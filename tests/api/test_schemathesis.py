"""Schemathesis against the published OpenAPI document (/api/v1/openapi.json): every operation
the schema holds, whichever app adds it, is called with generated requests through the WSGI
application; no response may be a server error (5xx) or contradict the schema (status code,
content type, headers, body)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

EXAMPLES_PER_OPERATION = 60


def _fuzz(operation) -> tuple[int, str]:
    """Call one operation with generated requests: (requests made, the failure or "")."""
    calls = []

    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        calls.append(case)
        case.call_and_validate()

    try:
        call()
    except Exception as failure:  # reported with the operation's name
        return len(calls), f"{operation.label}: {failure}"
    return len(calls), ""


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The test's database connection holds its transaction; requests through the WSGI handler
    must not close it at their end, as Django's own test client arranges."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_api_operation_conforms_to_its_schema(
    kyoto, settings, capsys, wsgi_keeps_the_test_connection
) -> None:
    # The fuzzer is one client; the rate limits have their own tests.
    settings.MADOGUCHI_RATE_API = "1000000/m"
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    results = [_fuzz(result.ok()) for result in schema.get_all_operations()]
    failures = [failure for _, failure in results if failure]
    with capsys.disabled():
        print(
            f"\nschemathesis: {len(results)} operations, {sum(n for n, _ in results)} requests, "
            f"{len(failures)} failures"
        )
    assert len(results) >= 2
    assert failures == []


@pytest.mark.parametrize("path", ["/api/v1/procedures/", "/api/v1/openapi.json"])
def test_the_api_is_rate_limited_per_client(kyoto, settings, client, path) -> None:
    settings.MADOGUCHI_RATE_API = "3/d"
    statuses = [client.get(path).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(path)
    assert refused["Retry-After"] == "60"
    assert "しばらくしてから" in refused.json()["detail"]
