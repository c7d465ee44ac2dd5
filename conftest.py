"""Fixtures shared by every test: Kyoto City loaded, a family, staff, a real SMTP server."""

import datetime as dt
import email
import email.policy
import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from tests import factories
from tests.idp import LoopbackIdP
from tests.support import free_port

from madoguchi.demo import kyoto as kyoto_data
from madoguchi.organizations.models import Municipality
from madoguchi.residents.models import Person

R = Person.Relationship
M, F = Person.Sex.MALE, Person.Sex.FEMALE


@pytest.fixture(scope="session", autouse=True)
def signing_certificate() -> None:
    """The demo CA and signing certificate, made once per run in the test var dir."""
    from django.conf import settings

    from madoguchi.issuance import demo_ca

    cert = Path(settings.MADOGUCHI_SIGNING_CERT)
    if not cert.exists():
        demo_ca.create(cert.parent)


@pytest.fixture
def kyoto(db: None) -> Municipality:
    municipality = kyoto_data.load_organization()
    kyoto_data.load_catalog(municipality)
    return municipality


@pytest.fixture
def family(kyoto: Municipality) -> list[Person]:
    """The 山田 family of 中京区: father (head), mother, a child."""
    return factories.household(
        kyoto,
        "nakagyo",
        [
            ("山田", "太郎", "ヤマダ", "タロウ", R.HEAD, dt.date(1985, 4, 1), M),
            ("山田", "花子", "ヤマダ", "ハナコ", R.SPOUSE_WIFE, dt.date(1987, 9, 15), F),
            ("山田", "一郎", "ヤマダ", "イチロウ", R.CHILD, dt.date(2019, 5, 1), M),
        ],
    )


@pytest.fixture
def neighbour(kyoto: Municipality) -> list[Person]:
    """The 鈴木 household of 中京区, someone else's records."""
    return factories.household(
        kyoto, "nakagyo", [("鈴木", "次郎", "スズキ", "ジロウ", R.HEAD, dt.date(1970, 1, 20), M)]
    )


@pytest.fixture
def resident(family: list[Person]):
    return factories.resident_user(family[0])


@pytest.fixture
def other_resident(neighbour: list[Person]):
    return factories.resident_user(neighbour[0])


@pytest.fixture
def clerk(kyoto: Municipality):
    """A clerk of 中京区役所 市民窓口課, where the 山田 family's applications go."""
    return factories.staff_user(kyoto, "nakagyo-clerk", "nakagyo-citizen-services")


@pytest.fixture
def approver(kyoto: Municipality):
    """A 決裁者 (係長) of 中京区役所 市民窓口課: signs off what the clerk drafts."""
    return factories.staff_user(
        kyoto, "nakagyo-approver", "nakagyo-citizen-services", role="approver"
    )


@pytest.fixture
def other_ward_clerk(kyoto: Municipality):
    return factories.staff_user(kyoto, "kita-clerk", "kita-citizen-services")


class _Collector:
    """What the loopback SMTP server received, decoded as a mail client would show it."""

    def __init__(self) -> None:
        self.messages: list = []

    def decoded(self, index: int) -> tuple[str, str]:
        mail = email.message_from_bytes(self.messages[index].content, policy=email.policy.default)
        # Folding can leave a leading space, which mail clients do not show.
        return str(mail["Subject"]).strip(), mail.get_body(preferencelist=("plain",)).get_content()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(settings) -> Iterator[_Collector]:
    """A real SMTP server on loopback; the app sends to it through Django's SMTP backend."""
    # aiosmtpd logs each connection from its own thread, which may outlive the test's captured
    # stream ("--- Logging error ---"); its warnings still show.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    collector = _Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _seeded_by_migrations(request: pytest.FixtureRequest) -> None:
    """Rows that migrations seed (the open data licences) are gone once a transactional test has
    flushed the database; every test that uses the database finds them, as production does."""
    for name in ("db", "transactional_db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
    if not (
        request.node.get_closest_marker("django_db")
        or {"db", "transactional_db"} & set(request.fixturenames)
    ):
        return
    from madoguchi.opendata import licenses
    from madoguchi.opendata.models import License

    if not License.objects.exists():
        licenses.seed(License)


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request to /en/ leaves English active in the test's thread; code run afterwards in that
    thread (a task, a reverse()) must not inherit it. Every test starts and ends in Japanese."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(scope="session")
def _idp_server() -> Iterator[LoopbackIdP]:
    from django.conf import settings

    config = settings.MADOGUCHI_OIDC_PROVIDERS["test-idp"]
    server = LoopbackIdP(
        int(os.environ["MADOGUCHI_TEST_IDP_PORT"]),
        client_id=config["client_id"],
        client_secret=config["client_secret"],
    )
    yield server
    server.stop()


@pytest.fixture
def idp(_idp_server: LoopbackIdP) -> Iterator[LoopbackIdP]:
    """The loopback OpenID Connect provider (panva/oidc-provider), behaving well."""
    _idp_server.tamper("none")
    yield _idp_server
    _idp_server.tamper("none")
