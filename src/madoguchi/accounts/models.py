from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.organizations.models import Municipality, OrgUnit


class User(AbstractUser):
    """Residents and staff are distinct kinds of user and never share pages."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("住民")
        STAFF = "staff", _("職員")

    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    full_name = models.CharField(_("氏名"), max_length=100, blank=True)
    # A resident's link to the registry (住民基本台帳). Set only by an authentication provider
    # from what it verified, never from what the user typed.
    person = models.OneToOneField(
        "residents.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
    )
    # Accounts made by the demo data: the labelled demo provider logs them in without a password.
    is_demo = models.BooleanField(_("デモ用"), default=False)
    preferred_language = models.CharField(
        _("通知の言語"), max_length=8, default="ja", choices=[("ja", "日本語"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_resident(self) -> bool:
        return self.kind == self.Kind.RESIDENT

    @property
    def is_city_staff(self) -> bool:
        return self.kind == self.Kind.STAFF


class StaffMembership(models.Model):
    """A staff member's place in a section, with the role they hold there."""

    class Role(models.TextChoices):
        CLERK = "clerk", _("担当")
        APPROVER = "approver", _("決裁者")
        ADMIN = "admin", _("管理者")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    section = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        limit_choices_to={"kind": OrgUnit.Kind.SECTION},
        related_name="memberships",
    )
    role = models.CharField(_("役割"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("所属")
        verbose_name_plural = _("所属")
        constraints = [
            models.UniqueConstraint(fields=["user", "section"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.section} {self.get_role_display()}"


class ExternalIdentity(models.Model):
    """An account at an identity provider (issuer + subject) that logs in to a Madoguchi user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="identities")
    provider = models.CharField(_("認証サービス"), max_length=40)
    issuer = models.CharField(_("発行者"), max_length=300)
    subject = models.CharField(_("利用者識別子"), max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("外部の認証アカウント")
        verbose_name_plural = _("外部の認証アカウント")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"
