from django import forms
from django.utils.translation import gettext_lazy as _

from madoguchi.opendata.models import Dataset, Group, License, Organization, OrganizationMember
from madoguchi.opendata.standards import choices as standard_choices

MAX_UPLOAD = 50 * 1024 * 1024


class DatasetForm(forms.Form):
    name = forms.SlugField(
        label=_("URL名"),
        max_length=100,
        help_text=_("英小文字・数字・「-」・「_」の2〜100文字。例：aed-locations"),
        error_messages={"required": _("URL名を入力してください。")},
    )
    title = forms.CharField(
        label=_("タイトル"),
        max_length=300,
        error_messages={"required": _("タイトルを入力してください。")},
    )
    title_en = forms.CharField(label=_("タイトル（英語）"), max_length=300, required=False)
    notes = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    notes_en = forms.CharField(
        label=_("説明（英語）"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    owner_org = forms.ModelChoiceField(
        label=_("組織"),
        queryset=Organization.objects.none(),
        to_field_name="name",
        error_messages={
            "required": _("組織を選んでください。"),
            "invalid_choice": _(
                "この組織のデータセットは作成・変更できません。一覧から選んでください。"
            ),
        },
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("グループ"),
        queryset=Group.objects.filter(state="active"),
        to_field_name="name",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("タグ"), required=False, help_text=_("読点（、）またはカンマで区切ります。")
    )
    license_id = forms.ModelChoiceField(
        label=_("ライセンス"),
        queryset=License.objects.all(),
        required=False,
        empty_label=_("選んでください"),
    )
    frequency = forms.ChoiceField(
        label=_("更新頻度"),
        choices=[("", _("選んでください")), *Dataset.Frequency.choices],
        required=False,
    )
    spatial = forms.CharField(label=_("対象地域"), max_length=200, required=False)
    temporal_start = forms.DateField(
        label=_("対象期間（開始）"),
        required=False,
        help_text=_("例：2025-04-01"),
        error_messages={"invalid": _("日付は 2025-04-01 の形で入力してください。")},
    )
    temporal_end = forms.DateField(
        label=_("対象期間（終了）"),
        required=False,
        help_text=_("例：2026-03-31"),
        error_messages={"invalid": _("日付は 2026-03-31 の形で入力してください。")},
    )
    contact_name = forms.CharField(label=_("問い合わせ先"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("問い合わせ先メールアドレス"),
        required=False,
        error_messages={"invalid": _("メールアドレスの形式が正しくありません。")},
    )
    private = forms.BooleanField(label=_("非公開にする"), required=False)

    def __init__(self, *args, organizations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].queryset = organizations

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data["tags"].replace("、", ",")
        return [t.strip() for t in raw.split(",") if t.strip()]


class ResourceForm(forms.Form):
    upload = forms.FileField(
        label=_("ファイル"),
        help_text=_(
            "CSV、XLSX、JSON、GeoJSON、PDF など（50MBまで）。"
            "CSVの文字コードは UTF-8 または Shift_JIS。"
        ),
        error_messages={
            "required": _("ファイルを選んでください。"),
            "empty": _("ファイルが空です。"),
        },
    )
    name = forms.CharField(label=_("名前"), max_length=300, required=False)
    description = forms.CharField(
        label=_("説明"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    standard = forms.ChoiceField(
        label=_("自治体標準オープンデータセット"),
        required=False,
        help_text=_("選ぶと、CSVが標準の項目定義に合っているかを確かめてから公開します。"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [("", _("該当なし")), *standard_choices()]

    def clean_upload(self):
        upload = self.cleaned_data["upload"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("ファイルは50MBまでです。"))
        return upload

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("upload")
        if data.get("standard") and upload and not upload.name.lower().endswith(".csv"):
            self.add_error("standard", _("標準への適合を確かめられるのはCSVファイルだけです。"))
        return data


class MemberForm(forms.Form):
    """Add a staff member to an organization, or change their role (CKAN's member_new)."""

    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=150,
        help_text=_("この市の職員のユーザー名。すでにメンバーの職員は、役割が変わります。"),
        error_messages={"required": _("ユーザー名を入力してください。")},
    )
    role = forms.ChoiceField(
        label=_("役割"),
        choices=OrganizationMember.Capacity.choices,
        initial=OrganizationMember.Capacity.EDITOR,
        error_messages={"invalid_choice": _("役割を一覧から選んでください。")},
    )
