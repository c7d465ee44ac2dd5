"""Writes to the catalog, taking CKAN's dicts (package_create & co.) and validating them.

Validation errors are collected per field as CKAN reports them ({"name": ["…"]}); every write
of a dataset re-indexes it for search and stores a revision of its metadata; every change of
an organization's explicit members is written to the audit log.
"""

import datetime as dt
import hashlib
import mimetypes
import re
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import F, Max
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from madoguchi.audit import services as audit
from madoguchi.organizations.models import OrgUnit

from . import conformance, datastore, search, selectors
from .models import (
    NAME_PATTERN,
    Dataset,
    DatasetRevision,
    Group,
    License,
    Organization,
    OrganizationMember,
    Resource,
    State,
    Tag,
)

Errors = dict[str, list[Any]]
FORMATS_BY_EXTENSION = {
    ".csv": "CSV",
    ".tsv": "TSV",
    ".xlsx": "XLSX",
    ".xls": "XLS",
    ".json": "JSON",
    ".geojson": "GeoJSON",
    ".pdf": "PDF",
    ".zip": "ZIP",
    ".xml": "XML",
    ".txt": "TXT",
}


class ValidationFailed(Exception):
    """Bad input, by field (reported as CKAN's Validation Error)."""

    def __init__(self, errors: Errors) -> None:
        super().__init__(errors)
        self.errors = errors


def _missing() -> str:
    return _("必須項目です。")


def _text(data: dict[str, Any], key: str, errors: Errors, *, max_length: int = 0) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        errors.setdefault(key, []).append(_("文字列で入力してください。"))
        return ""
    value = str(value).strip()
    if max_length and len(value) > max_length:
        errors.setdefault(key, []).append(
            _("%(max)d文字以内で入力してください。") % {"max": max_length}
        )
    return value


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


def _date(data: dict[str, Any], key: str, errors: Errors) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        errors.setdefault(key, []).append(
            _("日付はYYYY-MM-DDの形で入力してください（例: 2026-04-01）。")
        )
        return None


def _name(data: dict[str, Any], errors: Errors, model: type, instance: Any = None) -> str:
    name = _text(data, "name", errors)
    if not name:
        errors.setdefault("name", []).append(_missing())
    elif not re.match(NAME_PATTERN, name):
        errors.setdefault("name", []).append(
            _("名前は英小文字・数字・「-」・「_」の2〜100文字で入力してください。")
        )
    elif model.objects.filter(name=name).exclude(pk=getattr(instance, "pk", None)).exists():
        errors.setdefault("name", []).append(_("このURLはすでに使われています。"))
    return name


def _list(data: dict[str, Any], key: str, errors: Errors) -> list[Any]:
    value = data.get(key) or []
    if not isinstance(value, list):
        errors.setdefault(key, []).append(_("リストで入力してください。"))
        return []
    return value


def _tags(data: dict[str, Any], errors: Errors) -> list[str]:
    if "tags" in data:
        names = [t.get("name") if isinstance(t, dict) else t for t in _list(data, "tags", errors)]
    else:
        names = str(data.get("tag_string") or "").split(",")
    tags: list[str] = []
    for name in names:
        name = str(name or "").strip()
        if not name:
            continue
        if len(name) > 100:
            errors.setdefault("tags", []).append(
                _("タグ「%(name)s」が長すぎます（100文字以内）。") % {"name": name[:20]}
            )
        elif name not in tags:
            tags.append(name)
    return tags


def _groups(data: dict[str, Any], errors: Errors) -> list[Group]:
    groups = []
    for item in _list(data, "groups", errors):
        key = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        group = selectors.group_by_id_or_name(str(key or ""))
        if group is None:
            errors.setdefault("groups", []).append(
                _("グループ「%(name)s」はありません。") % {"name": key}
            )
        else:
            groups.append(group)
    return groups


