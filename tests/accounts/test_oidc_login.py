"""Residents log in through a real, independent OpenID Connect provider on loopback
(panva/oidc-provider, tests/oidc/provider.mjs): the authorization-code flow with PKCE, state and
nonce, the ID token's signature and claims checked, key rotation, level of assurance and
step-up, and the account linked to the registry only through verified claims."""

import pytest
from django.test import Client

from madoguchi.accounts.models import ExternalIdentity, User
from madoguchi.submissions.models import Submission
from tests import flows
from tests.idp import LoopbackIdP, claims_for, path_of
from tests.support import free_port

START = "/accounts/login/oidc/test-idp/"


def _login(
    client: Client, idp: LoopbackIdP, login: str, *, method: str = "card", start: str = START
):
    """Press the login button, sign in at the provider, come back: the callback's response."""
    authorize = client.get(start)
    assert authorize.status_code == 302, authorize
    callback = idp.sign_in(authorize["Location"], login, method=method)
    return client.get(path_of(callback))


@pytest.fixture
def yamada(idp: LoopbackIdP, family) -> str:
    idp.set_accounts({"yamada": claims_for(family[0]), "stranger": {"name": "名無し 権兵衛"}})
    return "yamada"


def test_a_resident_logs_in_with_the_card_and_applies(idp, yamada, family) -> None:
    client = Client()
    authorize = client.get(f"{START}?next=/procedures/juminhyo-copy/")
    location = authorize["Location"]
    # Authorization-code flow with PKCE (S256), state and nonce.
    assert location.startswith(f"{idp.issuer}/auth?")
    for parameter in ("response_type=code", "code_challenge_method=S256", "state=", "nonce="):
        assert parameter in location
    response = client.get(path_of(idp.sign_in(location, yamada)))
    assert response.status_code == 302
    assert response["Location"] == "/procedures/juminhyo-copy/"
    user = User.objects.get(identities__subject="yamada")
    # Linked to the registry from the verified name, birth date and address.
    assert user.person == family[0]
    assert user.kind == User.Kind.RESIDENT
    assert "山田" not in user.username
    reference = flows.apply_juminhyo(client, family[:1])
    assert Submission.objects.get(reference=reference).applicant == user


def test_a_second_login_finds_the_same_account(idp, yamada, family) -> None:
    _login(Client(), idp, yamada)
    _login(Client(), idp, yamada)
    assert User.objects.filter(kind="resident").count() == 1
    assert ExternalIdentity.objects.count() == 1


def test_an_existing_account_of_the_person_is_used(idp, yamada, resident) -> None:
    _login(Client(), idp, yamada)
    assert ExternalIdentity.objects.get().user == resident


def test_unverified_or_different_claims_do_not_link_a_person(idp, family) -> None:
    idp.set_accounts(
        {
            "other-birthday": claims_for(family[0], birthdate="1985-04-02"),
            "no-address": {"name": "山田 太郎", "birthdate": "1985-04-01"},
        }
    )
    for login in ("other-birthday", "no-address"):
        client = Client()
        response = _login(client, idp, login)
        assert response.status_code == 302
        user = User.objects.get(identities__subject=login)
        assert user.person is None
        page = client.get(response["Location"]).content.decode()
        assert "住民記録との照合ができなかったため" in page


def test_a_provider_that_does_not_verify_claims_never_links(idp, yamada, settings) -> None:
    settings.MADOGUCHI_OIDC_PROVIDERS = {
        "test-idp": {**settings.MADOGUCHI_OIDC_PROVIDERS["test-idp"], "verified_claims": False}
    }
    _login(Client(), idp, yamada)
    assert User.objects.get(identities__subject="yamada").person is None


def _refused(response, client: Client) -> None:
    assert response.status_code == 400
    assert "ログインできませんでした" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(kind="resident").exists()


def test_a_wrong_state_is_refused(idp, yamada) -> None:
    client = Client()
    authorize = client.get(START)
    callback = idp.sign_in(authorize["Location"], yamada)
    state = callback.split("state=")[1].split("&")[0]
    forged = path_of(callback).replace(state, "forged-state")
    _refused(client.get(forged), client)
    # Nor can the code be used from another browser, which has no such state.
    _refused(Client().get(path_of(callback)), Client())


