"""Importing a national catalogue: everything is checked first, all or nothing, idempotent, frozen stays frozen."""

from __future__ import annotations

import textwrap

import pytest
from django.utils import timezone, translation

from ctip.audit.models import AuditEvent
from ctip.screening.importing import CatalogueFileError, Problem, read_csv, read_file, read_yaml
from ctip.screening.models import IndicatorCatalogue
from ctip.screening.services import CatalogueFrozenError, catalogue_import

TITLES = {"en": "National criteria", "ru": "Национальные критерии", "ky": "Улуттук критерийлер"}
HEADER = "id,list,dimension,strength,label_en,label_ru,label_ky"
GOOD = f"""{HEADER}
kg.a.debt,adult_labour,cd,strong,Debt,Долг,Карыз
kg.a.hours,adult_labour,ex,medium,Long hours,Долгие часы,Узак иш сааты
kg.c.hours,child_labour,ex,strong,Long hours,Долгие часы,Узак иш сааты
"""
YAML = """
title: {en: National criteria, ru: Национальные критерии, ky: Улуттук критерийлер}
source: Decree No. 1, 2024
rules:
  medium: 2
  adult_destination: [cd]
indicators:
  - {id: kg.a.debt, list: adult_labour, dimension: cd, strength: strong, label_en: Debt, label_ru: Долг, label_ky: Карыз}
  - {id: kg.c.hours, list: child_labour, dimension: ex, strength: medium, label_en: Hours, label_ru: Часы, label_ky: Саат, verified: false}
"""


def problems_of(call) -> list[str]:
    with translation.override("en"), pytest.raises(CatalogueFileError) as raised:
        call()
    return [str(p) for p in raised.value.problems]


def csv_data(text: str = GOOD):
    return read_csv(text, titles=TITLES, source="Decree No. 1")


# --- Reading and checking -----------------------------------------------------------------------------------------


def test_a_good_csv_reads_into_rows_with_the_ilo_rules():
    data = csv_data()
    assert [r.id for r in data.indicators] == ["kg.a.debt", "kg.a.hours", "kg.c.hours"]
    assert [r.position for r in data.indicators] == [1, 2, 3]
    assert data.indicators[0].source == "Decree No. 1"
    assert data.indicators[0].verified is True
    assert data.rules["rule_strong"] == 2
    assert data.rules["adult_destination"] == "cd,vd"
    assert (data.title_en, data.title_ky) == ("National criteria", "Улуттук критерийлер")


def test_every_problem_is_reported_with_its_row_and_column():
    text = f"""{HEADER},verified
kg.a.debt,adult_labour,cd,strong,Debt,Долг,Карыз,true
KG.A.Bad,adults,cd,strong,Bad,Плохо,Жаман,maybe
kg.a.debt,adult_labour,xx,,Again,,Кайра,true
kg.a.hours,adult_labour,ex,weak,Hours,Часы,Саат,false,extra
"""
    assert problems_of(lambda: csv_data(text)) == [
        "column list: No indicator is on the child_labour list; a catalogue needs both lists, or children or adults "
        "would be assessed against nothing.",
        'row 3, column id: "KG.A.Bad" is not an indicator id: use lower-case Latin letters, digits and underscores '
        "in parts separated by dots.",
        'row 3, column list: "adults" is not one of adult_labour, child_labour.',
        'row 3, column verified: Write true or false, not "maybe".',
        'row 4, column dimension: "xx" is not one of dr, cr, vr, ex, cd, vd.',
        "row 4, column strength: The value is missing.",
        "row 4, column label_ru: The value is missing.",
        "row 5: The row has more cells than the header has columns.",
    ]


def test_an_id_twice_names_the_row_it_first_appeared_on():
    text = GOOD + "kg.a.debt,adult_labour,cd,medium,Debt,Долг,Карыз\n"
    assert problems_of(lambda: csv_data(text)) == ['row 5, column id: "kg.a.debt" is already on row 2.']


def test_missing_unknown_and_repeated_columns_are_named():
    text = "id,list,dimension,strength,label_en,label_en,label_ky,dimension_label\n"
    assert problems_of(lambda: csv_data(text)) == [
        "row 1, column label_ru: Missing column.",
        "row 1, column dimension_label: Unknown column.",
        "row 1, column label_en: The column appears more than once.",
    ]


def test_an_empty_file_and_missing_titles_are_problems():
    assert problems_of(lambda: read_csv(HEADER + "\n", titles={}, source="")) == [
        "The file lists no indicators.",
        "column title.en: The title is missing.",
        "column title.ru: The title is missing.",
        "column title.ky: The title is missing.",
    ]


def test_a_yaml_file_carries_its_title_source_and_rules():
    data = read_yaml(YAML, titles={}, source="")
    assert data.title_ru == "Национальные критерии"
    assert data.source == "Decree No. 1, 2024"
    assert (data.rules["rule_medium"], data.rules["adult_destination"]) == (2, "cd")
    assert [(r.id, r.verified, r.source) for r in data.indicators] == [
        ("kg.a.debt", True, "Decree No. 1, 2024"),
        ("kg.c.hours", False, "Decree No. 1, 2024"),
    ]


