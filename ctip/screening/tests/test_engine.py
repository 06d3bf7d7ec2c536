"""The rules of the engine, edge by edge (README of the reference data; issue 5, "Done when")."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from ctip.screening import engine
from ctip.screening.tests.factories import INDICATED_ADULT, engine_catalogue


def run(catalogue, *ids, age=30, possible_minor=False, act=True):
    return engine.assess(catalogue, engine.Input(age=age, possible_minor=possible_minor, act=act, indicators=ids))


# --- When a dimension is positive ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "dimension", "counts", "positive"),
    [
        pytest.param(["al.dr.nature_of_job"], "dr", (1, 0, 0), False, id="one strong alone is negative"),
        pytest.param(["al.dr.wages", "al.dr.housing"], "dr", (0, 2, 0), False, id="two medium alone are negative"),
        pytest.param(["al.dr.nature_of_job", "al.dr.education"], "dr", (1, 0, 1), True, id="one strong + one weak"),
        pytest.param(["al.dr.nature_of_job", "al.dr.wages"], "dr", (1, 1, 0), True, id="one strong + one medium"),
        pytest.param(["al.cd.documents", "al.cd.violence"], "cd", (2, 0, 0), True, id="two strong"),
        pytest.param(["al.dr.wages", "al.dr.housing", "al.dr.contract"], "dr", (0, 3, 0), True, id="three medium"),
        pytest.param(
            ["al.dr.wages", "al.dr.housing", "al.dr.education"], "dr", (0, 2, 1), True, id="two medium + one weak"
        ),
        pytest.param(
            ["al.vr.difficult_family", "al.vr.cultural_beliefs", "al.vr.general_context"],
            "vr",
            (0, 1, 2),
            False,
            id="one medium + two weak are negative",
        ),
        pytest.param(
            ["al.vr.cultural_beliefs", "al.vr.difficulties_past", "al.vr.difficulty_travel", "al.vr.general_context"],
            "vr",
            (0, 0, 4),
            False,
            id="weak alone never, even four",
        ),
        pytest.param(
            ["al.vd.difficulties_past", "al.vd.personal_characteristics"], "vd", (0, 0, 2), False, id="two weak"
        ),
        pytest.param([], "ex", (0, 0, 0), False, id="nothing"),
    ],
)
def test_when_a_dimension_is_positive(catalogue, ids, dimension, counts, positive):
    result = run(catalogue, *ids).dimensions[dimension]
    assert (result.strong, result.medium, result.weak) == counts
    assert result.positive is positive


def test_the_dimension_rule_names_the_first_alternative_met():
    rule = engine.DimensionRule()
    assert rule.alternative(2, 0, 0) == "strong"
    assert rule.alternative(1, 0, 1) == "strong_with_other"
    assert rule.alternative(0, 3, 0) == "medium"
    assert rule.alternative(0, 2, 1) == "medium_with_weak"
    assert rule.alternative(1, 0, 0) is None
    assert rule.alternative(0, 2, 0) is None
    assert rule.alternative(0, 0, 50) is None


# --- Adults -------------------------------------------------------------------------------------------------------


def test_an_adult_with_recruitment_exploitation_and_destination_is_indicated(catalogue):
    result = run(catalogue, *INDICATED_ADULT)
    assert result.list == "adult_labour"
    assert result.outcome == "trafficking_indicated"
    assert [d for d, r in result.dimensions.items() if r.positive] == ["dr", "ex", "cd"]


@pytest.mark.parametrize(
    ("left_out", "missing"),
    [
        (("al.dr.nature_of_job", "al.dr.wages"), "recruitment"),
        (("al.ex.excessive_hours", "al.ex.low_salary"), "exploitation"),
        (("al.cd.documents", "al.cd.violence"), "destination"),
    ],
)
def test_an_adult_needs_all_three_parts(catalogue, left_out, missing):
    result = run(catalogue, *(i for i in INDICATED_ADULT if i not in left_out), act=True)
    assert result.outcome == "not_indicated"
    outcome_line = next(line for line in result.explanation if line.startswith("Trafficking is not indicated"))
    assert missing in outcome_line


def test_any_recruitment_and_any_destination_dimension_will_do(catalogue):
    ids = [
        *("al.vr.difficult_family", "al.vr.illegal_status", "al.vr.general_context"),  # vr: 2 medium + 1 weak
        *("al.ex.excessive_hours", "al.ex.no_education"),  # ex: 1 strong + 1 weak
        *("al.vd.dependency", "al.vd.unknown_area", "al.vd.economic_reasons"),  # vd: 3 medium
    ]
    assert run(catalogue, *ids).outcome == "trafficking_indicated"


def test_for_an_adult_the_act_flag_changes_nothing(catalogue):
    assert run(catalogue, *INDICATED_ADULT, act=False).outcome == "trafficking_indicated"


# --- Children -----------------------------------------------------------------------------------------------------


def test_a_child_needs_only_the_act_and_exploitation(catalogue):
    result = run(catalogue, "cl.ex.excessive_hours", "cl.ex.hazardous_work", age=15)
    assert result.list == "child_labour"
    assert [d for d, r in result.dimensions.items() if r.positive] == ["ex"]
    assert result.outcome == "trafficking_indicated"


def test_a_child_without_the_act_is_not_indicated(catalogue):
    result = run(catalogue, "cl.ex.excessive_hours", "cl.ex.hazardous_work", age=15, act=False)
    assert result.outcome == "not_indicated"


def test_a_child_needs_exploitation_whatever_the_recruitment_and_destination(catalogue):
    ids = ["cl.cr.violence", "cl.cr.abduction", "cl.cd.documents", "cl.cd.violence", "cl.ex.excessive_hours"]
    result = run(catalogue, *ids, age=12)
    assert result.dimensions["cr"].positive
    assert result.dimensions["cd"].positive
    assert not result.dimensions["ex"].positive
    assert result.outcome == "not_indicated"


@pytest.mark.parametrize(
    ("age", "possible_minor", "expected"),
    [
        (0, False, "child_labour"),
        (17, False, "child_labour"),
        (18, False, "adult_labour"),
        (25, True, "adult_labour"),  # a known age decides; the flag is for an unknown one
        (None, True, "child_labour"),  # unknown age, reasons to believe a child: presumed a child
        (None, False, "adult_labour"),
    ],
)
def test_the_list_follows_the_age(catalogue, age, possible_minor, expected):
    assert engine.list_for(age, possible_minor) == expected
    assert run(catalogue, age=age, possible_minor=possible_minor).list == expected


def test_unknown_age_with_reasons_to_believe_a_child_uses_the_child_list(catalogue):
    result = run(catalogue, "cl.ex.excessive_hours", "cl.ex.low_salary", age=None, possible_minor=True)
    assert result.list == "child_labour"
    assert result.outcome == "trafficking_indicated"
    assert result.explanation[0].startswith("Age unknown, with reasons to believe the person is a child")
    with pytest.raises(engine.WrongListError):
        run(catalogue, "cl.ex.excessive_hours", age=None, possible_minor=False)


# --- The result and its explanation -------------------------------------------------------------------------------


def test_the_result_has_the_shape_of_the_command_line(catalogue):
    with translation.override("en"):
        data = run(catalogue, "al.dr.nature_of_job").as_dict()
    assert list(data) == ["catalog", "version", "list", "dimensions", "outcome", "explanation"]
    assert (data["catalog"], data["version"]) == ("ilo-2009", 1)
    assert list(data["dimensions"]) == ["dr", "cr", "vr", "ex", "cd", "vd"]
    assert data["dimensions"]["dr"] == {"strong": 1, "medium": 0, "weak": 0, "positive": False}
    assert all(isinstance(line, str) for line in data["explanation"])


def test_the_explanation_names_indicators_rules_and_outcome(catalogue):
    with translation.override("en"):
        lines = run(catalogue, *INDICATED_ADULT).explanation
    assert lines == (
        "Age 30: the adult labour exploitation list applies.",
        "Deceptive recruitment is positive (rule: at least 1 strong and 1 medium or weak): Deceived about the "
        "nature of the job, location, or employer (strong); Deceived about wages/earnings (medium).",
        "Exploitative conditions of work is positive (rule: at least 1 strong and 1 medium or weak): Excessive "
        "working days or hours (strong); Low or no salary (medium).",
        "Coercion at destination is positive (rule: at least 2 strong): Confiscation of documents (strong); "
        "Violence on victims (strong).",
        "Trafficking is indicated (rule for adults): a recruitment dimension (Deceptive recruitment), exploitation "
        "(Exploitative conditions of work) and a destination dimension (Coercion at destination) are all positive.",
        "This is an indicator-based assessment for referral and decision support, not a legal determination. "
        "Identification is decided by the competent body.",
    )


def test_a_negative_result_says_what_is_missing_and_that_it_clears_no_one(catalogue):
    with translation.override("en"):
        lines = run(catalogue, "al.dr.wages", "al.dr.housing").explanation
    assert lines[1] == (
        "Deceptive recruitment is not positive (no rule is met): Deceived about wages/earnings (medium); "
        "Deceived about housing and living conditions (medium)."
    )
    assert lines[2] == (
        "Trafficking is not indicated (rule for adults: recruitment, exploitation and destination must all be "
        "positive). Missing: a positive recruitment dimension (Deceptive recruitment, Coercive recruitment, "
        "Recruitment by abuse of vulnerability); positive exploitation (Exploitative conditions of work); a positive "
        "destination dimension (Coercion at destination, Abuse of vulnerability at destination)."
    )
    assert lines[3].startswith("A result of not indicated does not mean the person is not a victim")
    assert "not a legal determination" in lines[-1]


def test_the_child_explanation_names_the_missing_act(catalogue):
    with translation.override("en"):
        lines = run(catalogue, "cl.ex.excessive_hours", "cl.ex.low_salary", age=9, act=False).explanation
    assert lines[0] == "Age 9, under 18: the child labour exploitation list applies."
    assert lines[2] == (
        "Trafficking is not indicated (rule for children: an act and positive exploitation are enough). Missing: "
        "an act of recruitment, transportation, transfer, harbouring or receipt."
    )


@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("ru", "Обман относительно характера работы, места работы или работодателя"),
        ("ky", "Иштин мүнөзү, иштей турган жер же иш берүүчү боюнча алданган"),
        ("en", "Deceived about the nature of the job, location, or employer"),
    ],
)
def test_the_explanation_names_indicators_in_the_active_language(catalogue, language, label):
    with translation.override(language):
        lines = run(catalogue, "al.dr.nature_of_job", "al.dr.wages").explanation
    assert label in lines[1]


# --- Refusals -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ids", "age", "error", "value"),
    [
        (["al.dr.nature_of_job", "al.dr.no_such"], 30, engine.UnknownIndicatorError, "al.dr.no_such"),
        (["al.dr.wages", "cl.dr.wages"], 30, engine.WrongListError, "cl.dr.wages"),
        (["al.dr.wages"], 10, engine.WrongListError, "al.dr.wages"),
        (["al.dr.wages", "al.ex.low_salary", "al.dr.wages"], 30, engine.DuplicateIndicatorError, "al.dr.wages"),
    ],
)
def test_bad_ids_are_refused_naming_the_value(catalogue, ids, age, error, value):
    with translation.override("en"), pytest.raises(error) as raised:
        run(catalogue, *ids, age=age)
    assert raised.value.field == "indicators"
    assert raised.value.value == value
    assert f'"{value}"' in raised.value.message


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        ([], "input", "Expected a JSON object, not []."),
        ({"indicators": []}, "age", "age is required"),
        ({"age": "25", "indicators": []}, "age", 'age must be a whole number or null, not "25".'),
        ({"age": 25.0, "indicators": []}, "age", "not 25.0."),
        ({"age": True, "indicators": []}, "age", "not true."),
        ({"age": -1, "indicators": []}, "age", "age must be between 0 and 130, not -1."),
        ({"age": 131, "indicators": []}, "age", "not 131."),
        ({"age": None, "possible_minor": "yes", "indicators": []}, "possible_minor", 'not "yes".'),
        ({"age": None, "possible_minor": 1, "indicators": []}, "possible_minor", "not 1."),
        ({"age": 30, "act": None, "indicators": []}, "act", "act must be true or false, not null."),
        ({"age": 30}, "indicators", "indicators is required"),
        ({"age": 30, "indicators": "al.dr.wages"}, "indicators", 'not "al.dr.wages".'),
        ({"age": 30, "indicators": [3]}, "indicators", "not 3."),
        ({"age": 30, "indicators": [], "name": "x"}, "name", 'Unknown key "name"'),
    ],
)
def test_wrong_input_is_refused_naming_the_field_and_value(data, field, text):
    with translation.override("en"), pytest.raises(engine.InvalidInputError) as raised:
        engine.parse_input(data)
    assert raised.value.field == field
    assert text in raised.value.message


def test_a_number_age_with_possible_minor_is_fine():
    assert engine.parse_input({"age": 30, "possible_minor": True, "indicators": []}) == engine.Input(
        age=30, possible_minor=True, act=True, indicators=()
    )


def test_a_json_key_given_twice_is_refused():
    with translation.override("en"), pytest.raises(engine.InvalidInputError, match='The key "age" is given twice'):
        engine.decode_json('{"age": 3, "age": 40, "indicators": []}')


# --- Catalogues and rules as parameters ---------------------------------------------------------------------------


def test_a_national_rule_can_make_two_medium_enough():
    catalogue = engine_catalogue(engine.Rules(dimension=engine.DimensionRule(medium=2)))
    assert run(catalogue, "al.dr.wages", "al.dr.housing").dimensions["dr"].positive
    with translation.override("en"):
        assert "rule: at least 2 medium" in run(catalogue, "al.dr.wages", "al.dr.housing").explanation[1]


def test_the_parts_each_dimension_plays_are_parameters():
    only_coercion = engine_catalogue(engine.Rules(adult_destination=frozenset({"cd"})))
    ids = ["al.dr.nature_of_job", "al.dr.wages", "al.ex.excessive_hours", "al.ex.low_salary"]
    ids += ["al.vd.dependency", "al.vd.unknown_area", "al.vd.economic_reasons"]
    assert run(engine_catalogue(), *ids).outcome == "trafficking_indicated"
    assert run(only_coercion, *ids).outcome == "not_indicated"


@pytest.mark.parametrize(
    ("build", "text"),
    [
        (lambda: engine.DimensionRule(strong=0), "DimensionRule.strong must be a whole number of at least 1"),
        (lambda: engine.DimensionRule(medium=True), "DimensionRule.medium must be a whole number"),
        (lambda: engine.Rules(adult_recruitment=frozenset({"xx"})), "adult_recruitment: unknown dimension 'xx'"),
        (lambda: engine.Rules(child_exploitation=frozenset()), "child_exploitation: name at least one dimension"),
    ],
)
def test_rules_that_make_no_sense_are_refused(build, text):
    with pytest.raises(ValueError, match=re.escape(text)):
        build()


def test_a_catalogue_refuses_an_id_twice_and_unknown_strengths():
    one = engine.IndicatorDef("x.a", engine.ADULT, "dr", "strong", "A")
    with pytest.raises(ValueError, match="appears twice"):
        engine.Catalogue(code="c", version=1, rules=engine.Rules(), indicators=[one, one])
    with pytest.raises(ValueError, match="unknown list, dimension or strength"):
        engine.Catalogue(
            code="c",
            version=1,
            rules=engine.Rules(),
            indicators=[engine.IndicatorDef("x.b", engine.ADULT, "dr", "huge", "B")],
        )


def test_large_counts_under_a_large_rule_are_counted_exactly():
    indicators = [engine.IndicatorDef(f"x.m{i}", engine.ADULT, "ex", "medium", f"M{i}") for i in range(12)]
    indicators.append(engine.IndicatorDef("x.child", engine.CHILD, "ex", "strong", "C"))
    rules = engine.Rules(dimension=engine.DimensionRule(medium=10))
    catalogue = engine.Catalogue(code="c", version=1, rules=rules, indicators=indicators)
    nine = run(catalogue, *(f"x.m{i}" for i in range(9))).dimensions["ex"]
    eleven = run(catalogue, *(f"x.m{i}" for i in range(11))).dimensions["ex"]
    assert (nine.medium, nine.positive) == (9, False)
    assert (eleven.medium, eleven.positive) == (11, True)


def test_labels_fall_back_to_english():
    ind = engine.IndicatorDef("x.a", engine.ADULT, "dr", "strong", "English only")
    assert [ind.label(lang) for lang in ("ru", "ky", "en", "uz")] == ["English only"] * 4
