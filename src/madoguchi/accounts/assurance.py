"""Levels of assurance of a resident's login (身元確認・当人認証の保証レベル).

A login through the My Number card (デジタル認証アプリ) is ``high``; a provider that verified the
person some other way is ``substantial``; a password is ``low``. The level of the current login
lives in the session; a procedure may ask for a minimum and the resident then logs in again
through a provider that can reach it (step-up).
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

LOW, SUBSTANTIAL, HIGH = "low", "substantial", "high"
LEVELS = [LOW, SUBSTANTIAL, HIGH]
CHOICES = [
    (LOW, _("低（パスワード等）")),
    (SUBSTANTIAL, _("中（本人確認済みのアカウント）")),
    (HIGH, _("高（マイナンバーカード）")),
]
SESSION_KEY = "madoguchi_assurance"


def rank(level: str) -> int:
    return LEVELS.index(level) if level in LEVELS else -1


def at_least(level: str, minimum: str) -> bool:
    return rank(level) >= rank(minimum or LOW)


def highest(levels: list[str], default: str = LOW) -> str:
    known = [level for level in levels if level in LEVELS]
    return max(known, key=rank) if known else default


def current(request: HttpRequest) -> str:
    return request.session.get(SESSION_KEY, "") if hasattr(request, "session") else ""


def remember(request: HttpRequest, level: str) -> None:
    request.session[SESSION_KEY] = level


def label(level: str) -> str:
    return str(dict(CHOICES).get(level, level))
