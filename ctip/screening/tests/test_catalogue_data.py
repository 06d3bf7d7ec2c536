"""The shipped catalogue: what the data migration loaded, and the data file it loaded it from."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ctip.screening.models import Indicator, IndicatorCatalogue
from ctip.screening.tests.factories import data_rows

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "reference" / "ilo-2009-indicators.csv"
SOURCE = "ILO/EC Operational indicators of trafficking in human beings, 2009 (WCMS_105023)"


@pytest.mark.django_db
def test_the_migration_loaded_67_adult_and_65_child_indicators_with_the_ids_of_the_file():
    catalogue = IndicatorCatalogue.objects.get(code="ilo-2009", version=1)
    indicators = Indicator.objects.filter(catalogue=catalogue).order_by("position")
    assert indicators.filter(list="adult_labour").count() == 67
    assert indicators.filter(list="child_labour").count() == 65
    rows = data_rows()
    assert list(indicators.values_list("code", "list", "dimension", "strength")) == [
        (r["id"], r["list"], r["dimension"], r["strength"]) for r in rows
    ]
    assert catalogue.frozen_at is None
    assert catalogue.source == SOURCE
    assert set(indicators.values_list("source", flat=True)) == {SOURCE}
    assert sorted(indicators.filter(verified=False).values_list("code", flat=True)) == [
        "al.vr.difficulties_past",
        "al.vr.difficulty_travel",
    ]


@pytest.mark.django_db
def test_the_catalogue_carries_the_ilo_rules():
    catalogue = IndicatorCatalogue.objects.get(code="ilo-2009", version=1)
    rules = catalogue.rules()
    assert (rules.dimension.strong, rules.dimension.strong_with_other, rules.dimension.other_with_strong) == (2, 1, 1)
    assert (rules.dimension.medium, rules.dimension.medium_with_weak, rules.dimension.weak_with_medium) == (3, 2, 1)
    assert rules.adult_recruitment == {"dr", "cr", "vr"}
    assert rules.adult_exploitation == {"ex"}
    assert rules.adult_destination == {"cd", "vd"}
    assert rules.child_exploitation == {"ex"}


def test_the_data_file_counts_per_dimension_match_the_publication():
    counts: dict[tuple[str, str], int] = {}
    for row in data_rows():
        counts[(row["list"], row["dimension"])] = counts.get((row["list"], row["dimension"]), 0) + 1
    adult = [counts[("adult_labour", d)] for d in ("dr", "cr", "vr", "ex", "cd", "vd")]
    assert adult == [10, 10, 16, 9, 15, 7]


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference data is not beside this checkout")
def test_the_data_file_copies_the_reference_exactly():
    with REFERENCE.open(encoding="utf-8", newline="") as fh:
        reference = [(r["id"], r["list"], r["dimension"], r["strength"], r["label_en"]) for r in csv.DictReader(fh)]
    ours = [(r["id"], r["list"], r["dimension"], r["strength"], r["label_en"]) for r in data_rows()]
    assert ours == reference


def test_every_label_has_a_russian_and_a_kyrgyz_translation():
    rows = data_rows()
    for row in rows:
        for lang in ("label_ru", "label_ky"):
            letters = [c for c in row[lang] if c.isalpha()]
            assert letters, (row["id"], lang)
            assert all("\u0400" <= c <= "\u04ff" for c in letters), (row["id"], lang, row[lang])
    kyrgyz = " ".join(r["label_ky"] for r in rows).lower()
    assert {"ң", "ө", "ү"} <= set(kyrgyz)


def test_the_same_english_label_is_translated_the_same_way_everywhere():
    seen: dict[str, tuple[str, str]] = {}
    for row in data_rows():
        pair = (row["label_ru"], row["label_ky"])
        assert seen.setdefault(row["label_en"], pair) == pair, row["id"]
