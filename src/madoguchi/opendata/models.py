"""The open data catalog, shaped like CKAN's: organizations (with their explicit members),
groups, tags, licences, datasets (packages) with resources, the datastore (tabular resources
loaded into rows) and API tokens.

Ids are UUIDs as in CKAN, so that clients which keep them (harvesters, ckanapi dump/load) work.
"""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from madoguchi.core.i18n import current_language, localized
from madoguchi.organizations.models import OrgUnit

# CKAN's rule for names (package, organization, group): 2-100 of a-z 0-9 - _.
NAME_PATTERN = r"^[a-z0-9_-]{2,100}$"
validate_name = RegexValidator(
    NAME_PATTERN,
    _("名前は英小文字・数字・「-」・「_」の2〜100文字で入力してください。"),
)


class State(models.TextChoices):
    ACTIVE = "active", _("公開中")
    DELETED = "deleted", _("削除済み")


class CatalogGroup(models.Model):
    """What CKAN's organizations and groups share (both are "groups" there)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("名前"), max_length=100, unique=True, validators=[validate_name])
    title_ja = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("名称（英語）"), max_length=200, blank=True)
    description_ja = models.TextField(_("説明"), blank=True)
    description_en = models.TextField(_("説明（英語）"), blank=True)
    image_url = models.URLField(_("画像URL"), blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def title(self) -> str:
        return localized(self, "title")


class Organization(CatalogGroup):
    """A publisher: one of the city's bureaus or sections where it maps onto one."""

    unit = models.ForeignKey(
        OrgUnit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="open_data_organizations",
        verbose_name=_("組織（局・課）"),
    )

    class Meta(CatalogGroup.Meta):
        verbose_name = _("組織（オープンデータ）")
        verbose_name_plural = _("組織（オープンデータ）")
        # Catalog administrators (opendata.permissions): every organization's datasets, and
        # creating and updating organizations and groups.
        permissions = [("manage_catalog", _("オープンデータのカタログを管理できる"))]


