"""The public verification page: anyone holding a certificate (on paper or as a file) checks
that the city issued it, that it is unaltered and not revoked. It shows what kind of document
it is, who issued it and when — never the person's data."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.issuance import selectors as issuance

MAX_PDF_BYTES = 5 * 1024 * 1024


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("検証コード"),
        max_length=30,
        help_text=_("証明書のQRコードの横に印刷されている12文字（例：ABCD-EFGH-JKMN）"),
        error_messages={"required": _("検証コードを入力してください。")},
    )


class FileForm(forms.Form):
    pdf = forms.FileField(
        label=_("PDFファイル"),
        help_text=_("交付されたPDFをそのまま選んでください（5MBまで）。"),
        validators=[FileExtensionValidator(["pdf"])],
        error_messages={
            "required": _("PDFファイルを選んでください。"),
            "invalid_extension": _("PDFファイルを選んでください。"),
        },
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（5MBまで）。"))
        return upload.read()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    code_form = CodeForm(prefix="code")
    file_form = FileForm(prefix="file")
    form = None
    if request.method == "POST" and "code-code" in request.POST:
        code_form = form = CodeForm(request.POST, prefix="code")
        if code_form.is_valid():
            code = code_form.cleaned_data["code"]
            document = issuance.by_verification_code(code)
            return _result_page(request, document=document, code=code)
    elif request.method == "POST":
        file_form = form = FileForm(request.POST, request.FILES, prefix="file")
        if file_form.is_valid():
            checked = issuance.verify_file(file_form.cleaned_data["pdf"])
            return render(
                request,
                "portal/verify_result.html",
                {"document": checked.document, "file_check": checked, "by_file": True},
            )
    return render(
        request,
        "portal/verify.html",
        {"code_form": code_form, "file_form": file_form, "form": form},
    )


@require_GET
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where the QR code points."""
    document = issuance.by_verification_code(code)
    if document is None and not code:
        return redirect("portal:verify")
    return _result_page(request, document=document, code=code)


def _result_page(request: HttpRequest, *, document: object, code: str) -> HttpResponse:
    response = render(
        request,
        "portal/verify_result.html",
        {"document": document, "code": code, "by_file": False},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
