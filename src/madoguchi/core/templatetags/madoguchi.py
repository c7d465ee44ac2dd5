import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from madoguchi.core import i18n, wareki

register = template.Library()


@register.filter
def localized(obj: object, field: str) -> str:
    return i18n.localized(obj, field)


@register.filter
def pick(texts: dict[str, str] | str | None) -> str:
    return i18n.pick(texts)


@register.filter
def jdate(value: dt.date | dt.datetime | None) -> str:
    """A date in the reader's language: 令和8年（2026年）11月26日 in Japanese."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    if i18n.current_language() == "ja":
        return wareki.format_both(value)
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def jdatetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{jdate(local)} {local:%H:%M}"


@register.filter
def yen(amount: int | None) -> str:
    """300円 in Japanese, ¥300 in English."""
    if amount is None:
        return ""
    return _("%(amount)s円") % {"amount": f"{amount:,}"}
