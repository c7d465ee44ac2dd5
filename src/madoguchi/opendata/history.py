"""What changed from one saved version of a dataset's metadata to the next, in words, for the
history on the dataset page: a reader of KYOTO OPEN DATA wants to know whether a new version
holds new data or only a corrected description. Versions are package_show dicts
(``DatasetRevision.data``); counters that change without a write (downloads, datastore
loading) are not changes of the metadata."""

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .conformance import STANDARD_KEYS
from .models import Dataset, DatasetRevision, State

# package_show's keys as the dataset page labels them; a key that is a tuple changes together.
FIELDS: list[tuple[tuple[str, ...], Any]] = [
    (("title_translated",), gettext_lazy("タイトル")),
    (("notes_translated",), gettext_lazy("説明")),
    (("owner_org",), gettext_lazy("組織")),
    (("groups",), gettext_lazy("グループ")),
    (("tags",), gettext_lazy("タグ")),
    (("license_id",), gettext_lazy("ライセンス")),
    (("frequency",), gettext_lazy("更新頻度")),
    (("spatial",), gettext_lazy("対象地域")),
    (("temporal_start", "temporal_end"), gettext_lazy("対象期間")),
    (("contact_name", "contact_email"), gettext_lazy("問い合わせ先")),
    (("version",), gettext_lazy("バージョン")),
    (("url",), gettext_lazy("関連ページのURL")),
    (("name",), gettext_lazy("データセットのURL名")),
    (("extras",), gettext_lazy("その他の項目")),
]
# A resource's file is replaced when any of these changes (the address holds the file name).
FILE_KEYS = ("url", "hash", "size")
RESOURCE_FIELDS = ("name", "description", "format")


def _names(items: list[dict[str, Any]]) -> list[str]:
    return sorted(item["name"] for item in items)


def _value(data: dict[str, Any], key: str) -> Any:
    value = data.get(key)
    if key == "extras":
        # The standard check's mark is told with the file it was made on.
        return [e for e in value or () if e["key"] not in STANDARD_KEYS]
    return _names(value) if key in {"groups", "tags"} else value


def _title(resource: dict[str, Any]) -> str:
    return resource.get("name") or resource.get("url", "").rsplit("/", 1)[-1]


def _resource_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    name = _title(after)
    found = []
    if any(before.get(k) != after.get(k) for k in FILE_KEYS):
        found.append(_("ファイル「%(name)s」を差し替え") % {"name": name})
    if any(before.get(k) != after.get(k) for k in RESOURCE_FIELDS):
        found.append(_("ファイル「%(name)s」の名前・説明・形式を変更") % {"name": name})
    if any(before.get(k) != after.get(k) for k in STANDARD_KEYS):
        found.append(
            _("ファイル「%(name)s」を自治体標準オープンデータセットの定義で確認") % {"name": name}
            if after.get("standard")
            else _("ファイル「%(name)s」の自治体標準オープンデータセットの確認を取り消し")
            % {"name": name}
        )
    return found


def changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """The changes from ``previous`` (None: the first version) to ``current``, one phrase each,
    in the reader's language."""
    if previous is None:
        return [_("データセットを公開")]
    if current.get("state") == State.DELETED and previous.get("state") != State.DELETED:
        return [_("データセットを削除")]
    found: list[str] = []
    if previous.get("private") != current.get("private"):
        found.append(_("非公開に変更") if current.get("private") else _("公開に変更"))
    labels = [
        str(label)
        for keys, label in FIELDS
        if any(_value(previous, k) != _value(current, k) for k in keys)
    ]
    if labels:
        found.append(_("%(fields)sを変更") % {"fields": _("、").join(labels)})
    before = {r["id"]: r for r in previous.get("resources", [])}
    after = {r["id"]: r for r in current.get("resources", [])}
    for key, resource in after.items():
        if key not in before:
            found.append(_("ファイル「%(name)s」を追加") % {"name": _title(resource)})
        else:
            found += _resource_changes(before[key], resource)
    found += [
        _("ファイル「%(name)s」を削除") % {"name": _title(resource)}
        for key, resource in before.items()
        if key not in after
    ]
    kept = [key for key in before if key in after]
    if kept != [key for key in after if key in before]:
        found.append(_("ファイルの順序を変更"))
    return found or [_("変更なし（保存のみ）")]


def with_changes(revisions: list[DatasetRevision]) -> list[tuple[DatasetRevision, list[str]]]:
    """These versions (of any datasets) with what each changed from the one before it."""
    before = Q()
    for revision in revisions:
        before |= Q(dataset_id=revision.dataset_id, number=revision.number - 1)
    previous = {
        (p.dataset_id, p.number): p.data
        for p in (DatasetRevision.objects.filter(before) if revisions else ())
    }
    return [
        (revision, changes(previous.get((revision.dataset_id, revision.number - 1)), revision.data))
        for revision in revisions
    ]


def recent(dataset: Dataset, limit: int = 10) -> list[tuple[DatasetRevision, list[str]]]:
    """The dataset's newest ``limit`` versions with what each changed, newest first."""
    return with_changes(
        list(dataset.revisions.select_related("author").order_by("-number")[:limit])
    )
