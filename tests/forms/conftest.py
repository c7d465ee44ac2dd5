from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def japanese() -> Iterator[None]:
    """Messages built outside a request use the active language; an English page requested by
    an earlier test in this thread must not leak into these."""
    with translation.override("ja"):
        yield
