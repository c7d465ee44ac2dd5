from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.core.i18n import localized
from madoguchi.organizations.models import Municipality, OrgUnit


class StandardDomain(models.TextChoices):
    """The 20 administrative domains of 自治体情報システム標準化 (the policy's list)."""

    JUMIN_KIHON_DAICHO = "jumin_kihon_daicho", _("住民基本台帳")
    INKAN_TOROKU = "inkan_toroku", _("印鑑登録")
    KOSEKI = "koseki", _("戸籍")
    KOSEKI_FUHYO = "koseki_fuhyo", _("戸籍の附票")
    SHUGAKU = "shugaku", _("就学")
    KOJIN_SHIMINZEI = "kojin_shiminzei", _("個人市民税")
    HOJIN_SHIMINZEI = "hojin_shiminzei", _("法人市民税")
    KOTEI_SHISANZEI = "kotei_shisanzei", _("固定資産税")
    KEIJIDOSHAZEI = "keijidoshazei", _("軽自動車税")
    SHOGAISHA_FUKUSHI = "shogaisha_fukushi", _("障害者福祉")
    KAIGO_HOKEN = "kaigo_hoken", _("介護保険")
    KOKUMIN_KENKO_HOKEN = "kokumin_kenko_hoken", _("国民健康保険")
    KOKI_KOREISHA_IRYO = "koki_koreisha_iryo", _("後期高齢者医療")
    KOKUMIN_NENKIN = "kokumin_nenkin", _("国民年金")
    SEIKATSU_HOGO = "seikatsu_hogo", _("生活保護")
    KENKO_KANRI = "kenko_kanri", _("健康管理")
    JIDO_TEATE = "jido_teate", _("児童手当")
    JIDO_FUYO_TEATE = "jido_fuyo_teate", _("児童扶養手当")
    KODOMO_KOSODATE = "kodomo_kosodate", _("子ども・子育て支援")
    SENKYONIN_MEIBO = "senkyonin_meibo", _("選挙人名簿管理")
    OTHER = "other", _("その他")


