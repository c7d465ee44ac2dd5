"""Who may use which URL: one row per URL name (and method), for every page and API endpoint.

``test_permission_matrix`` walks Django's URL resolver (pages, /api/v1/ and whatever is added
later) and fails on any URL name that has no row here. To add an endpoint: add one ``Row`` with
the roles that may use it, the URL's arguments taken from the test world (``World`` in
test_permission_matrix.py), and the method and form data when it is not a plain GET.

Allowed means the request is served (2xx, or a redirect that is not to a login page); denied
means a redirect to a login page, 400, 401, 403 or 404. ``reveals`` names text (from the world) that
only the given roles may see in the response, for pages everyone may open but that show each
role only their own records.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from madoguchi.bundles import services as bundles
from madoguchi.bundles.models import Bundle, BundleApplication
from madoguchi.demo.bundles import load_bundles

ANONYMOUS = "anonymous"
RESIDENT_A = "resident A (the applicant)"
RESIDENT_B = "resident B (a neighbour)"
CLERK = "clerk of the case's section"
OTHER_CLERK = "clerk of another section"
APPROVER = "決裁者 of the case's section"
ADMIN = "administrator"
FOREIGN_STAFF = "staff of another municipality"

ROLES = [ANONYMOUS, RESIDENT_A, RESIDENT_B, CLERK, OTHER_CLERK, APPROVER, ADMIN, FOREIGN_STAFF]
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()
RESIDENTS = frozenset({RESIDENT_A, RESIDENT_B})
STAFF = frozenset({CLERK, OTHER_CLERK, APPROVER, ADMIN, FOREIGN_STAFF})
CASE_HANDLERS = frozenset({CLERK, APPROVER})
HOME_STAFF = STAFF - {FOREIGN_STAFF}

Kwargs = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    name: str  # the URL name; "admin:*" covers every URL of the admin site
    allow: frozenset[str]
    kwargs: Kwargs = lambda world: {}
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    query: str = ""
    reveals: tuple[Callable[[Any], str], frozenset[str]] | None = None
    # A page that answers everyone with a redirect (logout): any redirect counts as served.
    redirects_everyone: bool = False
    content_type: str = ""  # "application/json" sends ``data`` as JSON
    # Other statuses that mean the request got past the permission check (a 422 that reports
    # the answers, from an endpoint that checks who asks first).
    served: tuple[int, ...] = ()


def _draft(world: Any) -> dict[str, Any]:
    return {"draft": world.draft.uuid}


def _open_data_file() -> dict[str, Any]:
    """A public dataset's uploaded file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from madoguchi.opendata import services

    org = services.save_organization({"name": "matrix-org", "title": "組織"})
    dataset = services.save_dataset(None, {"name": "matrix-data", "owner_org": org.name})
    upload = SimpleUploadedFile("data.txt", b"hello", content_type="text/plain")
    resource = services.save_resource(None, {"package_id": dataset.name}, upload)
    return {"dataset_id": dataset.id, "resource_id": resource.id, "filename": "data.txt"}


def _procedure(world: Any) -> dict[str, Any]:
    return {"procedure_id": world.case.procedure_id}


def _reference(world: Any) -> dict[str, Any]:
    return {"reference": world.reference}


def _bundle_draft(world: Any) -> Any:
    """Resident A's draft of the 出生 bundle (started once, then resumed)."""
    resident = world.users[RESIDENT_A]
    if not Bundle.objects.exists():
        load_bundles(resident.municipality)
    birth = Bundle.objects.get(slug="birth")
    return bundles.start(applicant=resident, bundle=birth, language="ja")


def _counter_bundle(world: Any) -> Any:
    """The 出生 bundle the case's clerk started at the counter for resident A."""
    _bundle_draft(world)
    return bundles.start(
        applicant=world.users[RESIDENT_A],
        bundle=Bundle.objects.get(slug="birth"),
        language="ja",
        assisted_by=world.users[CLERK],
    )


