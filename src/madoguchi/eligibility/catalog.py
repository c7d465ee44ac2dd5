"""What people read about each program, in every site language (the rules themselves, with
their sources and versions, are in ``rules.programs``)."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .rules.programs import BY_CODE, PROGRAMS, Program


@dataclass(frozen=True)
class Text:
    name: Promise
    what: Promise  # what the resident may receive


TEXTS: dict[str, Text] = {
    "jido-teate": Text(
        _("児童手当"), _("高校生年代までのお子さんを育てている方に、毎月の手当を支給します。")
    ),
    "jido-fuyo-teate": Text(
        _("児童扶養手当"), _("ひとり親家庭などのお子さんを育てている方に、手当を支給します。")
    ),
    "tokubetsu-jido-fuyo-teate": Text(
        _("特別児童扶養手当"),
        _("障害のある20歳未満のお子さんを育てている方に、手当を支給します。"),
    ),
    "shogaiji-fukushi-teate": Text(
        _("障害児福祉手当"),
        _("重度の障害があり日常生活に常時介護が必要な20歳未満の方に、手当を支給します。"),
    ),
    "seikatsu-hogo": Text(
        _("生活保護"),
        _("世帯の収入が国の定める最低生活費に届かないとき、足りない分を保護費として支給します。"),
    ),
    "kodomo-iryo": Text(
        _("子ども医療費支給制度"),
        _("中学3年生までのお子さんの医療費（健康保険の自己負担）を京都市が支給します。"),
    ),
    "keiro-jyoshasho": Text(
        _("敬老乗車証"),
        _("市バス・地下鉄などに乗れる敬老乗車証を、所得に応じた負担金で交付します。"),
    ),
    "hitorioya-iryo": Text(
        _("ひとり親家庭等医療費支給制度"),
        _("ひとり親家庭の親とお子さんの医療費（健康保険の自己負担）を京都市が支給します。"),
    ),
}


def program(code: str) -> Program:
    return BY_CODE[code]


def text(code: str) -> Text:
    return TEXTS[code]


def programs() -> tuple[Program, ...]:
    return PROGRAMS