class OrganizationMember(models.Model):
    """An explicit member of an organization, as CKAN has them: a staff member granted a
    capacity there whatever their section (opendata.permissions says what each allows)."""

    class Capacity(models.TextChoices):
        # CKAN's role names; the labels are CKAN's English ones in the English catalog.
        ADMIN = "admin", pgettext_lazy("CKAN role", "管理者")
        EDITOR = "editor", pgettext_lazy("CKAN role", "編集者")
        MEMBER = "member", pgettext_lazy("CKAN role", "メンバー")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="members", verbose_name=_("組織")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="open_data_memberships",
        verbose_name=_("職員"),
    )
    capacity = models.CharField(_("役割"), max_length=10, choices=Capacity.choices)
    created = models.DateTimeField(_("追加日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("組織のメンバー")
        verbose_name_plural = _("組織のメンバー")
        ordering = ["organization", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="organization_member_unique"
            )
        ]
        indexes = [models.Index(fields=["user", "capacity"], name="organization_member_user")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.user_id} {self.capacity}"


class Group(CatalogGroup):
    """A theme (子育て, 防災 …) that datasets of any organization can belong to."""

    class Meta(CatalogGroup.Meta):
        verbose_name = _("グループ")
        verbose_name_plural = _("グループ")


class Tag(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("タグ"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("タグ")
        verbose_name_plural = _("タグ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class License(models.Model):
    """A licence as CKAN's license_list reports it (seeded by a migration)."""

    id = models.CharField(_("ID"), max_length=50, primary_key=True)
    title_ja = models.CharField(_("名称"), max_length=200)
    title_en = models.CharField(_("名称（英語）"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    od_conformance = models.CharField(max_length=20, default="not reviewed")
    osd_conformance = models.CharField(max_length=20, default="not reviewed")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ライセンス")
        verbose_name_plural = _("ライセンス")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title_ja

    @property
    def title(self) -> str:
        return localized(self, "title")


class Dataset(models.Model):
    """A dataset (CKAN: package)."""

    class Frequency(models.TextChoices):
        # The Dublin Core / EU frequency vocabulary, as DCAT-AP names it.
        CONTINUOUS = "continuous", _("随時")
        DAILY = "daily", _("毎日")
        WEEKLY = "weekly", _("毎週")
        MONTHLY = "monthly", _("毎月")
        QUARTERLY = "quarterly", _("四半期ごと")
        ANNUAL = "annual", _("毎年")
        IRREGULAR = "irregular", _("不定期")
        NEVER = "never", _("更新なし")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("名前"), max_length=100, unique=True, validators=[validate_name])
    title = models.CharField(_("タイトル"), max_length=300)
    title_en = models.CharField(_("タイトル（英語）"), max_length=300, blank=True)
    notes = models.TextField(_("説明"), blank=True)
    notes_en = models.TextField(_("説明（英語）"), blank=True)
    owner_org = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="datasets", verbose_name=_("組織")
    )
    groups = models.ManyToManyField(Group, blank=True, related_name="datasets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    license = models.ForeignKey(
        License, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("ライセンス")
    )
    frequency = models.CharField(
        _("更新頻度"), max_length=20, choices=Frequency.choices, blank=True
    )
    spatial = models.CharField(_("対象地域"), max_length=200, blank=True)
    temporal_start = models.DateField(_("対象期間（開始）"), null=True, blank=True)
    temporal_end = models.DateField(_("対象期間（終了）"), null=True, blank=True)
    contact_name = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    contact_email = models.EmailField(_("問い合わせ先メールアドレス"), blank=True)
    url = models.URLField(_("ソースURL"), max_length=500, blank=True)
    version = models.CharField(_("バージョン"), max_length=100, blank=True)
    # CKAN's free key/value extras, kept as a dict (harvest source, standard dataset …).
    extras = models.JSONField(_("追加情報"), default=dict, blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.ACTIVE)
    private = models.BooleanField(_("非公開"), default=False)
    created = models.DateTimeField(_("作成日時"), auto_now_add=True)
    modified = models.DateTimeField(_("更新日時"), auto_now=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("データセット")
        verbose_name_plural = _("データセット")
        ordering = ["-modified"]
        # private after modified: SQLite reads ``NOT private`` as a filter, not an index key,
        # and the newest first should still come from the index on both databases.
        indexes = [models.Index(fields=["state", "-modified", "private"], name="dataset_newest")]

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The English title on English pages when there is one, else the Japanese."""
        return (current_language() == "en" and self.title_en) or self.title


class DatasetRevision(models.Model):
    """Each saved version of a dataset's metadata, as the API would show it (package_show)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset_id} r{self.number}"


def resource_upload_to(instance: "Resource", filename: str) -> str:
    # A random name: the original name is kept on the row, never trusted as a path.
    return f"opendata/{uuid.uuid4().hex}"


class Resource(models.Model):
    """A file of a dataset: uploaded (kept in private storage, streamed by the download view)
    or a link elsewhere."""

    class DatastoreStatus(models.TextChoices):
        NONE = "", _("なし")
        PENDING = "pending", _("取込待ち")
        DONE = "done", _("取込済み")
        ERROR = "error", _("取込失敗")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("名前"), max_length=300, blank=True)
    description = models.TextField(_("説明"), blank=True)
    format = models.CharField(_("形式"), max_length=50, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    upload = models.FileField(_("ファイル"), upload_to=resource_upload_to, blank=True)
    filename = models.CharField(_("ファイル名"), max_length=255, blank=True)
    size = models.BigIntegerField(_("サイズ"), null=True, blank=True)
    mimetype = models.CharField(_("MIMEタイプ"), max_length=100, blank=True)
    hash = models.CharField(_("SHA-256"), max_length=64, blank=True)
    position = models.PositiveIntegerField(default=0)
    datastore_active = models.BooleanField(default=False)
    datastore_status = models.CharField(
        max_length=10, choices=DatastoreStatus.choices, default=DatastoreStatus.NONE, blank=True
    )
    # What went wrong loading the datastore: [{"row": 12, "message": "…"}], readable as is.
    datastore_errors = models.JSONField(default=list, blank=True)
    datastore_rows = models.PositiveIntegerField(default=0)
    download_count = models.PositiveIntegerField(_("ダウンロード数"), default=0)
    extras = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_modified = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("リソース")
        verbose_name_plural = _("リソース")
        ordering = ["dataset", "position"]

    def __str__(self) -> str:
        return self.name or self.filename or str(self.id)

    @property
    def url_type(self) -> str:
        return "upload" if self.upload else ""


class DatastoreField(models.Model):
    """A column of a resource loaded into the datastore, in file order."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="fields")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=20)  # CKAN's: text, int, numeric

    class Meta:
        ordering = ["resource", "position"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "position"], name="datastore_field_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SearchDocument(models.Model):
    """A dataset in the search index. Its grams live in the database's own full-text index,
    keyed by this row's id: on PostgreSQL the ``vector`` column (tsvector, GIN index) that the
    migration adds, on SQLite the FTS5 table ``opendata_searchfts`` (rowid = id). ``facets``
    holds the dataset's facet values, read with the matches to count facets in one pass;
    ``package`` its package_show dict as JSON, from which search results are served."""

    dataset = models.OneToOneField(
        Dataset, on_delete=models.CASCADE, related_name="search_document"
    )
    public = models.BooleanField(default=False)  # counted in FacetCount
    facets = models.TextField(blank=True)
    package = models.TextField(blank=True, db_default="")

    def __str__(self) -> str:
        return str(self.dataset_id)


class FacetValue(models.Model):
    """A dataset's value of a search facet (organization, groups, tags, res_format,
    license_id), kept with the search index: filters and facet counts read this one table."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="facet_values")
    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=300)

    class Meta:
        indexes = [models.Index(fields=["facet", "value", "dataset"])]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "facet", "value"], name="facet_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facet}:{self.value}"


class FacetCount(models.Model):
    """How many public, active datasets hold each facet value: the facets of the unfiltered
    catalog, kept up to date by ``search.index``."""

    facet = models.CharField(max_length=20)
    value = models.CharField(max_length=300)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value"], name="facet_count_unique")
        ]

    def __str__(self) -> str:
        return f"{self.facet}:{self.value} {self.count}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(models.Model):
    """A staff member's API token; only its SHA-256 is kept (the token is random, 256 bits)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("名前"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("有効期限"), null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")
        ordering = ["-created"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple["ApiToken", str]:
        """Create a token; the clear value is returned once and never stored."""
        token = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=hash_token(token)), token