def _bundle_submitted(world: Any) -> dict[str, Any]:
    """Resident A's submitted 出生 bundle: three applications in three sections."""
    done = BundleApplication.objects.filter(status="submitted").first()
    if done is None:
        draft = _bundle_draft(world)
        members = [str(p.pk) for p in draft.person.household.members.all()]
        bundles.save_step(
            draft,
            "all",
            {
                "children": members[-1:],
                "pension": "national",
                "bank_name": "京都銀行",
                "branch_name": "本店",
                "account_type": "ordinary",
                "account_number": "1234567",
                "account_holder_kana": "ヤマダ タロウ",
                "phone": "075-222-3111",
                "insured": "yes",
                "nhi_members": members[-1:],
                "nhi_reason": "birth",
                "nhi_since": "令和7年4月1日",
            },
        )
        done = bundles.submit(draft)
    return {"application": done.uuid}


KYOTO_STAFF = frozenset({CLERK, OTHER_CLERK, APPROVER, ADMIN})


def _open_data(world: Any) -> dict[str, Any]:
    """A public dataset of a Kyoto bureau with one CSV file (made on first use, so that the
    world stays as it is for the other rows)."""
    from django.core.files.base import ContentFile

    from madoguchi.opendata import services
    from madoguchi.opendata.models import Dataset, Organization
    from madoguchi.organizations.models import OrgUnit

    dataset = Dataset.objects.filter(name="matrix-shelters").first()
    if dataset is None:
        unit = OrgUnit.objects.get(code="sogo-kikaku")
        org = services.save_organization({"name": "sogo-kikaku", "title": unit.name_ja})
        Organization.objects.filter(pk=org.pk).update(unit=unit)
        dataset = services.save_dataset(
            None, {"name": "matrix-shelters", "title": "避難場所（権限表）", "owner_org": org.name}
        )
        services.save_resource(
            None,
            {"package_id": str(dataset.id), "name": "shelters.csv"},
            ContentFile(b"a,b\r\n1,2\r\n", name="shelters.csv"),
        )
    return {"name": dataset.name}


def _with_open_data(world: Any) -> dict[str, Any]:
    _open_data(world)
    return {}


def _open_data_organization(world: Any) -> dict[str, Any]:
    _open_data(world)
    return {"name": "sogo-kikaku"}


def _open_data_resource(world: Any) -> dict[str, Any]:
    from madoguchi.opendata.models import Resource

    name = _open_data(world)["name"]
    return {"name": name, "resource_id": str(Resource.objects.get(dataset__name=name).id)}