@pytest.mark.parametrize("mode", ["wrong-nonce", "expired", "bad-signature"])
def test_a_tampered_id_token_is_refused(idp, yamada, mode) -> None:
    idp.tamper(mode)
    client = Client()
    _refused(_login(client, idp, yamada), client)


def test_the_provider_rotating_its_keys(idp, yamada) -> None:
    assert _login(Client(), idp, yamada).status_code == 302
    idp.rotate_keys()
    # The new key id is not in the cached JWKS: it is fetched again, and the login works.
    assert _login(Client(), idp, yamada).status_code == 302


def test_a_provider_that_is_down_loses_nothing(idp, yamada, resident, family, settings) -> None:
    client = Client()
    client.force_login(resident)
    draft_url = flows.start(client)
    client.post(draft_url, {"members": [str(family[0].pk)]})
    draft = Submission.objects.get()
    # A provider with nothing listening: the resident is told in their language.
    down = {
        **settings.MADOGUCHI_OIDC_PROVIDERS["test-idp"],
        "issuer": f"http://127.0.0.1:{free_port()}",
    }
    settings.MADOGUCHI_OIDC_PROVIDERS = {"test-idp": down}
    response = Client().get(START)
    assert response.status_code == 503
    page = response.content.decode()
    assert "ログインサービス（テスト用IdP（マイナンバーカード））に接続できませんでした" in page
    assert "入力中の申請は保存されています" in page
    english = Client().get(f"/en{START}").content.decode()
    assert "could not reach" in english.lower()
    draft.refresh_from_db()
    assert draft.answers["members"] == [str(family[0].pk)]
    assert draft.is_draft


def test_a_provider_going_down_during_the_login(idp, yamada, family, settings) -> None:
    """The provider answers the start, then goes away before the code is exchanged."""
    config = settings.MADOGUCHI_OIDC_PROVIDERS["test-idp"]
    flaky = LoopbackIdP(
        free_port(), client_id=config["client_id"], client_secret=config["client_secret"]
    )
    try:
        flaky.set_accounts({"yamada": claims_for(family[0])})
        settings.MADOGUCHI_OIDC_PROVIDERS = {"test-idp": {**config, "issuer": flaky.issuer}}
        client = Client()
        callback = flaky.sign_in(client.get(START)["Location"], "yamada")
    finally:
        flaky.stop()
    response = client.get(path_of(callback))
    assert response.status_code == 503
    assert "接続できませんでした" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_cancelling_at_the_provider(idp, yamada) -> None:
    client = Client()
    client.get(START)
    keys = [key for key, _value in client.session.items()]
    state = next(k for k in keys if k.startswith("madoguchi_oidc_")).split("_", 2)[2]
    response = client.get(
        f"/accounts/login/oidc/test-idp/callback/?error=access_denied&state={state}"
    )
    assert response.status_code == 400
    assert "ログインが取り消されました" in response.content.decode()


def test_a_password_login_must_step_up_for_a_card_procedure(idp, yamada, family) -> None:
    client = Client()
    assert _login(client, idp, yamada, method="password").status_code == 302
    # 住民票の写し needs the My Number card (high); a password login (low) is sent to log in again.
    response = client.post("/procedures/juminhyo-copy/apply/")
    assert response.status_code == 302
    login_page = client.get(response["Location"]).content.decode()
    assert "本人確認のレベル「高（マイナンバーカード）」でのログインが必要です" in login_page
    assert "デモ用ログイン" in login_page  # the demo stands in for the card
    step_up = (
        "/accounts/login/oidc/test-idp/?next=%2Fprocedures%2Fjuminhyo-copy%2F&amp;assurance=high"
    )
    assert step_up in login_page
    authorize = client.get(step_up.replace("&amp;", "&"))["Location"]
    assert "acr_values=urn%3Amadoguchi%3Atest%3Amynumber-card" in authorize
    assert "prompt=login" in authorize
    # Logging in again with a password does not reach the level.
    refused = client.get(path_of(idp.sign_in(authorize, yamada, method="password")))
    assert refused.status_code == 403
    # With the card it does, and the application starts.
    authorize = client.get(step_up.replace("&amp;", "&"))["Location"]
    back = client.get(path_of(idp.sign_in(authorize, yamada, method="card")))
    assert back["Location"] == "/procedures/juminhyo-copy/"
    assert client.post("/procedures/juminhyo-copy/apply/")["Location"].startswith(
        "/applications/draft/"
    )
