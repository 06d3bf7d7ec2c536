"""A deliberately naive reading of the rules in ``../shared/reference/README.md``, to check the engine against.

It shares nothing with ``ctip.screening.engine``: it reads the data file with the csv module, looks for a subset of
the indicators present that is exactly one of the README's combinations, and walks plain loops. Slow on purpose.
"""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "ilo-2009.csv"
DIMENSIONS = ["dr", "cr", "vr", "ex", "cd", "vd"]

# "A dimension is positive when the indicators present in it include at least: two strong; or one strong and one
# medium or weak; or three medium; or two medium and one weak."
COMBINATIONS = [
    ["strong", "strong"],
    ["strong", "medium"],
    ["strong", "weak"],
    ["medium", "medium", "medium"],
    ["medium", "medium", "weak"],
]


class RefusedError(Exception):
    def __init__(self, kind: str, value: str) -> None:
        super().__init__(f"{kind}: {value}")
        self.kind = kind
        self.value = value


def load_table(path: Path = DATA) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def dimension_positive(strengths: list[str]) -> bool:
    """Look at every subset of the indicators present (none of the combinations has more than three)."""
    for size in range(4):
        for subset in itertools.combinations(strengths, size):
            for combination in COMBINATIONS:
                if sorted(subset) == sorted(combination):
                    return True
    return False


def assess(table: dict[str, dict[str, str]], *, age, possible_minor, act, indicators) -> dict:
    # A child is under 18; when the age is uncertain and there are reasons to believe the person is a child, the
    # person is presumed to be a child.
    is_child = possible_minor if age is None else age < 18
    chosen = "child_labour" if is_child else "adult_labour"

    # Unknown ids and ids of the other list are named before duplicates (the engine's documented order).
    for ident in indicators:
        if ident not in table:
            raise RefusedError("unknown", ident)
        if table[ident]["list"] != chosen:
            raise RefusedError("wrong_list", ident)
    seen = []
    for ident in indicators:
        if ident in seen:
            raise RefusedError("duplicate", ident)
        seen.append(ident)

    dimensions = {}
    for dimension in DIMENSIONS:
        strengths = []
        for ident in indicators:
            if table[ident]["dimension"] == dimension:
                strengths.append(table[ident]["strength"])
        dimensions[dimension] = {
            "strong": strengths.count("strong"),
            "medium": strengths.count("medium"),
            "weak": strengths.count("weak"),
            "positive": dimension_positive(strengths),
        }

    if is_child:
        # The means are not required: an act and a positive exploitation dimension are enough.
        indicated = act and dimensions["ex"]["positive"]
    else:
        recruitment = dimensions["dr"]["positive"] or dimensions["cr"]["positive"] or dimensions["vr"]["positive"]
        exploitation = dimensions["ex"]["positive"]
        destination = dimensions["cd"]["positive"] or dimensions["vd"]["positive"]
        indicated = recruitment and exploitation and destination
    return {
        "catalog": "ilo-2009",
        "version": 1,
        "list": chosen,
        "dimensions": dimensions,
        "outcome": "trafficking_indicated" if indicated else "not_indicated",
    }