ROWS = [
    # The catalog and logins are public.
    Row("portal:home", EVERYONE),
    Row("portal:procedures", EVERYONE),
    Row("portal:procedure", EVERYONE, lambda w: {"code": "juminhyo-copy"}),
    Row("accounts:resident-login", EVERYONE),
    Row("accounts:staff-login", EVERYONE),
    Row("accounts:demo-login", EVERYONE),
    Row("accounts:oidc-start", EVERYONE, lambda w: {"key": "test-idp"}),
    # Without the state its start left in this browser's session, no callback is accepted.
    Row("accounts:oidc-callback", NOBODY, lambda w: {"key": "test-idp"}, query="code=x&state=y"),
    Row("accounts:logout", EVERYONE, method="POST", redirects_everyone=True),
    # The second factor: staff who passed it are sent on; the QR code exists only while an
    # authenticator is being set up, which no role of the world is doing.
    Row("accounts:staff-otp", STAFF),
    Row("accounts:staff-otp-qr", NOBODY),
    # A resident's own records.
    Row("portal:apply", RESIDENTS, lambda w: {"code": "juminhyo-copy"}, method="POST"),
    Row("portal:applications", RESIDENTS, reveals=(lambda w: w.reference, {RESIDENT_A})),
    Row("portal:step", {RESIDENT_A}, lambda w: {"draft": w.draft.uuid, "step": "whom"}),
    Row("portal:check", {RESIDENT_A}, _draft),
    Row("portal:attachment", {RESIDENT_A}, lambda w: {"attachment": w.attachment.pk}),
    Row("portal:submitted", {RESIDENT_A}, _reference),
    Row("portal:application", {RESIDENT_A}, _reference),
    Row(
        "portal:download",
        {RESIDENT_A},
        lambda w: {"reference": w.reference, "document_id": w.document.pk},
    ),
    Row("portal:inbox", RESIDENTS, reveals=(lambda w: w.reference, {RESIDENT_A})),
    Row("portal:message", {RESIDENT_A}, lambda w: {"message_id": w.message.pk}),
    # Staff: each sees the queue of their own sections; only the case's section opens it.
    Row(
        "staff:queue",
        STAFF,
        query="status=issued",
        reveals=(lambda w: w.reference, CASE_HANDLERS),
    ),
    Row("staff:case", CASE_HANDLERS, lambda w: {"case_id": w.case.pk}),
    Row("staff:attachment", CASE_HANDLERS, lambda w: {"attachment": w.attachment.pk}),
    Row(
        "staff:case",
        CASE_HANDLERS,
        lambda w: {"case_id": w.case.pk},
        method="POST",
        data={"action": "note", "note-text": "内部メモ"},
    ),
    # Revealing a 個人番号 (the world's procedure uses none: handlers are sent back to the case).
    Row(
        "staff:case",
        CASE_HANDLERS,
        lambda w: {"case_id": w.case.pk},
        method="POST",
        data={"action": "reveal_my_number", "person": "0", "reveal-0-purpose": "確認"},
    ),
    # Back office (issue 4). Bulk actions run only on the cases of the actor's own queue; the
    # overview shows the actor's own sections; notification texts are for administrators.
    Row("staff:bulk", STAFF, method="POST", data={"action": "assign_me"}),
    Row("staff:overview", STAFF),
    Row("staff:message-templates", {ADMIN}),
    Row(
        "staff:message-template",
        {ADMIN},
        lambda w: {"event": "application_received", "language": "ja"},
    ),
    # Payments: the resident's own payment; the provider's hosted page is public to whoever
    # holds its link (as a real provider's is); webhooks are accepted only when signed.
    Row("portal:pay-draft", {RESIDENT_A}, _draft, method="POST"),
    Row("portal:payment-return", {RESIDENT_A}, lambda w: {"payment": w.payment.uuid}),
    # The world's case is issued: nothing to pay, correct or withdraw any more.
    Row("portal:pay", NOBODY, _reference, method="POST"),
    Row("portal:correction", NOBODY, _reference),
    Row("portal:withdraw", NOBODY, _reference),
    Row(
        "payments_sandbox:checkout",
        EVERYONE,
        lambda w: {"charge_id": w.payment.provider_reference},
    ),
    Row("payments:webhook", NOBODY, lambda w: {"provider": "sandbox"}, method="POST"),
    # The verification page is public and shows no personal data.
    Row("portal:verify", EVERYONE),
    Row("portal:verify", EVERYONE, method="POST", data={"code-code": "ABCD-EFGH-JKMN"}),
    Row(
        "portal:verify-code",
        EVERYONE,
        lambda w: {"code": w.document.verification_code},
        reveals=(lambda w: w.reference, frozenset()),
    ),
    Row("portal:notice-settings", RESIDENTS),
    # The form builder (issue 3): every staff member reaches the list (it shows only the
    # procedures they may build); the world's procedure is handled by 市民窓口課, where no role
    # is 管理者, so only the municipality administrator edits it.
    Row("staff:forms", STAFF),
    Row("staff:form-builder", {ADMIN}, _procedure),
    Row("staff:form-change", {ADMIN}, _procedure, method="POST", data={"action": "discard"}),
    Row("staff:form-step-new", {ADMIN}, _procedure),
    Row("staff:form-step", {ADMIN}, lambda w: {**_procedure(w), "step": "whom"}),
    Row(
        "staff:form-question-new",
        {ADMIN},
        lambda w: {**_procedure(w), "step": "whom"},
        query="type=text",
    ),
    Row(
        "staff:form-question",
        {ADMIN},
        lambda w: {**_procedure(w), "step": "whom", "key": "members"},
    ),
    Row("staff:form-preview", {ADMIN}, _procedure),
    # No draft to publish: the administrator is sent back to the builder with a message.
    Row("staff:form-publish", {ADMIN}, _procedure, method="POST"),
    Row("staff:form-export", {ADMIN}, _procedure),
    Row("staff:form-version-export", {ADMIN}, lambda w: {**_procedure(w), "number": 1}),
    Row("staff:form-import", {ADMIN}, _procedure),
    # Push-type eligibility (issue 6): every staff member reaches the page of their own
    # municipality's runs. The world holds no run yet, so the pages of one run answer 404 to
    # everyone; adding a run to World turns these rows into a test of its scoping.
    Row("staff:eligibility", STAFF),
    Row("staff:eligibility-run", NOBODY, lambda w: {"run_id": 999999}),
    Row("staff:eligibility-approve", NOBODY, lambda w: {"run_id": 999999}, method="POST"),
    Row(
        "staff:eligibility-findings",
        NOBODY,
        lambda w: {"run_id": 999999, "program": "x", "ward_id": 1},
    ),
    # Registry import from CSV: administrators only (an empty POST changes nothing).
    Row("staff:registry-import", {ADMIN}),
    # Life-event bundles (issue 3): public descriptions; a resident's own drafts and bundles.
    Row("bundles:list", EVERYONE),
    Row("bundles:detail", EVERYONE, lambda w: {"slug": _bundle_draft(w).bundle.slug}),
    Row(
        "bundles:start",
        RESIDENTS,
        lambda w: {"slug": _bundle_draft(w).bundle.slug},
        method="POST",
        data={"procedures": ["child-allowance-claim", "nhi-enrollment"]},
    ),
    Row(
        "bundles:step", {RESIDENT_A}, lambda w: {"draft": _bundle_draft(w).uuid, "step": "children"}
    ),
    Row("bundles:check", {RESIDENT_A}, lambda w: {"draft": _bundle_draft(w).uuid}),
    Row("bundles:application", {RESIDENT_A}, _bundle_submitted),
    Row("bundles:staff-list", STAFF),
    Row(
        "bundles:counter-start",
        HOME_STAFF,
        lambda w: {
            "person_id": w.users[RESIDENT_A].person_id,
            "slug": _bundle_draft(w).bundle.slug,
        },
        method="POST",
    ),
    Row(
        "bundles:counter-step",
        {CLERK},
        lambda w: {"draft": _counter_bundle(w).uuid, "step": "children"},
    ),
    Row("bundles:counter-confirm", {CLERK}, lambda w: {"draft": _counter_bundle(w).uuid}),
    Row("bundles:counter-done", {CLERK}, lambda w: {"draft": _counter_bundle(w).uuid}),
    # Once-only (issue 3): the resident's own data-use log.
    Row("datause:list", RESIDENTS),
    # 書かない窓口: staff of the city search its own registry (another city's staff find
    # nobody); an application started at the counter is reachable only by its clerk.
    Row(
        "staff:counter",
        STAFF,
        query="birth_date=1985-04-01",
        reveals=(lambda w: "山田 太郎", HOME_STAFF),
    ),
    Row("staff:counter-person", HOME_STAFF, lambda w: {"person_id": w.draft.person_id}),
    Row(
        "staff:counter-start",
        HOME_STAFF,
        lambda w: {"person_id": w.draft.person_id},
        method="POST",
        data={"procedure": "juminhyo-copy"},
    ),
    Row("staff:counter-step", {CLERK}, lambda w: {"draft": w.counter.uuid, "step": "whom"}),
    Row("staff:counter-confirm", {CLERK}, lambda w: {"draft": w.counter.uuid}),
    Row("staff:counter-done", {CLERK}, lambda w: {"draft": w.counter.uuid}),
    # The open data portal (issue 7): public pages and DCAT metadata for everyone; the staff
    # pages list every dataset to the municipality's staff, but only staff of the publishing
    # bureau's sections (the administrator is in 総合企画局's) and catalog administrators
    # create, edit and upload (opendata.permissions).
    Row("dataportal:search", EVERYONE),
    Row("dataportal:api", EVERYONE),
    Row("dataportal:feed", EVERYONE),
    Row("dataportal:dataset-feed", EVERYONE, _open_data),
    Row("dataportal:dataset", EVERYONE, _open_data),
    Row("dataportal:resource", EVERYONE, _open_data_resource),
    Row("dcat:catalog", EVERYONE, lambda w: {"fmt": "ttl"}),
    Row("dcat:dataset", EVERYONE, lambda w: {**_open_data(w), "fmt": "jsonld"}),
    Row("dcat:standard", EVERYONE, lambda w: {"key": "aed_locations"}),
    Row(
        "dataportal-staff:datasets",
        STAFF,
        _with_open_data,
        reveals=(lambda w: "避難場所（権限表）", KYOTO_STAFF),
    ),
    Row("dataportal-staff:dataset", KYOTO_STAFF, _open_data),
    # The empty form only for those with an organization to publish for (the ward clerks have
    # none in this catalog).
    Row("dataportal-staff:dataset-create", {ADMIN}, _with_open_data),
    Row("dataportal-staff:dataset-edit", {ADMIN}, _open_data),
    Row(
        "dataportal-staff:dataset-edit",
        {ADMIN},
        _open_data,
        method="POST",
        data={"name": "matrix-shelters", "title": "避難場所", "owner_org": "sogo-kikaku"},
    ),
    Row("dataportal-staff:resource-create", {ADMIN}, _open_data),
    Row("dataportal-staff:resource-replace", {ADMIN}, _open_data_resource),
    # An organization's members: catalog administrators and the organization's admins (none
    # in this world) manage them; the form's empty username changes nothing.
    Row("dataportal-staff:organization-members", {ADMIN}, _open_data_organization),
    Row(
        "dataportal-staff:organization-members",
        {ADMIN},
        _open_data_organization,
        method="POST",
        data={"username": "", "role": "editor"},
    ),
    Row(
        "dataportal-staff:organization-member-remove",
        {ADMIN},
        _open_data_organization,
        method="POST",
        data={"username": "nobody"},
    ),
    # The public JSON API.
    Row("api:api-root", NOBODY),
    Row("api:openapi-json", EVERYONE),
    Row("api:list_procedures", EVERYONE),
    Row("api:read_procedure", EVERYONE, lambda w: {"code": "juminhyo-copy"}),
    # The open data portal's CKAN action API: reads are public; writes need an API token, so a
    # logged-in session writes nothing (see tests/opendata for tokens).
    Row("ckan:action", EVERYONE, lambda w: {"name": "package_list"}),
    Row(
        "ckan:action",
        NOBODY,
        lambda w: {"name": "organization_create"},
        method="POST",
        data={"name": "session-org", "title": "x"},
    ),
    Row("ckan:action-unversioned", EVERYONE, lambda w: {"name": "status_show"}),
    Row("ckan:version", EVERYONE),
    Row("ckan:download", EVERYONE, lambda w: _open_data_file()),
    Row("api:read_form", EVERYONE, lambda w: {"procedure_code": "juminhyo-copy"}),
    # A resident's own drafts and applications, by their session; staff sessions get 401.
    Row("api:list_applications", RESIDENTS, reveals=(lambda w: w.reference, {RESIDENT_A})),
    Row("api:read_application", {RESIDENT_A}, _reference),
    Row("api:read_draft", {RESIDENT_A}, lambda w: {"draft_id": w.draft.uuid}),
    Row(
        "api:create_draft",
        RESIDENTS,
        method="POST",
        data={"procedure_code": "juminhyo-copy"},
        content_type="application/json",
    ),
    Row(
        "api:update_draft",
        {RESIDENT_A},
        lambda w: {"draft_id": w.draft.uuid},
        method="PATCH",
        data={"answers": {}},
        content_type="application/json",
    ),
    # A whole application in one request: the answers (none here) are checked for residents.
    Row(
        "api:apply",
        RESIDENTS,
        method="POST",
        data={"procedure_code": "juminhyo-copy", "answers": {}},
        content_type="application/json",
        served=(422,),
    ),
    # Submitting the world's application again answers its applicant with the one result.
    Row(
        "api:submit_draft",
        {RESIDENT_A},
        lambda w: {"draft_id": w.case.submission.uuid},
        method="POST",
        content_type="application/json",
    ),
    # The admin site: administrators who passed the second factor, nobody else. Its login page
    # sends everyone to the staff login.
    Row("admin:*", {ADMIN}),
    Row("admin:login", NOBODY),
    Row("admin:logout", EVERYONE, method="POST", redirects_everyone=True),
    # The audit log, task results and login attempts are written by the system only.
    Row("admin:audit_auditentry_add", NOBODY),
    # API tokens are issued by manage.py create_api_token (the token is shown once).
    Row("admin:opendata_apitoken_add", NOBODY),
    Row("admin:audit_auditentry_delete", NOBODY),
    Row("admin:audit_auditanchor_add", NOBODY),
    Row("admin:audit_auditanchor_delete", NOBODY),
    Row("admin:django_tasks_database_dbtaskresult_add", NOBODY),
    Row("admin:django_tasks_database_dbtaskresult_delete", NOBODY),
    Row("admin:axes_accessattempt_add", NOBODY),
    Row("admin:axes_accessfailurelog_add", NOBODY),
    Row("admin:axes_accesslog_add", NOBODY),
    # Needs a model and field to search; none of our records has a public page to link to.
    Row("admin:autocomplete", NOBODY),
    Row("admin:view_on_site", NOBODY),
]
