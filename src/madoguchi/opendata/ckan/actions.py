"""CKAN's action functions: each takes the call's context and data dict and returns the result,
or raises one of the errors below, which the view turns into CKAN's error envelope. The
docstrings are what help_show returns."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from madoguchi.opendata import datastore, permissions, selectors, services
from madoguchi.opendata.models import (
    Dataset,
    License,
    Organization,
    OrganizationMember,
    State,
)

CKAN_VERSION = "2.10.4"
MAX_ROWS = 1000
MAX_DATASTORE_LIMIT = 32000
Capacity = OrganizationMember.Capacity


class ActionError(Exception):
    status = 400
    type = "Bad Request"

    def __init__(self, message: str = "", **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"__type": self.type}
        if self.message:
            body["message"] = self.message
        body.update(self.fields)
        return body


class NotFound(ActionError):
    status, type = 404, "Not Found Error"


class NotAuthorized(ActionError):
    status, type = 403, "Authorization Error"


class ValidationError(ActionError):
    status, type = 409, "Validation Error"


class SearchQueryError(ActionError):
    status, type = 409, "Search Query Error"


@dataclass
class Context:
    user: Any  # the staff member of the API token, or None
    base_url: str  # scheme and host the client called, for absolute URLs
    api_path: str  # /api/3/action/ or /api/action/
    files: dict[str, UploadedFile] = field(default_factory=dict)


Action = Callable[[Context, dict[str, Any]], Any]
READ: dict[str, Action] = {}
WRITE: dict[str, Action] = {}


def read(function: Action) -> Action:
    READ[function.__name__] = function
    return function


def write(function: Action) -> Action:
    def checked(context: Context, data: dict[str, Any]) -> Any:
        if not selectors.is_staff(context.user):
            raise NotAuthorized(_("この操作にはAPIトークン（Authorizationヘッダー）が必要です。"))
        try:
            return function(context, data)
        except services.ValidationFailed as error:
            raise ValidationError(**error.errors) from error

    checked.__doc__ = function.__doc__
    WRITE[function.__name__] = checked
    return checked


# ---------------------------------------------------------------------------------------------
# Parameters (GET query strings carry strings; JSON bodies carry typed values)


def _int(data: dict[str, Any], key: str, default: int, maximum: int | None = None) -> int:
    value = data.get(key, default)
    try:
        number = int(value if value not in (None, "") else default)
    except (TypeError, ValueError):
        raise ValidationError(**{key: [_("整数で指定してください。")]}) from None
    if number < 0:
        raise ValidationError(**{key: [_("0以上の整数で指定してください。")]})
    return min(number, maximum) if maximum is not None else number


def _bool(data: dict[str, Any], key: str, default: bool = False) -> bool:
    value = data.get(key, default)
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes", "on"}
    return bool(value)


def _json_list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list):
        raise ValidationError(**{key: [_("リストで指定してください。")]})
    return value


def _json_dict(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValidationError(**{key: [_("JSONのオブジェクトで指定してください。")]}) from None
    if not isinstance(value, dict):
        raise ValidationError(**{key: [_("JSONのオブジェクトで指定してください。")]})
    return value


def _id(data: dict[str, Any], key: str = "id") -> str:
    value = data.get(key)
    if value in (None, ""):
        raise ValidationError(**{key: [_("必須項目です。")]})
    return str(value)


def _not_found(what: str, key: str) -> NotFound:
    return NotFound(_("見つかりません: %(what)s「%(key)s」") % {"what": what, "key": key})


def _dataset(context: Context, key: str) -> Any:
    dataset = selectors.dataset_by_id_or_name(context.user, key)
    if dataset is None or (dataset.state == State.DELETED and not selectors.is_staff(context.user)):
        raise _not_found(_("データセット"), key)
    return dataset


def _resource(context: Context, key: str) -> Any:
    resource = selectors.resource_by_id(context.user, key)
    if resource is None:
        raise _not_found(_("リソース"), key)
    return resource


def _package(context: Context, dataset: Any) -> dict[str, Any]:
    return selectors.dataset_dict(dataset, context.base_url)


# ---------------------------------------------------------------------------------------------
# Reads


@read
def status_show(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return the site's title, address, CKAN API version and enabled extensions."""
    return {
        "site_title": _("オープンデータ"),
        "site_url": context.base_url.rstrip("/"),
        "site_description": "",
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": settings.LANGUAGE_CODE,
        "extensions": ["datastore"],
    }