def _extras(data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    for item in _list(data, "extras", errors):
        if not isinstance(item, dict) or not item.get("key"):
            errors.setdefault("extras", []).append(
                _("追加情報はkeyとvalueの組で入力してください。")
            )
            continue
        extras[str(item["key"])] = item.get("value")
    return extras


# ---------------------------------------------------------------------------------------------
# Datasets


def _english(data: dict[str, Any], key: str, errors: Errors, *, max_length: int = 0) -> str:
    """``<key>_en``, or else the English of ``<key>_translated`` as package_show gives it: a
    client that shows a dataset, changes a field and updates it (or patches it) keeps the
    English it did not touch."""
    translated = data.get(f"{key}_translated")
    if f"{key}_en" not in data and isinstance(translated, dict):
        data = {f"{key}_en": translated.get("en", "")}
    return _text(data, f"{key}_en", errors, max_length=max_length)


def _apply_dataset(dataset: Dataset, data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Set the dataset's fields from a package dict; return the related values to save."""
    dataset.name = _name(data, errors, Dataset, dataset if dataset.pk else None)
    dataset.title = _text(data, "title", errors, max_length=300) or dataset.name
    dataset.title_en = _english(data, "title", errors, max_length=300)
    dataset.notes = _text(data, "notes", errors)
    dataset.notes_en = _english(data, "notes", errors)
    owner = selectors.organization_by_id_or_name(_text(data, "owner_org", errors))
    if owner is None:
        errors.setdefault("owner_org", []).append(
            _("組織を指定してください。")
            if not data.get("owner_org")
            else _("指定された組織はありません。")
        )
    else:
        dataset.owner_org = owner
    license_id = _text(data, "license_id", errors)
    dataset.license = License.objects.filter(pk=license_id).first() if license_id else None
    if license_id and dataset.license is None:
        errors.setdefault("license_id", []).append(
            _("ライセンス「%(id)s」はありません。license_listで使えるものを確かめてください。")
            % {"id": license_id}
        )
    frequency = _text(data, "frequency", errors)
    if frequency and frequency not in Dataset.Frequency.values:
        errors.setdefault("frequency", []).append(
            _("更新頻度は次のいずれかです: %(values)s")
            % {"values": ", ".join(Dataset.Frequency.values)}
        )
    dataset.frequency = frequency
    dataset.spatial = _text(data, "spatial", errors, max_length=200)
    dataset.temporal_start = _date(data, "temporal_start", errors)
    dataset.temporal_end = _date(data, "temporal_end", errors)
    if (
        dataset.temporal_start
        and dataset.temporal_end
        and dataset.temporal_start > dataset.temporal_end
    ):
        errors.setdefault("temporal_end", []).append(_("終了日は開始日より後にしてください。"))
    dataset.contact_name = _text(data, "contact_name", errors) or _text(data, "maintainer", errors)
    email = _text(data, "contact_email", errors) or _text(data, "maintainer_email", errors)
    if email:
        try:
            EmailValidator()(email)
        except DjangoValidationError:
            errors.setdefault("contact_email", []).append(
                _("メールアドレスの形式が正しくありません。")
            )
    dataset.contact_email = email
    url = _text(data, "url", errors)
    if url:
        try:
            URLValidator()(url)
        except DjangoValidationError:
            errors.setdefault("url", []).append(_("URLの形式が正しくありません。"))
    dataset.url = url
    dataset.version = _text(data, "version", errors, max_length=100)
    dataset.private = _bool(data.get("private", False))
    dataset.extras = _extras(data, errors)
    state = data.get("state") or State.ACTIVE
    if state not in State.values:
        errors.setdefault("state", []).append(_("状態はactiveかdeletedです。"))
    else:
        dataset.state = state
    return {"tags": _tags(data, errors), "groups": _groups(data, errors)}


def record_revision(dataset: Dataset, user: Any) -> None:
    dataset = selectors.with_relations(Dataset.objects.filter(pk=dataset.pk)).get()
    number = (dataset.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    DatasetRevision.objects.create(
        dataset=dataset,
        number=number,
        data=selectors.dataset_dict(dataset),
        author=user if getattr(user, "pk", None) else None,
    )


def _saved(dataset: Dataset, user: Any) -> Dataset:
    # Read back whole: the caller's instance may hold relations prefetched before the write.
    saved = selectors.with_relations(Dataset.objects.filter(pk=dataset.pk)).get()
    search.index(saved)
    record_revision(saved, user)
    return saved


@transaction.atomic
def save_dataset(user: Any, data: dict[str, Any], dataset: Dataset | None = None) -> Dataset:
    """package_create (no ``dataset``) or package_update (every field replaced; resources
    replaced when ``resources`` is given, kept when it is not)."""
    errors: Errors = {}
    if dataset is None:
        dataset = Dataset(creator=user if getattr(user, "pk", None) else None)
        given_id = selectors.as_uuid(data.get("id")) if data.get("id") else None
        if given_id and Dataset.objects.filter(pk=given_id).exists():
            errors.setdefault("id", []).append(_("このIDはすでに使われています。"))
        elif given_id:
            dataset.id = given_id
    related = _apply_dataset(dataset, data, errors)
    resources = _list(data, "resources", errors) if "resources" in data else None
    resource_errors: list[Errors] = []
    if resources is not None:
        resource_errors = [
            _check_resource(item if isinstance(item, dict) else {}) for item in resources
        ]
        if any(resource_errors):
            errors["resources"] = resource_errors
    if errors:
        raise ValidationFailed(errors)
    dataset.save()
    dataset.tags.set([Tag.objects.get_or_create(name=name)[0] for name in related["tags"]])
    dataset.groups.set(related["groups"])
    if resources is not None:
        _replace_resources(dataset, resources)
    return _saved(dataset, user)


def patch_dataset(user: Any, dataset: Dataset, data: dict[str, Any]) -> Dataset:
    """package_patch: the given fields over the dataset as it is."""
    current = selectors.dataset_dict(dataset)
    current.pop("resources")
    return save_dataset(user, {**current, **data}, dataset)


@transaction.atomic
def delete_dataset(user: Any, dataset: Dataset) -> None:
    dataset.state = State.DELETED
    dataset.save(update_fields=["state", "modified"])
    search.index(dataset)  # leaves the public facet counts
    record_revision(dataset, user)


def _replace_resources(dataset: Dataset, items: list[dict[str, Any]]) -> None:
    existing = {str(r.id): r for r in dataset.resources.all()}
    kept = set()
    for position, item in enumerate(items):
        resource = existing.get(str(item.get("id") or ""))
        if resource is None:
            resource = Resource(dataset=dataset)
            given = selectors.as_uuid(item.get("id")) if item.get("id") else None
            if given and not Resource.objects.filter(pk=given).exists():
                resource.id = given
        _apply_resource(resource, item, {})
        resource.position = position
        resource.save()
        kept.add(str(resource.id))
    for key, resource in existing.items():
        if key not in kept:
            _delete_file(resource)
            resource.delete()


# ---------------------------------------------------------------------------------------------
# Resources


def _check_resource(data: dict[str, Any]) -> Errors:
    errors: Errors = {}
    _apply_resource(Resource(), data, errors)
    return errors


def _apply_resource(resource: Resource, data: dict[str, Any], errors: Errors) -> None:
    resource.name = _text(data, "name", errors, max_length=300)
    resource.description = _text(data, "description", errors)
    resource.format = _text(data, "format", errors, max_length=50)
    url = _text(data, "url", errors)
    if resource.upload and data.get("url_type") == "upload":
        # Our own download address comes back from clients that round-trip package_show.
        url = ""
    elif url:
        try:
            URLValidator()(url)
        except DjangoValidationError:
            errors.setdefault("url", []).append(_("URLの形式が正しくありません。"))
    resource.url = url
    if url and resource.upload:
        _delete_file(resource)
    if not resource.format and url:
        resource.format = FORMATS_BY_EXTENSION.get(PurePath(url.split("?")[0]).suffix.lower(), "")


def _delete_file(resource: Resource) -> None:
    if resource.upload:
        resource.upload.delete(save=False)
        resource.filename = resource.mimetype = resource.hash = ""
        resource.size = None
        resource.datastore_active = False
        resource.datastore_status = Resource.DatastoreStatus.NONE


def _attach(resource: Resource, upload: UploadedFile) -> None:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    if resource.upload:
        resource.upload.delete(save=False)
    filename = get_valid_filename(PurePath(upload.name or "upload").name) or "upload"
    resource.upload.save(filename, upload, save=False)
    resource.filename = filename
    resource.size = upload.size
    resource.hash = digest.hexdigest()
    resource.mimetype = mimetypes.guess_type(filename)[0] or upload.content_type or ""
    resource.url = ""
    if not resource.format:
        resource.format = FORMATS_BY_EXTENSION.get(PurePath(filename).suffix.lower(), "")
    if not resource.name:
        resource.name = filename


@transaction.atomic
def save_resource(
    user: Any,
    data: dict[str, Any],
    upload: UploadedFile | None = None,
    resource: Resource | None = None,
) -> Resource:
    """resource_create (no ``resource``: needs package_id) or resource_update."""
    errors: Errors = {}
    if resource is None:
        dataset = selectors.dataset_by_id_or_name(user, str(data.get("package_id") or ""))
        if dataset is None or dataset.state != State.ACTIVE:
            errors["package_id"] = [
                _missing()
                if not data.get("package_id")
                else _("指定されたデータセットはありません。")
            ]
            raise ValidationFailed(errors)
        resource = Resource(
            dataset=dataset,
            position=(dataset.resources.aggregate(n=Max("position"))["n"] or -1) + 1,
        )
    content = (resource.url, resource.hash)
    _apply_resource(resource, data, errors)
    if upload is None and not resource.url and not resource.upload:
        errors.setdefault("url", []).append(_("URLかファイルのどちらかを指定してください。"))
    if errors:
        raise ValidationFailed(errors)
    if upload is not None:
        _attach(resource, upload)
    if upload is not None or (resource.url, resource.hash) != content:
        # A standard check's mark was about the content it checked, not this one.
        resource.extras = conformance.without_marks(resource.extras)
    resource.save()
    if upload is not None and datastore.is_tabular(resource):
        datastore.queue_load(resource)
    dataset = resource.dataset
    dataset.save(update_fields=["modified"])
    conformance.update_dataset(Dataset.objects.get(pk=dataset.pk))
    _saved(dataset, user)
    return resource


def patch_resource(
    user: Any, resource: Resource, data: dict[str, Any], upload: UploadedFile | None = None
) -> Resource:
    current = selectors.resource_dict(resource)
    if resource.upload:
        current["url_type"] = "upload"
    return save_resource(user, {**current, **data}, upload, resource)


@transaction.atomic
def delete_resource(user: Any, resource: Resource) -> None:
    dataset = resource.dataset
    _delete_file(resource)
    resource.delete()
    dataset.save(update_fields=["modified"])
    conformance.update_dataset(Dataset.objects.get(pk=dataset.pk))
    _saved(dataset, user)


def count_download(resource: Resource) -> None:
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)


# ---------------------------------------------------------------------------------------------
# Organizations and groups


def organization_for_unit(unit: OrgUnit) -> Organization:
    """The publisher for one of the city's bureaus or sections (created on first use)."""
    organization = Organization.objects.filter(unit=unit).first()
    if organization is None:
        name = slugify(unit.code)[:90] or "unit"
        if Organization.objects.filter(name=name).exists():
            name = f"{name}-{unit.pk}"
        organization = Organization.objects.create(
            name=name, title_ja=str(unit), title_en=unit.name_en, unit=unit
        )
    return organization


@transaction.atomic
def save_organization(
    data: dict[str, Any], organization: Organization | None = None
) -> Organization:
    return _save_group_like(Organization, data, organization)


@transaction.atomic
def save_group(data: dict[str, Any], group: Group | None = None) -> Group:
    return _save_group_like(Group, data, group)


def _save_group_like(model: type, data: dict[str, Any], instance: Any) -> Any:
    errors: Errors = {}
    creating = instance is None
    instance = instance or model()
    instance.name = _name(data, errors, model, None if creating else instance)
    translated = (
        data.get("title_translated") if isinstance(data.get("title_translated"), dict) else {}
    )
    instance.title_ja = (
        _text(data, "title", errors, max_length=200) or translated.get("ja") or instance.name
    )
    instance.title_en = _english(data, "title", errors, max_length=200)
    instance.description_ja = _text(data, "description", errors)
    instance.image_url = _text(data, "image_url", errors)
    if errors:
        raise ValidationFailed(errors)
    instance.save()
    if not creating:
        # Their titles are in the datasets' grams and stored package dicts.
        for dataset in selectors.with_relations(instance.datasets.all()):
            search.index(dataset)
    return instance


# ---------------------------------------------------------------------------------------------
# Explicit members of organizations (every change is audited)


@transaction.atomic
def set_member(
    actor: Any, organization: Organization, username: Any, capacity: Any
) -> OrganizationMember:
    """organization_member_create: make a staff member of this portal's municipality a member
    of ``organization`` with ``capacity``, or change the capacity they hold there."""
    errors: Errors = {}
    key = str(username or "").strip()
    user = selectors.staff_account(key) if key else None
    if not key:
        errors["username"] = [_missing()]
    elif not selectors.is_staff(user):
        errors["username"] = [
            _("この市の職員「%(username)s」は見つかりません。") % {"username": key}
        ]
    if capacity not in OrganizationMember.Capacity.values:
        errors["role"] = [
            _("役割は次のいずれかです: %(values)s")
            % {"values": ", ".join(OrganizationMember.Capacity.values)}
        ]
    if errors:
        raise ValidationFailed(errors)
    member, created = OrganizationMember.objects.select_for_update().get_or_create(
        organization=organization, user=user, defaults={"capacity": capacity}
    )
    previous = None if created else member.capacity
    if previous != capacity:
        member.capacity = capacity
        member.save(update_fields=["capacity"])
        audit.record(
            actor=actor,
            action="organization_member_create",
            target=organization,
            detail={"user": user.pk, "capacity": capacity, "previous": previous},
        )
    return member


@transaction.atomic
def remove_member(actor: Any, organization: Organization, user: Any) -> bool:
    """organization_member_delete: whether ``user`` was a member (nothing changes if not)."""
    member = (
        OrganizationMember.objects.select_for_update()
        .filter(organization=organization, user=user)
        .first()
    )
    if member is None:
        return False
    member.delete()
    audit.record(
        actor=actor,
        action="organization_member_delete",
        target=organization,
        detail={"user": user.pk, "previous": member.capacity},
    )
    return True
