"""Staff pages: the catalog's datasets with download counts, creating and editing a dataset,
uploading and replacing its files (checked against a standard dataset on request).

Staff of the portal's municipality see every dataset; they create, edit and upload only where
``opendata.permissions`` lets them (their sections' organizations and those they are an
explicit editor or admin of, or all for catalog administrators), and get a 403 page that says
why elsewhere. Staff of other municipalities get
404, as for cases."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.permissions import staff_required
from madoguchi.opendata import conformance, history, permissions, selectors, services
from madoguchi.opendata.models import Dataset, Organization, Resource
from madoguchi.opendata.standards import validate_csv

from ..forms import DatasetForm, ResourceForm

PAGE_SIZE = 100  # the list is the whole catalog (tens of thousands where harvested)


def organizations_of(user: Any) -> QuerySet[Organization]:
    """Those the user may publish for: the only choices the dataset form offers."""
    return permissions.publishable_organizations(user).order_by("name")


def datasets_of(user: Any) -> QuerySet[Dataset]:
    if not selectors.is_staff(user):
        return Dataset.objects.none()
    return selectors.datasets_for(user)


def forbidden(request: HttpRequest, dataset: Dataset | None) -> HttpResponse:
    if dataset is None:
        message = _(
            "データセットを公開できる組織がありません。所属する課や局の組織をカタログに"
            "作るようカタログ管理者に依頼するか、組織の管理者に編集者として加えてもらって"
            "ください。"
        )
    else:
        message = _(
            "「%(organization)s」のデータセットは、その組織の課の職員、組織の編集者と管理者、"
            "カタログ管理者だけが変更できます。"
        ) % {"organization": dataset.owner_org.title}
    return render(
        request,
        "dataportal/staff/forbidden.html",
        {"message": message, "dataset": dataset},
        status=403,
    )


def dataset_or_404(user: Any, name: str) -> Dataset:
    dataset = selectors.with_relations(datasets_of(user)).filter(name=name).first()
    if dataset is None:
        raise Http404
    return dataset


@require_GET
@staff_required
def dataset_list(request: HttpRequest) -> HttpResponse:
    datasets = (
        datasets_of(request.user)
        .select_related("owner_org")
        .annotate(downloads=Sum("resources__download_count"))
        .order_by("-modified", "name")
    )
    page = Paginator(datasets, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "dataportal/staff/datasets.html",
        {
            "datasets": page.object_list,
            "page": page,
            "writable": set(organizations_of(request.user).values_list("pk", flat=True)),
            "administered": permissions.administered_organizations(request.user).order_by("name"),
        },
    )


@require_GET
@staff_required
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = dataset_or_404(request.user, name)
    return render(
        request,
        "dataportal/staff/dataset.html",
        {
            "dataset": dataset,
            "resources": list(dataset.resources.all()),
            "writable": permissions.can_write_dataset(request.user, dataset),
            "administers": permissions.can_administer(request.user, dataset.owner_org),
            "revisions": history.recent(dataset, limit=20),
        },
    )


def _initial(dataset: Dataset) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "title": dataset.title,
        "title_en": dataset.title_en,
        "notes": dataset.notes,
        "notes_en": dataset.notes_en,
        "owner_org": dataset.owner_org.name,
        "groups": [g.name for g in dataset.groups.all()],
        "tags": "、".join(t.name for t in dataset.tags.all()),
        "license_id": dataset.license_id,
        "frequency": dataset.frequency,
        "spatial": dataset.spatial,
        "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end,
        "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
        "private": dataset.private,
    }


def _package(data: dict[str, Any], dataset: Dataset | None) -> dict[str, Any]:
    """The form's values as the catalog's services take them (CKAN's package dict)."""
    return {
        "name": data["name"],
        "title": data["title"],
        "title_en": data["title_en"],
        "notes": data["notes"],
        "notes_en": data["notes_en"],
        "owner_org": data["owner_org"].name,
        "groups": [{"name": g.name} for g in data["groups"]],
        "tags": [{"name": t} for t in data["tags"]],
        "license_id": data["license_id"].id if data["license_id"] else "",
        "frequency": data["frequency"],
        "spatial": data["spatial"],
        "temporal_start": data["temporal_start"].isoformat() if data["temporal_start"] else "",
        "temporal_end": data["temporal_end"].isoformat() if data["temporal_end"] else "",
        "contact_name": data["contact_name"],
        "contact_email": data["contact_email"],
        "private": data["private"],
        # Extras the form does not show (harvest source, conformance) are kept as they are.
        "extras": [{"key": k, "value": v} for k, v in (dataset.extras if dataset else {}).items()],
    }


@require_http_methods(["GET", "POST"])
@staff_required
def dataset_edit(request: HttpRequest, name: str | None = None) -> HttpResponse:
    dataset = dataset_or_404(request.user, name) if name else None
    organizations = organizations_of(request.user)
    if dataset is not None and not permissions.can_write_dataset(request.user, dataset):
        return forbidden(request, dataset)
    if dataset is None and not organizations.exists():
        return forbidden(request, None)
    form = DatasetForm(
        request.POST or None,
        initial=_initial(dataset) if dataset else {},
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_dataset(
                request.user, _package(form.cleaned_data, dataset), dataset
            )
        except services.ValidationFailed as failed:
            for field, errors in failed.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(request, _("データセットを保存しました。"))
            return redirect("dataportal-staff:dataset", saved.name)
    return render(request, "dataportal/staff/dataset_form.html", {"form": form, "dataset": dataset})


@require_http_methods(["GET", "POST"])
@staff_required
def resource_upload(
    request: HttpRequest, name: str, resource_id: str | None = None
) -> HttpResponse:
    """A new file for the dataset, or a new version of one of its files (``resource_id``)."""
    dataset = dataset_or_404(request.user, name)
    if not permissions.can_write_dataset(request.user, dataset):
        return forbidden(request, dataset)
    resource: Resource | None = None
    if resource_id:
        key = selectors.as_uuid(resource_id)
        resource = next((r for r in dataset.resources.all() if r.id == key), None)
        if resource is None:
            raise Http404
    initial = {}
    if resource:
        initial = {
            "name": resource.name,
            "description": resource.description,
            "standard": (resource.extras or {}).get("standard", ""),
        }
    form = ResourceForm(request.POST or None, request.FILES or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["upload"]
        standard = form.cleaned_data["standard"]
        if standard:
            report = validate_csv(upload.read(), standard)
            upload.seek(0)
        if report is None or report.valid:
            data = {
                "package_id": str(dataset.id),
                "name": form.cleaned_data["name"] or (resource.name if resource else ""),
                "description": form.cleaned_data["description"],
                "format": "",
            }
            saved = services.save_resource(request.user, data, upload, resource)
            if report is not None:
                conformance.record(request.user, saved, report)
            messages.success(
                request,
                _("ファイルを公開しました。標準に適合しています。")
                if report is not None
                else _("ファイルを公開しました。"),
            )
            return redirect("dataportal-staff:dataset", dataset.name)
    return render(
        request,
        "dataportal/staff/resource_form.html",
        {"form": form, "dataset": dataset, "resource": resource, "report": report},
    )
