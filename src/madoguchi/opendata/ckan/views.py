"""The CKAN action API's HTTP side: /api/3/action/<name> and /api/action/<name>.

Plain views without redirects or CSRF: writes are authorised by an API token in the
``Authorization`` (or ``X-CKAN-API-Key``) header only, never by a session cookie, so a page on
another site cannot make a browser write here.
"""

import contextlib
import json
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from madoguchi.opendata import selectors, services
from madoguchi.opendata.models import ApiToken, Resource, hash_token

from . import actions


def _token_user(request: HttpRequest) -> tuple[Any, bool]:
    """(the staff member of the API token, whether a token was sent at all)."""
    header = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    token = header.removeprefix("Bearer ").strip()
    if not token:
        return None, False
    api_token = (
        ApiToken.objects.select_related("user__municipality")
        .filter(key_hash=hash_token(token), revoked=False)
        .first()
    )
    if (
        api_token is None
        or (api_token.expires_at and api_token.expires_at <= timezone.now())
        or not selectors.is_staff(api_token.user)
    ):
        return None, True
    ApiToken.objects.filter(pk=api_token.pk).update(last_used=timezone.now())
    return api_token.user, True


def _data(request: HttpRequest) -> dict[str, Any]:
    if request.method == "GET":
        return {key: request.GET.get(key) for key in request.GET}
    if request.content_type == "application/json" or (
        request.body[:1] in (b"{", b"[") and not request.POST
    ):
        data = json.loads(request.body or b"{}")
        if not isinstance(data, dict):
            raise actions.ActionError(_("リクエストの本文はJSONのオブジェクトにしてください。"))
        return data
    data = {key: request.POST.get(key) for key in request.POST}
    for key, value in data.items():
        # Multipart clients send lists and objects (tags, extras) as JSON text.
        if key in {"tags", "groups", "extras", "resources"} and value[:1] in ("[", "{"):
            with contextlib.suppress(ValueError):
                data[key] = json.loads(value)
    return data


def _envelope(
    request: HttpRequest, name: str, payload: dict[str, Any], status: int
) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    return JsonResponse(
        {"help": help_url, **payload}, status=status, json_dumps_params={"ensure_ascii": False}
    )


@csrf_exempt
def action(request: HttpRequest, name: str) -> HttpResponse:
    function = actions.READ.get(name) or actions.WRITE.get(name)
    try:
        if function is None:
            raise actions.ActionError(
                _("不正なリクエスト: アクション「%(name)s」はありません。") % {"name": name}
            )
        if request.method not in {"GET", "POST"}:
            raise actions.ActionError(_("GETかPOSTで呼び出してください。"))
        if name in actions.WRITE and request.method != "POST":
            raise actions.ActionError(_("このアクションはPOSTで呼び出してください。"))
        user, token_sent = _token_user(request)
        if token_sent and user is None:
            raise actions.NotAuthorized(_("APIトークンが無効です。"))
        try:
            data = _data(request)
        except (ValueError, UnicodeDecodeError):
            raise actions.ActionError(_("リクエストの本文をJSONとして読めません。")) from None
        context = actions.Context(
            user=user,
            base_url=request.build_absolute_uri("/"),
            api_path=request.path.removesuffix(name),
            files={key: request.FILES[key] for key in request.FILES},
        )
        result = function(context, data)
    except actions.ActionError as error:
        return _envelope(request, name, {"success": False, "error": error.body()}, error.status)
    return _envelope(request, name, {"success": True, "result": result}, 200)


def api_version(request: HttpRequest) -> JsonResponse:
    """/api/3 and /api: CKAN clients read the API version here."""
    return JsonResponse({"version": 3})


def download(
    request: HttpRequest, dataset_id: str, resource_id: str, filename: str
) -> FileResponse:
    """Stream an uploaded resource of a dataset the caller may see, counting the download."""
    user, _sent = _token_user(request)
    if user is None and selectors.is_staff(request.user):
        user = request.user
    resource = get_object_or_404(
        Resource.objects.filter(dataset__in=selectors.datasets_for(user)),
        pk=resource_id,
        dataset_id=dataset_id,
    )
    if not resource.upload:
        raise Http404
    services.count_download(resource)
    response = FileResponse(
        resource.upload.open("rb"),
        as_attachment=True,
        filename=resource.filename or "download",
        content_type=resource.mimetype or "application/octet-stream",
    )
    return response
