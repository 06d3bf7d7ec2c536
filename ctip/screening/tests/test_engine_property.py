"""The engine agrees with a naive reading of the README (``reference.py``) on thousands of random inputs."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ctip.screening import engine
from ctip.screening.tests import reference
from ctip.screening.tests.factories import engine_catalogue

TABLE = reference.load_table()
CATALOGUE = engine_catalogue()
BY_LIST_AND_DIMENSION = {
    (lst, dim): sorted(i for i, row in TABLE.items() if row["list"] == lst and row["dimension"] == dim)
    for lst in ("adult_labour", "child_labour")
    for dim in reference.DIMENSIONS
}
ERRORS = {
    engine.UnknownIndicatorError: "unknown",
    engine.WrongListError: "wrong_list",
    engine.DuplicateIndicatorError: "duplicate",
}


@st.composite
def inputs(draw):
    age = draw(st.one_of(st.none(), st.integers(0, 17), st.integers(18, 130)))
    possible_minor = draw(st.booleans())
    act = draw(st.booleans())
    # Mostly the list that applies, a few indicators per dimension, so that every rule edge comes up often.
    mostly = "child_labour" if (age is None and possible_minor) or (age is not None and age < 18) else "adult_labour"
    ids = []
    for dim in reference.DIMENSIONS:
        ids += draw(st.lists(st.sampled_from(BY_LIST_AND_DIMENSION[(mostly, dim)]), unique=True, max_size=4))
    spoil = draw(st.sampled_from(["none"] * 8 + ["unknown", "other_list", "duplicate"]))
    if spoil == "unknown":
        ids.append(draw(st.sampled_from(["al.dr.nope", "x", "", "AL.DR.WAGES", "al.dr.wages "])))
    elif spoil == "other_list":
        ids.append(draw(st.sampled_from(sorted(i for i, row in TABLE.items() if row["list"] != mostly))))
    elif spoil == "duplicate" and ids:
        ids.append(draw(st.sampled_from(ids)))
    ids = draw(st.permutations(ids))
    return {"age": age, "possible_minor": possible_minor, "act": act, "indicators": list(ids)}


@settings(max_examples=3000, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(inputs())
def test_the_engine_agrees_with_the_brute_force_reference(given_input):
    expected, refusal = reference_or_refusal(given_input)
    if refusal is not None:
        with pytest.raises(engine.AssessmentError) as raised:
            engine.assess(CATALOGUE, engine.parse_input(given_input))
        assert (ERRORS[type(raised.value)], raised.value.value) == refusal
        return
    result = engine.assess(CATALOGUE, engine.parse_input(given_input))
    assert result.as_dict(explanation=False) == expected
    assert len(result.explanation) >= 3


def reference_or_refusal(given_input):
    try:
        return reference.assess(TABLE, **given_input), None
    except reference.RefusedError as refused:
        return None, (refused.kind, refused.value)


def test_the_reference_itself_reads_the_readme_right():
    """Guard the oracle: its own edges, from the README's wording."""
    positive = reference.dimension_positive
    assert not positive(["strong"])
    assert not positive(["medium", "medium"])
    assert not positive(["weak", "weak", "weak", "weak"])
    assert not positive(["medium", "weak", "weak"])
    assert positive(["strong", "weak"])
    assert positive(["medium", "medium", "medium"])
    assert positive(["weak", "medium", "medium"])
    assert positive(["weak", "weak", "strong", "medium"])
