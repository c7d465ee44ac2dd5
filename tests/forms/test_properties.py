"""Properties of the validators over many generated inputs (Hypothesis): whatever way a
resident writes a date, a name in kana or a postal code, it is read as the same value."""

import datetime as dt

import jaconv
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from madoguchi.core import wareki
from madoguchi.forms import engine, validators
from madoguchi.forms.schema import Condition, FormSchema
from madoguchi.forms.sources import ChoiceContext

# No deadline: on a busy shared machine an example may be slow; only the result matters.
unhurried = settings(deadline=None)

DATES = st.dates(min_value=wareki.GREGORIAN_SINCE, max_value=dt.date(2100, 12, 31))
ERA_LETTERS = {"明治": "M", "大正": "T", "昭和": "S", "平成": "H", "令和": "R"}


def _full_width(text: str) -> str:
    return jaconv.h2z(text, kana=False, ascii=True, digit=True)


@unhurried
@given(DATES)
def test_wareki_and_seireki_round_trip(date: dt.date) -> None:
    for written in (
        wareki.format_wareki(date),
        wareki.format_seireki(date),
        date.isoformat(),
        f"{date.year}/{date.month}/{date.day}",
        _full_width(wareki.format_wareki(date)),
        _full_width(date.isoformat()),
    ):
        assert wareki.parse_date(written) == date, written


@unhurried
@given(DATES)
def test_era_letters_round_trip(date: dt.date) -> None:
    era, year = wareki.era_year(date)
    letter = ERA_LETTERS[era]
    number = "1" if year == "元" else year
    assert wareki.parse_date(f"{letter}{number}.{date.month}.{date.day}") == date
    assert wareki.parse_date(f"{letter.lower()}{number}/{date.month}/{date.day}") == date


@unhurried
@given(st.dates(min_value=dt.date(2019, 5, 1), max_value=dt.date(2087, 12, 31)))
def test_a_year_after_its_era_ended_is_refused(date: dt.date) -> None:
    heisei_year = date.year - 1988
    with pytest.raises(wareki.DateOutsideEra):
        wareki.parse_date(f"平成{heisei_year}年{date.month}月{date.day}日")


@unhurried
@given(st.text(min_size=1, max_size=12))
def test_only_real_dates_come_out(text: str) -> None:
    try:
        date = wareki.parse_date(text)
    except ValueError:
        return
    assert date >= wareki.GREGORIAN_SINCE


# Katakana that have half-width forms, and their hiragana.
KATAKANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
KATAKANA += "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポァィゥェォッャュョー"
KANA_TEXT = st.text(alphabet=KATAKANA, min_size=1, max_size=20)


@unhurried
@given(KANA_TEXT)
def test_hiragana_and_half_width_kana_become_the_same_katakana(katakana: str) -> None:
    assert validators.normalize_kana(katakana) == katakana
    assert validators.normalize_kana(jaconv.kata2hira(katakana)) == katakana
    assert validators.normalize_kana(jaconv.z2h(katakana, kana=True)) == katakana


@unhurried
@given(KANA_TEXT, st.text(alphabet="山田abcXYZ0123４５６！?", min_size=1, max_size=3))
def test_anything_but_kana_is_refused(katakana: str, other: str) -> None:
    assert validators.normalize_kana(katakana + other) is None


@unhurried
@given(st.text(alphabet="0123456789", min_size=7, max_size=7))
def test_postal_codes_in_any_writing_are_the_same_seven_digits(code: str) -> None:
    hyphenated = f"{code[:3]}-{code[3:]}"
    for written in (
        code,
        hyphenated,
        f"〒{hyphenated}",
        _full_width(hyphenated),
        f"{code[:3]}ー{code[3:]}",
    ):
        assert validators.normalize_postal_code(written) == code, written
    assert validators.format_postal_code(code) == f"〒{hyphenated}"


@unhurried
@given(st.text(alphabet="0123456789-", max_size=12).filter(lambda t: len(t.replace("-", "")) != 7))
def test_postal_codes_of_other_lengths_are_refused(text: str) -> None:
    assert validators.normalize_postal_code(text) is None


SCHEMA = FormSchema.parse(
    {
        "steps": [
            {
                "key": "first",
                "title": {"ja": "一"},
                "questions": [
                    {
                        "key": "pick",
                        "type": "multi_choice",
                        "label": {"ja": "選択"},
                        "required": False,
                        "choices": [{"value": v, "label": {"ja": v}} for v in "abc"],
                    },
                    {"key": "flag", "type": "yes_no", "label": {"ja": "有無"}},
                ],
            },
            {
                "key": "second",
                "title": {"ja": "二"},
                "show_if": {"question": "flag", "equals": "yes"},
                "questions": [{"key": "detail", "type": "text", "label": {"ja": "詳細"}}],
            },
            {
                "key": "third",
                "title": {"ja": "三"},
                "questions": [
                    {
                        "key": "why",
                        "type": "text",
                        "label": {"ja": "理由"},
                        "show_if": {"question": "pick", "in": ["a", "b"]},
                    },
                    {
                        "key": "more",
                        "type": "text",
                        "label": {"ja": "補足"},
                        "show_if": {"question": "detail", "equals": "x"},
                    },
                ],
            },
        ]
    }
)
ANSWERS = st.fixed_dictionaries(
    {
        "pick": st.lists(st.sampled_from("abc"), unique=True),
        "flag": st.sampled_from(["yes", "no"]),
        "detail": st.sampled_from(["x", "y"]),
        "why": st.just("because"),
        "more": st.just("more"),
    }
)


@unhurried
@given(ANSWERS)
def test_conditions_keep_exactly_the_questions_asked(answers: dict) -> None:
    kept = engine.prune(SCHEMA, answers)
    assert ("detail" in kept) == (answers["flag"] == "yes")
    assert ("why" in kept) == bool({"a", "b"} & set(answers["pick"]))
    # A question whose condition depends on a hidden answer is hidden too.
    assert ("more" in kept) == (answers["flag"] == "yes" and answers["detail"] == "x")
    assert engine.prune(SCHEMA, kept) == kept
    steps = [s.key for s in SCHEMA.visible_steps(kept)]
    assert ("second" in steps) == (answers["flag"] == "yes")
    shown = {row.question_key for row in engine.summarize(SCHEMA, kept, ChoiceContext())}
    assert shown == set(kept)
    assert engine.validate_answers(SCHEMA, kept, ChoiceContext()) == {}


@unhurried
@given(
    st.one_of(st.none(), st.text(max_size=3), st.lists(st.text(max_size=3))), st.text(max_size=3)
)
def test_a_condition_holds_when_any_chosen_value_matches(answer, value: str) -> None:
    condition = Condition(question="q", values=(value,))
    given_values = answer if isinstance(answer, list) else [answer]
    assert condition.holds({"q": answer}) == (value in [v for v in given_values if v is not None])
