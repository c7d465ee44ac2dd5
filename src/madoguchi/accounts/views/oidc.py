"""The OpenID Connect login: start (redirect to the provider) and callback (check and log in).
Residents and staff use the same two pages; the provider's configured audience decides."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from madoguchi.core.ratelimits import login_ratelimit

from .. import assurance, oidc, services, staff_auth
from ..redirects import safe_next_url

FAILURES = {
    "unavailable": (
        503,
        gettext_lazy(
            "ログインサービス（{name}）に接続できませんでした。"
            "時間をおいて、もう一度お試しください。"
        ),
    ),
    "cancelled": (400, gettext_lazy("ログインが取り消されました。")),
    "invalid": (
        400,
        gettext_lazy(
            "ログインサービスからの応答を確認できなかったため、ログインできませんでした。"
            "もう一度最初からお試しください。"
        ),
    ),
    "insufficient": (
        403,
        gettext_lazy(
            "この手続に必要な方法で本人確認ができませんでした。"
            "マイナンバーカードでログインしてください。"
        ),
    ),
    "unknown_staff": (
        403,
        gettext_lazy(
            "この職員アカウントは Madoguchi に登録されていません。"
            "システム管理者に連絡してください。"
        ),
    ),
}


def _config(key: str) -> oidc.ProviderConfig:
    config = oidc.configured().get(key)
    if config is None:
        raise Http404
    if config.audience == "residents" and key not in _enabled_resident_keys():
        raise Http404
    return config


def _enabled_resident_keys() -> list[str]:
    from ..providers import registry

    return [provider.key for provider in registry.enabled()]


def _callback_uri(request: HttpRequest, key: str) -> str:
    # One callback address per provider, the same in every language: it is registered there.
    with translation.override(None):
        return request.build_absolute_uri(reverse("accounts:oidc-callback", kwargs={"key": key}))


def _failed(
    request: HttpRequest, config: oidc.ProviderConfig, reason: str, next_url: str
) -> HttpResponse:
    status, message = FAILURES[reason]
    staff = config.audience == "staff"
    return render(
        request,
        "accounts/login_failed.html",
        {
            "message": str(message).format(name=_provider_label(config)),
            "retry_url": reverse("accounts:staff-login" if staff else "accounts:resident-login")
            + ("" if staff else f"?next={next_url}"),
            "staff": staff,
        },
        status=status,
    )


def _provider_label(config: oidc.ProviderConfig) -> str:
    english = translation.get_language() == "en" and config.label_en
    return config.label_en if english else (config.label_ja or config.key)


@require_GET
@login_ratelimit
def start(request: HttpRequest, key: str) -> HttpResponse:
    config = _config(key)
    default = "/staff/" if config.audience == "staff" else "/"
    next_url = safe_next_url(request, request.GET.get("next"), default)
    minimum = request.GET.get("assurance", "")
    minimum = minimum if minimum in assurance.LEVELS else ""
    try:
        return oidc.start(
            request,
            config,
            redirect_uri=_callback_uri(request, key),
            context={"next": next_url},
            minimum_assurance=minimum,
        )
    except oidc.LoginFailed as failure:
        return _failed(request, config, failure.reason, next_url)


@require_GET
@login_ratelimit
def callback(request: HttpRequest, key: str) -> HttpResponse:
    config = _config(key)
    try:
        claims, context = oidc.finish(request, config)
    except oidc.LoginFailed as failure:
        return _failed(request, config, failure.reason, "/")
    next_url = context.get("next") or "/"
    level = config.assurance_of(claims)
    if not assurance.at_least(level, context.get("minimum_assurance", "")):
        return _failed(request, config, "insufficient", next_url)
    if config.audience == "staff":
        return _staff_callback(request, config, claims, level, next_url)
    user = services.resident_for_claims(config, claims)
    services.log_in_resident(request, user, provider=config.key, level=level)
    if user.person_id is None:
        messages.warning(
            request,
            _(
                "住民記録との照合ができなかったため、一部の手続はオンラインで申請できません。"
                "お住まいの区役所・支所にお問い合わせください。"
            ),
        )
    return redirect(next_url)


def _staff_callback(
    request: HttpRequest, config: oidc.ProviderConfig, claims: dict, level: str, next_url: str
) -> HttpResponse:
    user = services.staff_for_claims(config, claims)
    if user is None:
        return _failed(request, config, "unknown_staff", next_url)
    # The city's IdP did the second factor when it says so (amr/acr mapped to substantial+).
    return staff_auth.password_or_idp_passed(
        request,
        user,
        next_url=next_url,
        second_factor_done=assurance.at_least(level, assurance.SUBSTANTIAL),
        method=config.key,
    )
