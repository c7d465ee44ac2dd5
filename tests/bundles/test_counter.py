"""書かない窓口 for bundles: the clerk starts 出生 for the resident found in the registry, asks
only what is missing; one confirmation makes every application, each staff-assisted."""

import pytest

from madoguchi.audit.models import AuditEntry
from madoguchi.bundles.models import BundleApplication
from madoguchi.cases.models import Case
from madoguchi.demo.bundles import load_bundles
from madoguchi.submissions.models import Submission
from tests.flows import staff_client

from .flows import birth_steps


@pytest.fixture
def bundles(kyoto):
    return load_bundles(kyoto)


def test_the_counter_starts_a_bundle_and_submits_it_once(bundles, clerk, resident, family) -> None:
    counter = staff_client(clerk)
    page = counter.get(f"/staff/counter/people/{family[0].pk}/").content.decode()
    assert "子どもが生まれたとき（出生）" in page
    url = counter.post(f"/staff/counter/people/{family[0].pk}/life-events/birth/start/")["Location"]
    steps = birth_steps(family)
    asked = []
    while not url.endswith("/confirm/"):
        key = url.rstrip("/").split("/")[-1]
        asked.append(key)
        page = counter.get(url).content.decode()
        if key == "account":  # the registry holds the name in kana: shown, not asked
            assert "市が保有する情報から入力しました" in page
            assert 'name="account_holder_kana"' not in page
        response = counter.post(url, steps[key])
        assert response.status_code == 302, response.content.decode()
        url = response["Location"]
    assert asked == ["children", "claimant", "account", "contact", "insurance", "nhi"]

    refused = counter.post(url, {})
    assert "申請者ご本人に内容を確認していただき" in refused.content.decode()
    done = counter.post(url, {"confirmed": "on"})["Location"]
    page = counter.get(done).content.decode()
    submissions = Submission.objects.filter(status="submitted")
    assert submissions.count() == 3
    for submission in submissions:
        assert submission.reference in page
        assert submission.channel == Submission.Channel.COUNTER
        assert submission.assisted_by == clerk
        assert submission.applicant == resident
        entry = AuditEntry.objects.get(
            action="submit", target_type="submissions.submission", target_id=str(submission.pk)
        )
        assert entry.actor_id == clerk.pk
    assert Case.objects.count() == 3
    # A resent confirmation makes nothing twice.
    assert counter.post(url, {"confirmed": "on"})["Location"] == done
    assert Submission.objects.filter(status="submitted").count() == 3
    # The resident sees the bundle online too.
    application = BundleApplication.objects.get()
    assert application.assisted_by == clerk
    resident_page = staff_client(resident).get(f"/life-events/applications/{application.uuid}/")
    assert submissions.first().reference in resident_page.content.decode()


def test_only_the_clerk_who_started_it_reaches_a_counter_bundle(
    bundles, clerk, other_ward_clerk, family
) -> None:
    counter = staff_client(clerk)
    url = counter.post(f"/staff/counter/people/{family[0].pk}/life-events/birth/start/")["Location"]
    assert staff_client(other_ward_clerk).get(url).status_code == 404
