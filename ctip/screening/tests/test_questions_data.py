"""The interview questions shipped for ilo-2009: one per indicator, in three languages, and the short version."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ctip.screening.models import Indicator

QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "ilo-2009-questions.csv"
LISTS = ("adult_labour", "child_labour")
RECRUITMENT = {"dr", "cr", "vr"}
DESTINATION = {"cd", "vd"}


def question_rows() -> list[dict[str, str]]:
    with QUESTIONS.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def ilo_indicators():
    return Indicator.objects.filter(catalogue__code="ilo-2009", catalogue__version=1).order_by("position")


def cyrillic_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(1 for c in letters if re.match(r"[\u0400-\u04ff]", c)) / len(letters)


@pytest.mark.django_db
def test_the_csv_has_exactly_the_ids_of_the_catalogue_in_order():
    rows = question_rows()
    assert [r["id"] for r in rows] == list(ilo_indicators().values_list("code", flat=True))
    assert len(rows) == 132
    assert {r["short"] for r in rows} <= {"0", "1"}


@pytest.mark.django_db
def test_every_indicator_has_a_question_in_three_languages():
    indicators = list(ilo_indicators())
    assert len(indicators) == 132
    for indicator in indicators:
        for lang in ("en", "ru", "ky"):
            text = getattr(indicator, f"question_{lang}").strip()
            assert text, (indicator.code, lang)
            assert text.endswith("?"), (indicator.code, lang)
        assert indicator.question_en != indicator.label_en, indicator.code


@pytest.mark.django_db
def test_russian_and_kyrgyz_questions_are_in_cyrillic_and_kyrgyz_uses_its_own_letters():
    indicators = list(ilo_indicators())
    for indicator in indicators:
        assert cyrillic_share(indicator.question_ru) > 0.6, indicator.code
        assert cyrillic_share(indicator.question_ky) > 0.6, indicator.code
        assert indicator.question_ru != indicator.question_ky, indicator.code
    assert any(set("ңөүҢӨҮ") & set(i.question_ky) for i in indicators)
    assert not any(set("ңөү") & set(i.question_ru.lower()) for i in indicators)


@pytest.mark.django_db
@pytest.mark.parametrize("indicator_list", LISTS)
def test_each_list_has_a_short_version_across_recruitment_exploitation_and_destination(indicator_list):
    short = list(ilo_indicators().filter(list=indicator_list, short=True))
    assert 8 <= len(short) <= 16
    dimensions = {i.dimension for i in short}
    assert dimensions & RECRUITMENT
    assert "ex" in dimensions
    assert dimensions & DESTINATION


@pytest.mark.django_db
def test_the_short_flags_in_the_database_match_the_csv():
    expected = {r["id"] for r in question_rows() if r["short"] == "1"}
    assert set(ilo_indicators().filter(short=True).values_list("code", flat=True)) == expected