def test_yaml_problems_are_reported_with_indicator_and_key():
    text = textwrap.dedent(
        """
        title: {en: T, ru: Т, ky: Т}
        colour: red
        rules: {medium: 0, strong: two, adult_recruitment: [dr, zz], child_exploitation: "", speed: 1}
        indicators:
          - {id: kg.a.one, list: adult_labour, dimension: dr, strength: strong, label_en: A, label_ru: А, label_ky: А, colour: red}
          - just text
          - {id: kg.c.one, list: child_labour, dimension: ex, strength: tiny, label_en: C, label_ru: С, label_ky: ""}
        """
    )
    assert problems_of(lambda: read_yaml(text, titles={}, source="")) == [
        "column colour: Unknown key; expected title, source, rules, indicators.",
        "column rules.medium: Must be a whole number from 1 to 99, not 0.",
        "column rules.strong: Must be a whole number from 1 to 99, not two.",
        'column rules.adult_recruitment: List different dimensions from dr, cr, vr, ex, cd, vd, not ["dr", "zz"].',
        'column rules.child_exploitation: List different dimensions from dr, cr, vr, ex, cd, vd, not "".',
        "column rules.speed: Unknown rule.",
        "row 1, column colour: Unknown column.",
        "row 2: Each indicator must be a mapping of column to value.",
        'row 3, column strength: "tiny" is not one of strong, medium, weak.',
        "row 3, column label_ky: The value is missing.",
    ]


def test_broken_yaml_names_its_line():
    problems = problems_of(lambda: read_yaml("indicators: [\n  {id: a\n", titles={}, source=""))
    assert len(problems) == 1
    assert problems[0].startswith("row 3: Not valid YAML")


@pytest.mark.parametrize(("name", "text"), [("x.txt", "Give a .csv, .yaml or .yml file"), ("x.csv", "not UTF-8")])
def test_read_file_refuses_other_formats_and_encodings(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes("id\n\xff".encode("latin-1"))
    assert text in problems_of(lambda: read_file(path, titles=TITLES, source=""))[0]


def test_a_problem_reads_as_row_and_column():
    assert str(Problem(4, "strength", "Bad.")) == "row 4, column strength: Bad."
    assert str(Problem(None, None, "Bad.")) == "Bad."


# --- Writing ------------------------------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytestmark_db
def test_an_import_creates_version_1_and_audits_it():
    result = catalogue_import(by=None, code="kg-2024", data=csv_data())
    assert result.action == "created"
    catalogue = IndicatorCatalogue.objects.get(code="kg-2024", version=1)
    assert catalogue.indicators.count() == 3
    assert catalogue.title_ru == "Национальные критерии"
    event = AuditEvent.objects.get(action="screening.catalogue_import")
    assert event.details == {"code": "kg-2024", "version": 1, "indicators": 3, "action": "created"}


@pytestmark_db
def test_the_same_file_again_changes_nothing():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    before = list(IndicatorCatalogue.objects.get(code="kg-2024").indicators.values_list("pk", "code"))
    events = AuditEvent.objects.count()
    again = catalogue_import(by=None, code="kg-2024", data=csv_data())
    assert again.action == "unchanged"
    assert list(IndicatorCatalogue.objects.get(code="kg-2024").indicators.values_list("pk", "code")) == before
    assert AuditEvent.objects.count() == events


@pytestmark_db
def test_a_draft_is_replaced_by_a_changed_file():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    result = catalogue_import(by=None, code="kg-2024", data=read_yaml(YAML, titles={}, source=""))
    assert result.action == "replaced"
    catalogue = IndicatorCatalogue.objects.get(code="kg-2024")
    assert (catalogue.version, catalogue.rule_medium, catalogue.adult_destination) == (1, 2, "cd")
    assert list(catalogue.indicators.values_list("code", flat=True)) == ["kg.a.debt", "kg.c.hours"]


@pytestmark_db
def test_a_changed_file_for_a_frozen_version_is_refused_and_changes_nothing():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    IndicatorCatalogue.objects.filter(code="kg-2024").update(frozen_at=timezone.now())
    with translation.override("en"), pytest.raises(CatalogueFrozenError, match=r"frozen.*--version 2"):
        catalogue_import(by=None, code="kg-2024", data=read_yaml(YAML, titles={}, source=""), version=1)
    catalogue = IndicatorCatalogue.objects.get(code="kg-2024")
    assert catalogue.rule_medium == 3
    assert catalogue.indicators.count() == 3


@pytestmark_db
def test_the_same_file_for_a_frozen_version_is_still_fine():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    IndicatorCatalogue.objects.filter(code="kg-2024").update(frozen_at=timezone.now())
    assert catalogue_import(by=None, code="kg-2024", data=csv_data(), version=1).action == "unchanged"


@pytestmark_db
def test_without_a_version_a_changed_file_after_a_frozen_one_becomes_the_next_version():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    IndicatorCatalogue.objects.filter(code="kg-2024").update(frozen_at=timezone.now())
    result = catalogue_import(by=None, code="kg-2024", data=read_yaml(YAML, titles={}, source=""))
    assert (result.action, result.catalogue.version) == ("created", 2)
    assert catalogue_import(by=None, code="kg-2024", data=read_yaml(YAML, titles={}, source="")).action == "unchanged"
    assert list(IndicatorCatalogue.objects.filter(code="kg-2024").values_list("version", flat=True)) == [2, 1]


@pytestmark_db
def test_a_given_new_version_is_created_beside_the_old():
    catalogue_import(by=None, code="kg-2024", data=csv_data())
    result = catalogue_import(by=None, code="kg-2024", data=csv_data(), version=3)
    assert (result.action, result.catalogue.version) == ("created", 3)


@pytestmark_db
def test_the_shipped_catalogue_can_be_used_as_a_template(ilo):
    from ctip.screening.tests.factories import DATA

    data = read_file(DATA, titles=TITLES, source="")
    result = catalogue_import(by=None, code="kg-ilo", data=data)
    assert result.catalogue.indicators.count() == 132
    assert result.catalogue.indicators.filter(verified=False).count() == 2
