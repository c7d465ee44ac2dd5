"""Staff pages: an organization's explicit members (CKAN's organization roles), listed, added
and removed by catalog administrators and the organization's admins; other staff get a 403
page that says who may, staff of other municipalities 404. Writes go through
``opendata.services``, which audits every change."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.permissions import staff_required
from madoguchi.opendata import permissions, selectors, services
from madoguchi.opendata.models import Organization, State

from ..forms import MemberForm


def _organization(user: Any, name: str) -> Organization:
    organization = Organization.objects.filter(state=State.ACTIVE, name=name).first()
    if organization is None or not selectors.is_staff(user):
        raise Http404
    return organization


def _forbidden(request: HttpRequest, organization: Organization) -> HttpResponse:
    message = _(
        "「%(organization)s」のメンバーを管理できるのは、その組織の管理者とカタログ管理者だけです。"
    ) % {"organization": organization.title}
    return render(
        request,
        "dataportal/staff/forbidden.html",
        {"message": message, "dataset": None},
        status=403,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def members(request: HttpRequest, name: str) -> HttpResponse:
    """The members and a form that adds one (or changes their role)."""
    organization = _organization(request.user, name)
    if not permissions.can_administer(request.user, organization):
        return _forbidden(request, organization)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.set_member(
                request.user,
                organization,
                form.cleaned_data["username"],
                form.cleaned_data["role"],
            )
        except services.ValidationFailed as failed:
            for field, errors in failed.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, str(error))
        else:
            messages.success(
                request,
                _("「%(username)s」を%(role)sにしました。")
                % {"username": member.user.username, "role": member.get_capacity_display()},
            )
            return redirect("dataportal-staff:organization-members", organization.name)
    return render(
        request,
        "dataportal/staff/members.html",
        {
            "organization": organization,
            "members": list(selectors.members_of(organization)),
            "form": form,
        },
    )


@require_POST
@staff_required
def remove_member(request: HttpRequest, name: str) -> HttpResponse:
    organization = _organization(request.user, name)
    if not permissions.can_administer(request.user, organization):
        return _forbidden(request, organization)
    username = request.POST.get("username", "")
    user = selectors.staff_account(username)
    if user is not None and services.remove_member(request.user, organization, user):
        messages.success(
            request, _("「%(username)s」をメンバーから外しました。") % {"username": username}
        )
    else:  # already removed (a second press, another admin): say so, change nothing
        messages.info(
            request,
            _("「%(username)s」はこの組織のメンバーではありません。") % {"username": username},
        )
    return redirect("dataportal-staff:organization-members", organization.name)
