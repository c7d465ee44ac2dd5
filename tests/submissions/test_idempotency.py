"""A double-clicked submit or a resent browser form makes exactly one application."""

from django.test import Client

from madoguchi.submissions.models import Submission
from tests import onestop


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_double_clicked_submit_makes_one_application(kyoto, resident, family) -> None:
    onestop.publish(kyoto)
    client = _client(resident)
    step = client.post(f"/procedures/{onestop.CODE}/apply/", {"form_token": "a"})["Location"]
    following = client.post(step, {"phone": "0752223111"})["Location"]
    check = client.post(following, {"members": [str(family[2].pk)], "insured": "yes"})["Location"]
    first, second = client.post(check), client.post(check)
    assert first["Location"] == second["Location"]
    assert Submission.objects.filter(status="submitted").count() == 1


def test_a_resent_apply_form_returns_the_same_application(kyoto, resident, family) -> None:
    onestop.publish(kyoto)
    client = _client(resident)
    apply = f"/procedures/{onestop.CODE}/apply/"
    step = client.post(apply, {"form_token": "token-1"})["Location"]
    following = client.post(step, {"phone": "0752223111"})["Location"]
    check = client.post(following, {"members": [str(family[2].pk)], "insured": "yes"})["Location"]
    submitted = client.post(check)["Location"]
    # The browser's back button and "resend": the same token shows the one application.
    assert client.post(apply, {"form_token": "token-1"})["Location"] == submitted
    assert Submission.objects.count() == 1
    # A new visit to the page (a new token) starts a new application.
    assert "/applications/draft/" in client.post(apply, {"form_token": "token-2"})["Location"]
    assert Submission.objects.count() == 2