class Procedure(models.Model):
    """One administrative procedure (手続) of the city, online or not yet."""

    class FeeKind(models.TextChoices):
        NONE = "none", _("無料")
        FIXED = "fixed", _("定額")
        PER_COPY = "per_copy", _("1通ごと")
        SET_BY_CLERK = "set_by_clerk", _("審査時に決定")

    class PaymentTiming(models.TextChoices):
        BEFORE_SUBMISSION = "before_submission", _("申請時に支払う")
        AFTER_REVIEW = "after_review", _("審査の後に支払う（事後決済）")

    class NationalPriority(models.TextChoices):
        """マイナポータルからのオンライン化を国が優先的に進める手続群."""

        NONE = "", _("該当なし")
        CHILDCARE = "childcare", _("子育て関係")
        LONG_TERM_CARE = "long_term_care", _("介護関係")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    code = models.SlugField(_("手続コード"), max_length=80)
    name_ja = models.CharField(_("手続名"), max_length=200)
    name_en = models.CharField(_("手続名（英語）"), max_length=200, blank=True)
    summary_ja = models.TextField(_("概要"), blank=True)
    summary_en = models.TextField(_("概要（英語）"), blank=True)
    who_ja = models.TextField(_("申請できる人"), blank=True)
    who_en = models.TextField(_("申請できる人（英語）"), blank=True)
    domain = models.CharField(_("標準化対象分野"), max_length=30, choices=StandardDomain.choices)
    national_priority = models.CharField(
        _("国の優先オンライン化手続"),
        max_length=20,
        choices=NationalPriority.choices,
        default="",
        blank=True,
    )
    legal_basis = models.CharField(_("根拠法令"), max_length=300, blank=True)
    standard_processing_days = models.PositiveSmallIntegerField(
        _("標準処理期間（開庁日）"), null=True, blank=True
    )
    fee_kind = models.CharField(
        _("手数料の種類"), max_length=20, choices=FeeKind.choices, default=FeeKind.NONE
    )
    fee_yen = models.PositiveIntegerField(_("手数料（円）"), default=0)
    # A fee set by the clerk can only be paid after review, whatever this says.
    payment_timing = models.CharField(
        _("支払の時期"),
        max_length=20,
        choices=PaymentTiming.choices,
        default=PaymentTiming.BEFORE_SUBMISSION,
    )
    # The case workflow (a cases.Workflow code); empty means the standard one.
    workflow = models.SlugField(_("ワークフロー"), max_length=40, blank=True)
    required_attachments_ja = models.TextField(_("必要な添付書類"), blank=True)
    required_attachments_en = models.TextField(_("必要な添付書類（英語）"), blank=True)
    online_available = models.BooleanField(_("オンライン申請可"), default=False)
    # Routing: a ward-handled procedure goes to the section with ``responsible_function`` in the
    # resident's ward; otherwise to ``responsible_section``.
    handled_at_ward = models.BooleanField(_("区役所で取り扱う"), default=False)
    responsible_function = models.SlugField(_("担当所掌"), max_length=60, blank=True)
    responsible_section = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": OrgUnit.Kind.SECTION},
        verbose_name=_("担当課"),
    )
    # The level of assurance a resident's login needs to apply (accounts.assurance): a procedure
    # that issues a certificate or touches special personal data asks for the My Number card.
    minimum_assurance = models.CharField(
        _("必要な本人確認のレベル"),
        max_length=12,
        choices=[("low", _("低")), ("substantial", _("中")), ("high", _("高"))],
        default="low",
    )
    # 個人番号: only a procedure the My Number Act (番号法 別表) or an ordinance lets use it.
    # Staff of the case see the number masked and reveal it with a purpose (audited).
    uses_my_number = models.BooleanField(
        _("個人番号を利用する手続"),
        default=False,
        help_text=_("番号法の別表または条例で個人番号の利用が認められた手続だけを選んでください。"),
    )
    # Retention (as Open Forms does per form), applied by retention.services.purge.
    retention_days = models.PositiveIntegerField(
        _("終了した申請の保存期間（日）"),
        null=True,
        blank=True,
        help_text=_(
            "案件が終了（交付・却下・取下げ）してからこの日数が過ぎた申請は、回答と個人を特定する"
            "項目を消して匿名化します。案件の状態と日付は統計のために残ります。空欄なら消しません。"
        ),
    )
    draft_retention_days = models.PositiveIntegerField(
        _("下書きの保存期間（日）"),
        null=True,
        blank=True,
        default=30,
        help_text=_("最後に保存してからこの日数が過ぎた下書きを削除します。空欄なら消しません。"),
    )
    # The document issued on approval (a key of the issuance registry), if any.
    issued_document = models.SlugField(_("交付物"), max_length=60, blank=True)
    # Barriers to going online, as the policy's 参考3 surveys them.
    requires_paper = models.BooleanField(_("申請書の書面提出が必要"), default=False)
    requires_attachments = models.BooleanField(_("添付書類あり"), default=False)
    requires_face_to_face = models.BooleanField(_("対面での説明等が必要"), default=False)
    issues_document = models.BooleanField(_("交付物あり"), default=False)

    class Meta:
        verbose_name = _("手続")
        verbose_name_plural = _("手続")
        ordering = ["domain", "code"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="procedure_code_unique")
        ]

    def __str__(self) -> str:
        return self.name_ja

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def summary(self) -> str:
        return localized(self, "summary")

    @property
    def who(self) -> str:
        return localized(self, "who")

    @property
    def required_attachments(self) -> str:
        return localized(self, "required_attachments")

    @property
    def collects_fee(self) -> bool:
        return self.fee_kind != self.FeeKind.NONE

    @property
    def pays_before_submission(self) -> bool:
        return (
            self.fee_kind in {self.FeeKind.FIXED, self.FeeKind.PER_COPY}
            and self.payment_timing == self.PaymentTiming.BEFORE_SUBMISSION
        )

    def fee_for(self, copies: int = 1) -> int:
        if self.fee_kind == self.FeeKind.PER_COPY:
            return self.fee_yen * copies
        if self.fee_kind == self.FeeKind.FIXED:
            return self.fee_yen
        return 0