@read
def help_show(context: Context, data: dict[str, Any]) -> str:
    """Return the help text of an action.

    :param name: the action's name, e.g. package_search
    """
    name = _id(data, "name")
    function = READ.get(name) or WRITE.get(name)
    if function is None:
        raise _not_found(_("アクション"), name)
    return function.__doc__ or ""


@read
def package_list(context: Context, data: dict[str, Any]) -> list[str]:
    """Return the names of the site's public datasets, by name.

    :param limit: how many names (optional)
    :param offset: where to start (optional)
    """
    names = (
        selectors.datasets_for(context.user)
        .filter(private=False)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if _bool(data, "include_private") and selectors.is_staff(context.user):
        names = selectors.datasets_for(context.user).order_by("name").values_list("name", flat=True)
    offset = _int(data, "offset", 0)
    if data.get("limit") not in (None, ""):
        return list(names[offset : offset + _int(data, "limit", 0)])
    return list(names[offset:])


@read
def package_show(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return a dataset (package) with its resources.

    :param id: the dataset's id or name
    """
    return _package(context, _dataset(context, _id(data)))


@read
def package_activity_list(context: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return a dataset's saved versions, newest first, as CKAN's activity stream: each with
    its ``activity_type`` (new package, changed package, deleted package), ``timestamp`` and
    the dataset as it was (``data.package``). Who made a change is not published.

    :param id: the dataset's id or name
    :param offset: where to start (optional)
    :param limit: how many (optional, default 31, at most 100)
    """
    dataset = _dataset(context, _id(data))
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", 31, maximum=100)
    activities = []
    for revision in dataset.revisions.order_by("-number")[offset : offset + limit]:
        kind = "changed package" if revision.number > 1 else "new package"
        if revision.data.get("state") == State.DELETED:
            kind = "deleted package"
        activities.append(
            {
                "id": str(revision.pk),
                "timestamp": selectors.timestamp(revision.created),
                "user_id": None,
                "object_id": str(dataset.id),
                "activity_type": kind,
                "data": {"package": revision.data},
            }
        )
    return activities


@read
def package_search(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search datasets. Japanese is matched by character bigrams, so partial words match
    (避難所 finds 指定緊急避難場所一覧); results are ranked by relevance unless sorted.

    :param q: the search words (all must match); ``field:value`` filters work too
    :param fq: filters, e.g. ``organization:kyoto-city tags:防災 res_format:CSV``
    :param rows: how many results (default 10, at most 1000)
    :param start: offset of the first result
    :param sort: e.g. ``score desc, metadata_modified desc``, ``name asc``
    :param facet.field: JSON list of facets: organization, groups, tags, res_format, license_id
    :param facet.limit: items per facet (default 50)
    :param include_private: also private datasets (API token holders)
    """
    facet_fields = _json_list(data, "facet.field")
    try:
        result = selectors.package_search(
            context.user,
            q=str(data.get("q") or ""),
            fq=str(data.get("fq") or ""),
            rows=_int(data, "rows", 10, MAX_ROWS),
            start=_int(data, "start", 0),
            sort=str(data.get("sort") or ""),
            facet_fields=[str(f) for f in facet_fields],
            facet_limit=_int(data, "facet.limit", 50),
            include_private=_bool(data, "include_private"),
        )
    except selectors.SearchQueryError as error:
        raise SearchQueryError(
            _("検索条件が正しくありません: %(error)s") % {"error": error}
        ) from error
    return {
        "count": result.count,
        "results": selectors.packages(result.ids, context.base_url),
        "facets": result.facets,
        "search_facets": selectors.search_facets(result.facets),
        "sort": str(data.get("sort") or "score desc, metadata_modified desc"),
    }


def _group_list(
    context: Context, data: dict[str, Any], objects: Any, dictize: Callable[..., dict]
) -> list[Any]:
    wanted = _json_list(data, "organizations") or _json_list(data, "groups")
    if wanted:
        objects = objects.filter(name__in=wanted)
    sort = str(data.get("sort") or "name")
    key, _space, direction = sort.partition(" ")
    column = {"name": "name", "title": "title_ja", "package_count": "package_count"}.get(
        key, "name"
    )
    objects = objects.order_by(f"-{column}" if direction.strip() == "desc" else column, "name")
    offset = _int(data, "offset", 0)
    if data.get("limit") not in (None, ""):
        objects = objects[offset : offset + _int(data, "limit", 0)]
    elif offset:
        objects = objects[offset:]
    if _bool(data, "all_fields"):
        return [dictize(o, package_count=o.package_count) for o in objects]
    return [o.name for o in objects]


def _group_show(
    context: Context, data: dict[str, Any], instance: Any, dictize: Callable[..., dict], path: str
) -> dict[str, Any]:
    datasets = selectors.datasets_for(context.user).filter(private=False, **{path: instance})
    result = dictize(instance, package_count=datasets.count())
    if _bool(data, "include_datasets"):
        result["packages"] = [
            _package(context, d) for d in selectors.with_relations(datasets.order_by("name"))[:1000]
        ]
    result["users"] = []
    return result


@read
def organization_list(context: Context, data: dict[str, Any]) -> list[Any]:
    """Return the organizations' names, or dicts with ``all_fields=true``.

    :param sort: ``name``, ``title`` or ``package_count``, then ``asc``/``desc``
    :param limit: / :param offset: paging
    :param organizations: only these names (JSON list)
    """
    return _group_list(
        context,
        data,
        selectors.organizations_with_counts(context.user),
        selectors.organization_dict,
    )


@read
def organization_show(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return an organization.

    :param id: its id or name
    :param include_datasets: also its public datasets (default false)
    """
    key = _id(data)
    org = selectors.organization_by_id_or_name(key)
    if org is None:
        raise _not_found(_("組織"), key)
    return _group_show(context, data, org, selectors.organization_dict, "owner_org")


@read
def organization_list_for_user(context: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the organizations the API token's user holds a permission in (none without a
    token), each with the user's ``capacity`` there. Catalog administrators hold every
    permission in every organization (admin). Other staff hold create_dataset, update_dataset,
    delete_dataset and read as editors in the organizations of their sections and of the bureau
    or ward office above them, and as explicit editors or admins (organization_member_create);
    explicit members hold read; manage_group and every other permission are the explicit
    admins'.

    :param id: the user's name or id (optional; another user's only for catalog administrators)
    :param permission: e.g. ``create_dataset`` (default ``manage_group``)
    :param include_dataset_count: add ``package_count`` (active datasets, private ones too)
    """
    user = _user_asked(context, str(data.get("id") or ""))
    permission = str(data.get("permission") or "manage_group")
    organizations = permissions.managed_organizations(user, permission).order_by("name")
    counted = _bool(data, "include_dataset_count")
    if counted:
        organizations = organizations.annotate(
            package_count=Count("datasets", filter=Q(datasets__state=State.ACTIVE))
        )
    organizations = list(organizations)
    capacities = permissions.capacities(user, organizations)
    return [
        {
            **selectors.organization_dict(
                org, package_count=org.package_count if counted else None
            ),
            "capacity": capacities[org.pk],
        }
        for org in organizations
    ]


def _user_asked(context: Context, key: str) -> Any:
    caller = context.user
    if not key or (caller is not None and key in {caller.username, str(caller.pk)}):
        return caller
    if not permissions.is_catalog_admin(caller):
        raise NotAuthorized(_("ほかの利用者の組織を調べられるのはカタログ管理者だけです。"))
    numeric = key.isdigit() and len(key) < 10  # a database id, not past the column's range
    query = Q(username=key) | Q(pk=int(key)) if numeric else Q(username=key)
    user = get_user_model().objects.filter(query).first()
    if user is None:
        raise _not_found(_("職員"), key)
    return user


@read
def group_list(context: Context, data: dict[str, Any]) -> list[Any]:
    """Return the groups' names, or dicts with ``all_fields=true`` (same options as
    organization_list)."""
    return _group_list(
        context, data, selectors.groups_with_counts(context.user), selectors.group_dict
    )


@read
def group_show(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return a group.

    :param id: its id or name
    :param include_datasets: also its public datasets (default false)
    """
    key = _id(data)
    group = selectors.group_by_id_or_name(key)
    if group is None:
        raise _not_found(_("グループ"), key)
    return _group_show(context, data, group, selectors.group_dict, "groups")


@read
def tag_list(context: Context, data: dict[str, Any]) -> list[Any]:
    """Return the tags of public datasets.

    :param query: only tags containing this text
    :param all_fields: dicts instead of names
    """
    names = selectors.tag_names(str(data.get("query") or ""))
    if _bool(data, "all_fields"):
        return [{"name": n, "display_name": n, "vocabulary_id": None} for n in names]
    return names


@read
def resource_show(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Return a resource.

    :param id: the resource's id
    """
    return selectors.resource_dict(_resource(context, _id(data)), context.base_url)


@read
def license_list(context: Context, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the licences datasets may use (``license_id``)."""
    return [selectors.license_dict(license) for license in License.objects.all()]


@read
def datastore_search(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Search the rows of a tabular resource loaded into the datastore.

    :param resource_id: the resource's id
    :param q: words that must all appear in the row
    :param filters: JSON object of column: value (or list of values)
    :param sort: e.g. ``人口 desc, 名称``
    :param limit: rows (default 100, at most 32000); :param offset: the first row
    :param fields: the columns to return (list or comma-separated)
    :param include_total: count the matching rows (default true)
    :param total_estimation_threshold: without filters or q, a table of at least this many
        rows reports its row count from the table's statistics (``total_was_estimated``)
    """
    key = str(data.get("resource_id") or data.get("id") or "")
    if not key:
        raise ValidationError(resource_id=[_("必須項目です。")])
    resource = _resource(context, key)
    if not resource.datastore_active:
        raise _not_found(_("データストアのテーブル"), key)
    limit = _int(data, "limit", 100, MAX_DATASTORE_LIMIT)
    offset = _int(data, "offset", 0)
    try:
        result = datastore.search(
            resource,
            q=str(data.get("q") or ""),
            filters=_json_dict(data, "filters"),
            sort=str(data.get("sort") or ""),
            limit=limit,
            offset=offset,
            fields=[str(f) for f in _json_list(data, "fields")] or None,
            include_total=_bool(data, "include_total", True),
            total_estimation_threshold=(
                None
                if data.get("total_estimation_threshold") in (None, "")
                else _int(data, "total_estimation_threshold", 0)
            ),
        )
    except datastore.SearchError as error:
        raise ValidationError(**{error.field: [error.message]}) from error
    link = context.api_path + "datastore_search?"
    result["_links"] = {
        "start": link + urlencode({"resource_id": key}),
        "next": link + urlencode({"offset": offset + limit, "resource_id": key}),
    }
    return result


# ---------------------------------------------------------------------------------------------
# Writes (an API token of a staff member; opendata.permissions says which organizations)


def _may_publish(context: Context, organization: Organization) -> None:
    if not permissions.can_publish_for(context.user, organization):
        raise NotAuthorized(
            _("組織「%(organization)s」のデータセットを作成・変更する権限がありません。")
            % {"organization": organization.name}
        )


def _may_write(context: Context, dataset: Dataset, data: dict[str, Any]) -> None:
    """Rights on the dataset's organization, and on the one it moves to (``owner_org``)."""
    _may_publish(context, dataset.owner_org)
    key = data.get("owner_org")
    target = selectors.organization_by_id_or_name(str(key)) if key else None
    if target is not None and target.pk != dataset.owner_org_id:
        _may_publish(context, target)


def _may_manage_catalog_groups(context: Context) -> None:
    if not permissions.can_manage_catalog_groups(context.user):
        raise NotAuthorized(
            _("組織の作成と、グループの作成・変更ができるのはカタログ管理者だけです。")
        )


def _may_administer(context: Context, organization: Organization) -> None:
    if not permissions.can_administer(context.user, organization):
        raise NotAuthorized(
            _(
                "組織「%(organization)s」を変更し、メンバーを管理できるのは、"
                "その組織の管理者とカタログ管理者だけです。"
            )
            % {"organization": organization.name}
        )


@write
def package_create(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Create a dataset.

    :param name: 2-100 of a-z 0-9 - _ (unique)
    :param owner_org: the organization's id or name
    :param title, notes, title_en, notes_en, license_id, tags ([{"name": …}]), groups,
        frequency, spatial, temporal_start, temporal_end (YYYY-MM-DD), contact_name,
        contact_email, url, version, private, extras ([{"key", "value"}]), resources
    """
    key = data.get("owner_org")
    organization = selectors.organization_by_id_or_name(str(key)) if key else None
    if organization is not None:  # an unknown or missing one is a Validation Error
        _may_publish(context, organization)
    return _package(context, services.save_dataset(context.user, data))


@write
def package_update(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a dataset's metadata (fields left out are emptied; resources are kept when
    ``resources`` is left out).

    :param id: the dataset's id or name
    """
    dataset = _dataset(context, str(data.get("id") or data.get("name") or ""))
    _may_write(context, dataset, data)
    return _package(context, services.save_dataset(context.user, data, dataset))


@write
def package_patch(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the given fields of a dataset.

    :param id: the dataset's id or name
    """
    dataset = _dataset(context, _id(data))
    _may_write(context, dataset, data)
    return _package(context, services.patch_dataset(context.user, dataset, data))


@write
def package_delete(context: Context, data: dict[str, Any]) -> None:
    """Delete a dataset (its state becomes ``deleted``; it leaves search and public views).

    :param id: the dataset's id or name
    """
    dataset = _dataset(context, _id(data))
    _may_write(context, dataset, {})
    services.delete_dataset(context.user, dataset)


def _upload(context: Context) -> UploadedFile | None:
    return context.files.get("upload")


@write
def resource_create(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Add a resource to a dataset: a link (``url``) or a file (multipart field ``upload``).
    CSV files are loaded into the datastore in the background.

    :param package_id: the dataset's id or name
    :param name, description, format, url
    """
    dataset = selectors.dataset_by_id_or_name(context.user, str(data.get("package_id") or ""))
    if dataset is not None:  # an unknown one is a Validation Error
        _may_write(context, dataset, {})
    resource = services.save_resource(context.user, data, _upload(context))
    return selectors.resource_dict(resource, context.base_url)


@write
def resource_update(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a resource's fields, and its file when ``upload`` is sent.

    :param id: the resource's id
    """
    resource = _resource(context, _id(data))
    _may_write(context, resource.dataset, {})
    resource = services.save_resource(context.user, data, _upload(context), resource)
    return selectors.resource_dict(resource, context.base_url)


@write
def resource_patch(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Change only the given fields of a resource (and its file when ``upload`` is sent).

    :param id: the resource's id
    """
    resource = _resource(context, _id(data))
    _may_write(context, resource.dataset, {})
    resource = services.patch_resource(context.user, resource, data, _upload(context))
    return selectors.resource_dict(resource, context.base_url)


@write
def resource_delete(context: Context, data: dict[str, Any]) -> None:
    """Delete a resource and its file.

    :param id: the resource's id
    """
    resource = _resource(context, _id(data))
    _may_write(context, resource.dataset, {})
    services.delete_resource(context.user, resource)


def _organization(key: str) -> Organization:
    org = selectors.organization_by_id_or_name(key)
    if org is None:
        raise _not_found(_("組織"), key)
    return org


@write
def organization_create(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Create an organization.

    :param name: 2-100 of a-z 0-9 - _ (unique)
    :param title, title_en, description, image_url
    """
    _may_manage_catalog_groups(context)
    return selectors.organization_dict(services.save_organization(data))


@write
def organization_update(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Replace an organization's fields. Catalog administrators and the organization's admins
    may.

    :param id: its id or name
    """
    org = _organization(str(data.get("id") or data.get("name") or ""))
    _may_administer(context, org)
    return selectors.organization_dict(services.save_organization(data, org))


@write
def group_create(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Create a group (a theme).

    :param name: 2-100 of a-z 0-9 - _ (unique)
    :param title, title_en, description, image_url
    """
    _may_manage_catalog_groups(context)
    return selectors.group_dict(services.save_group(data))


@write
def group_update(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Replace a group's fields.

    :param id: its id or name
    """
    _may_manage_catalog_groups(context)
    key = str(data.get("id") or data.get("name") or "")
    group = selectors.group_by_id_or_name(key)
    if group is None:
        raise _not_found(_("グループ"), key)
    return selectors.group_dict(services.save_group(data, group))


# ---------------------------------------------------------------------------------------------
# Members of organizations (explicit roles; opendata.permissions says what each allows)


@read
def member_roles_list(context: Context, data: dict[str, Any]) -> list[dict[str, str]]:
    """Return the roles a member of an organization may hold: ``value`` (``admin``,
    ``editor``, ``member``) and ``text`` (its name in the caller's language).

    :param group_type: ``organization`` (default) or ``group`` (no editor there)
    """
    roles = [{"text": str(label), "value": value} for value, label in Capacity.choices]
    if str(data.get("group_type") or "organization") == "group":
        return [role for role in roles if role["value"] != Capacity.EDITOR]
    return roles


@read
def member_list(context: Context, data: dict[str, Any]) -> list[list[str]]:
    """Return an organization's members as ``[id, type, capacity]`` lists: its explicit
    members (``user``, the capacity's name in the caller's language as CKAN translates it:
    Admin, Editor, Member) and its datasets (``package``, ``organization``). Staff who publish
    through their section are not listed. Needs a staff member's API token.

    :param id: the organization's id or name
    :param object_type: only ``user`` or only ``package`` (optional)
    :param capacity: only this capacity: ``admin``, ``editor`` or ``member`` (optional)
    """
    if not selectors.is_staff(context.user):
        raise NotAuthorized(_("組織のメンバーを見るには職員のAPIトークンが必要です。"))
    org = _organization(_id(data))
    object_type = str(data.get("object_type") or "")
    capacity = str(data.get("capacity") or "")
    found: list[list[str]] = []
    if object_type in {"", "user"}:
        members = selectors.members_of(org)
        if capacity:
            members = members.filter(capacity=capacity)
        names = dict(Capacity.choices)
        found += [[str(m.user_id), "user", str(names[m.capacity])] for m in members]
    if object_type in {"", "package"} and capacity in {"", "organization"}:
        datasets = selectors.datasets_for(context.user).filter(owner_org=org).order_by("name")
        found += [
            [str(pk), "package", "organization"] for pk in datasets.values_list("pk", flat=True)
        ]
    return found


@write
def organization_member_create(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    """Make a staff member of this municipality a member of an organization, or change their
    role there. Catalog administrators and the organization's admins may. An editor publishes
    for the organization; an admin also updates it and manages its members; a member reads.

    :param id: the organization's id or name
    :param username: the staff member's username or id
    :param role: ``admin``, ``editor`` or ``member``
    :returns: the membership: id, group_id, table_id (the user's id), table_name, capacity,
        state
    """
    org = _organization(_id(data))
    _may_administer(context, org)
    member = services.set_member(context.user, org, data.get("username"), data.get("role"))
    return selectors.member_dict(member)


@write
def organization_member_delete(context: Context, data: dict[str, Any]) -> None:
    """Remove a user from an organization's members (nothing changes when they are not one).
    Catalog administrators and the organization's admins may.

    :param id: the organization's id or name
    :param username: the user's username or id
    """
    org = _organization(_id(data))
    _may_administer(context, org)
    key = str(data.get("username") or data.get("user_id") or "")
    if not key:
        raise ValidationError(username=[_("必須項目です。")])
    user = selectors.staff_account(key)
    if user is None:
        raise _not_found(_("職員"), key)
    services.remove_member(context.user, org, user)
