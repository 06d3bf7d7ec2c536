"""The assessment engine: the rules of an indicator catalogue applied to one person's answers.

Pure: no models, no database, no request. ``Catalogue`` is built once from a catalogue's rows (the selectors cache
it for frozen versions) and precomputes the look-up tables, so ``assess`` only counts and looks up.

The rules (``../shared/reference/README.md``, ILO/EC 2009 as the default parameters):

* a dimension is positive when its indicators include at least two strong; or one strong and one medium or weak;
  or three medium; or two medium and one weak;
* an adult: a recruitment dimension, the exploitation dimension and a destination dimension are all positive;
* a child (under 18, or age unknown with reasons to believe a child): an act took place and exploitation is
  positive — the means are not required.

The result is an indicator-based assessment for referral and decision support, never a legal determination.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

ADULT = "adult_labour"
CHILD = "child_labour"
LISTS = (ADULT, CHILD)
DIMENSIONS = ("dr", "cr", "vr", "ex", "cd", "vd")
STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
STRENGTHS = (STRONG, MEDIUM, WEAK)
TRAFFICKING_INDICATED = "trafficking_indicated"
NOT_INDICATED = "not_indicated"
AGE_OF_MAJORITY = 18
MAX_AGE = 130
INPUT_KEYS = frozenset({"age", "possible_minor", "act", "indicators"})

LIST_LABELS: dict[str, Promise] = {
    ADULT: _("adult labour exploitation"),
    CHILD: _("child labour exploitation"),
}
DIMENSION_LABELS: dict[str, Promise] = {
    "dr": _("Deceptive recruitment"),
    "cr": _("Coercive recruitment"),
    "vr": _("Recruitment by abuse of vulnerability"),
    "ex": _("Exploitative conditions of work"),
    "cd": _("Coercion at destination"),
    "vd": _("Abuse of vulnerability at destination"),
}
STRENGTH_LABELS: dict[str, Promise] = {STRONG: _("strong"), MEDIUM: _("medium"), WEAK: _("weak")}


# --- Errors -------------------------------------------------------------------------------------------------------


class AssessmentError(ValueError):
    """Input the engine refuses; ``field`` names the input key and ``value`` the offending value."""

    code = "invalid"

    def __init__(self, message: str, *, field: str, value: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.value = value


class InvalidInputError(AssessmentError):
    code = "invalid"


class UnknownIndicatorError(AssessmentError):
    code = "unknown_indicator"


class WrongListError(AssessmentError):
    code = "wrong_list"


class DuplicateIndicatorError(AssessmentError):
    code = "duplicate_indicator"


def shown(value: object) -> str:
    """Return a value as it was written in JSON, for error messages."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


# --- Rules --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DimensionRule:
    """A dimension is positive when any one of four alternatives holds (each minimum is at least 1).

    Every alternative asks for at least one strong or one medium indicator, so weak indicators alone never make
    a dimension positive, whatever a national catalogue sets.
    """

    strong: int = 2  # A: at least this many strong
    strong_with_other: int = 1  # B: at least this many strong ...
    other_with_strong: int = 1  # ... and at least this many medium or weak
    medium: int = 3  # C: at least this many medium
    medium_with_weak: int = 2  # D: at least this many medium ...
    weak_with_medium: int = 1  # ... and at least this many weak

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                raise ValueError(f"DimensionRule.{name} must be a whole number of at least 1, not {value!r}")

    def alternative(self, strong: int, medium: int, weak: int) -> str | None:
        """Return the first alternative the counts meet ("strong", "strong_with_other", "medium",
        "medium_with_weak"), or None when the dimension is not positive."""
        if strong >= self.strong:
            return "strong"
        if strong >= self.strong_with_other and medium + weak >= self.other_with_strong:
            return "strong_with_other"
        if medium >= self.medium:
            return "medium"
        if medium >= self.medium_with_weak and weak >= self.weak_with_medium:
            return "medium_with_weak"
        return None


def _dimension_set(name: str, value: Iterable[str]) -> frozenset[str]:
    result = frozenset(value)
    unknown = sorted(result - set(DIMENSIONS))
    if unknown:
        raise ValueError(f"{name}: unknown dimension {unknown[0]!r} (expected some of {', '.join(DIMENSIONS)})")
    if not result:
        raise ValueError(f"{name}: name at least one dimension")
    return result


@dataclass(frozen=True, slots=True)
class Rules:
    """A catalogue's combination rules: when a dimension is positive, and which dimensions play which part."""

    dimension: DimensionRule = field(default_factory=DimensionRule)
    adult_recruitment: frozenset[str] = frozenset({"dr", "cr", "vr"})
    adult_exploitation: frozenset[str] = frozenset({"ex"})
    adult_destination: frozenset[str] = frozenset({"cd", "vd"})
    child_exploitation: frozenset[str] = frozenset({"ex"})

    def __post_init__(self) -> None:
        for name in ("adult_recruitment", "adult_exploitation", "adult_destination", "child_exploitation"):
            object.__setattr__(self, name, _dimension_set(name, getattr(self, name)))


ILO_2009_RULES = Rules()


# --- Catalogue ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    id: str
    list: str
    dimension: str
    strength: str
    label_en: str
    label_ru: str = ""
    label_ky: str = ""
    verified: bool = True

    def label(self, language: str) -> str:
        """Return the label in the language ("ky", "ru", "en"), falling back to English."""
        if language == "ru":
            return self.label_ru or self.label_en
        if language == "ky":
            return self.label_ky or self.label_en
        return self.label_en


@dataclass(frozen=True, slots=True)
class _Entry:
    """What ``assess`` needs to know about one indicator id, precomputed."""

    dimension: int  # index into DIMENSIONS
    weight: int  # what it adds to its dimension's packed count (strong, medium and weak in base ``radix``)
    definition: IndicatorDef


class Catalogue:
    """One version of an indicator catalogue, compiled for fast assessment.

    Each indicator adds a precomputed weight to one packed number per dimension (strong, medium and weak counts as
    the digits of a number in base ``radix``), and the dimension's result for a packed number is computed once and
    remembered. Those results and the phrasebooks of explanations are the only state that changes after building.
    """

    __slots__ = ("_phrasebooks", "_radix", "_results", "_tables", "code", "indicators", "rules", "version")

    def __init__(self, *, code: str, version: int, rules: Rules, indicators: Iterable[IndicatorDef]) -> None:
        self.code = code
        self.version = version
        self.rules = rules
        self.indicators: tuple[IndicatorDef, ...] = tuple(indicators)
        seen: set[str] = set()
        per_kind: dict[tuple[str, str, str], int] = {}
        for ind in self.indicators:
            if ind.list not in LISTS or ind.dimension not in DIMENSIONS or ind.strength not in STRENGTHS:
                raise ValueError(f"indicator {ind.id!r}: unknown list, dimension or strength")
            if ind.id in seen:
                raise ValueError(f"indicator {ind.id!r} appears twice in catalogue {code} version {version}")
            seen.add(ind.id)
            kind = (ind.list, ind.dimension, ind.strength)
            per_kind[kind] = per_kind.get(kind, 0) + 1
        # Duplicates are refused before results are read, so no digit can exceed the most of one kind.
        radix = self._radix = max(per_kind.values(), default=0) + 1
        weights = {STRONG: radix * radix, MEDIUM: radix, WEAK: 1}
        self._tables: dict[str, dict[str, _Entry]] = {lst: {} for lst in LISTS}
        for ind in self.indicators:
            entry = _Entry(DIMENSIONS.index(ind.dimension), weights[ind.strength], ind)
            self._tables[ind.list][ind.id] = entry
        self._results: dict[int, DimensionResult] = {}
        self._phrasebooks: dict[str, _Phrasebook] = {}

    def __repr__(self) -> str:
        return f"<Catalogue {self.code} v{self.version}: {len(self.indicators)} indicators>"

    def ids(self, list_name: str) -> list[str]:
        """Return the ids of one list, in catalogue order."""
        return list(self._tables[list_name])

    def _result(self, packed: int) -> DimensionResult:
        strong, rest = divmod(packed, self._radix * self._radix)
        medium, weak = divmod(rest, self._radix)
        rule = self.rules.dimension.alternative(strong, medium, weak)
        result = self._results[packed] = DimensionResult(strong, medium, weak, rule is not None, rule)
        return result


# --- Input and result ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Input:
    age: int | None
    possible_minor: bool = False
    act: bool = True
    indicators: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DimensionResult:
    strong: int
    medium: int
    weak: int
    positive: bool
    rule: str | None = None  # the alternative that made it positive

    def as_dict(self) -> dict[str, Any]:
        return {"strong": self.strong, "medium": self.medium, "weak": self.weak, "positive": self.positive}


@dataclass(frozen=True, slots=True)
class Result:
    catalog: str
    version: int
    list: str
    dimensions: dict[str, DimensionResult]
    outcome: str
    explanation: tuple[str, ...]

    def as_dict(self, *, explanation: bool = True) -> dict[str, Any]:
        """Return the result in the shape of the command line and the API."""
        data: dict[str, Any] = {
            "catalog": self.catalog,
            "version": self.version,
            "list": self.list,
            "dimensions": {d: r.as_dict() for d, r in self.dimensions.items()},
            "outcome": self.outcome,
        }
        if explanation:
            data["explanation"] = list(self.explanation)
        return data


def decode_json(text: str) -> object:
    """Return the decoded JSON text; a key given twice in one object is refused (``InvalidInputError`` naming it)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidInputError(
                gettext("The key %(key)s is given twice.") % {"key": shown(key)}, field=key, value=key
            )
        result[key] = value
    return result


def parse_input(data: object) -> Input:
    """Return the engine's input from decoded JSON, refusing wrong types and unknown keys with the key named.

    ``age`` is required (null when unknown): leaving it out would silently assess a child on the adult list.
    """
    if not isinstance(data, dict):
        raise InvalidInputError(
            gettext("Expected a JSON object, not %(value)s.") % {"value": shown(data)}, field="input", value=data
        )
    for key in data:
        if key not in INPUT_KEYS:
            raise InvalidInputError(
                gettext("Unknown key %(key)s; expected age, possible_minor, act and indicators.") % {"key": shown(key)},
                field=str(key),
                value=key,
            )
    return Input(
        age=_parse_age(data),
        possible_minor=_parse_flag(data, "possible_minor", default=False),
        act=_parse_flag(data, "act", default=True),
        indicators=_parse_indicators(data),
    )


def _parse_age(data: dict[str, Any]) -> int | None:
    if "age" not in data:
        raise InvalidInputError(
            gettext("age is required: a whole number, or null when the age is unknown."), field="age", value=None
        )
    age = data["age"]
    if age is None:
        return None
    if type(age) is not int:
        raise InvalidInputError(
            gettext("age must be a whole number or null, not %(value)s.") % {"value": shown(age)},
            field="age",
            value=age,
        )
    if age < 0 or age > MAX_AGE:
        raise InvalidInputError(
            gettext("age must be between 0 and %(max)s, not %(value)s.") % {"max": MAX_AGE, "value": shown(age)},
            field="age",
            value=age,
        )
    return age


def _parse_flag(data: dict[str, Any], key: str, *, default: bool) -> bool:
    value = data.get(key, default)
    if type(value) is not bool:
        raise InvalidInputError(
            gettext("%(key)s must be true or false, not %(value)s.") % {"key": key, "value": shown(value)},
            field=key,
            value=value,
        )
    return value


def _parse_indicators(data: dict[str, Any]) -> tuple[str, ...]:
    if "indicators" not in data:
        raise InvalidInputError(
            gettext("indicators is required: a list of indicator ids (it may be empty)."),
            field="indicators",
            value=None,
        )
    value = data["indicators"]
    if not isinstance(value, list):
        raise InvalidInputError(
            gettext("indicators must be a list of indicator ids, not %(value)s.") % {"value": shown(value)},
            field="indicators",
            value=value,
        )
    for item in value:
        if not isinstance(item, str):
            raise InvalidInputError(
                gettext("Each indicator must be an id in quotes, not %(value)s.") % {"value": shown(item)},
                field="indicators",
                value=item,
            )
    return tuple(value)


# --- Assessment ---------------------------------------------------------------------------------------------------


def list_for(age: int | None, possible_minor: bool) -> str:
    """Return the list that applies: a child under 18, or of unknown age with reasons to believe a child."""
    if age is None:
        return CHILD if possible_minor else ADULT
    return CHILD if age < AGE_OF_MAJORITY else ADULT


def assess(catalogue: Catalogue, given: Input, *, explain: bool = True) -> Result:
    """Return the assessment of one person against one catalogue version, with its explanation unless told not
    to (a stored result keeps no explanation: it is worded for each reader, in their language)."""
    list_name = list_for(given.age, given.possible_minor)
    table = catalogue._tables[list_name]
    ids = given.indicators
    entries = []
    packed = [0, 0, 0, 0, 0, 0]
    for ident in ids:
        entry = table.get(ident)
        if entry is None:
            _refuse(catalogue, list_name, ident)
        packed[entry.dimension] += entry.weight
        entries.append(entry)
    if len(set(ids)) != len(ids):
        _refuse_duplicate(ids)
    known = catalogue._results
    dims: dict[str, DimensionResult] = {}
    positive: set[str] = set()
    for name, value in zip(DIMENSIONS, packed, strict=True):
        result = known.get(value) or catalogue._result(value)
        dims[name] = result
        if result.positive:
            positive.add(name)
    rules = catalogue.rules
    if list_name == ADULT:
        indicated = (
            not positive.isdisjoint(rules.adult_recruitment)
            and not positive.isdisjoint(rules.adult_exploitation)
            and not positive.isdisjoint(rules.adult_destination)
        )
    else:
        indicated = given.act and not positive.isdisjoint(rules.child_exploitation)
    outcome = TRAFFICKING_INDICATED if indicated else NOT_INDICATED
    explanation = _explain(catalogue, given, list_name, dims, positive, entries, indicated) if explain else ()
    return Result(catalogue.code, catalogue.version, list_name, dims, outcome, explanation)


def _refuse(catalogue: Catalogue, list_name: str, ident: str) -> NoReturn:
    other = CHILD if list_name == ADULT else ADULT
    if ident in catalogue._tables[other]:
        raise WrongListError(
            gettext("Indicator %(id)s is on the %(other)s list, but this person is assessed on the %(list)s list.")
            % {"id": shown(ident), "other": LIST_LABELS[other], "list": LIST_LABELS[list_name]},
            field="indicators",
            value=ident,
        )
    raise UnknownIndicatorError(
        gettext("Unknown indicator %(id)s: it is not in catalogue %(code)s version %(version)s.")
        % {"id": shown(ident), "code": catalogue.code, "version": catalogue.version},
        field="indicators",
        value=ident,
    )


def _refuse_duplicate(ids: tuple[str, ...]) -> NoReturn:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise DuplicateIndicatorError(
                gettext("Indicator %(id)s is given more than once.") % {"id": shown(ident)},
                field="indicators",
                value=ident,
            )
        seen.add(ident)
    raise AssertionError("called without a duplicate")


# --- Explanation --------------------------------------------------------------------------------------------------

# Every sentence of an explanation, translated once per language and then only formatted: looking a message up
# through gettext costs more than the whole assessment.
_TEXT: dict[str, str | Promise] = {
    "list.unknown_child": _(
        "Age unknown, with reasons to believe the person is a child: presumed to be a child, so the child labour "
        "exploitation list applies."
    ),
    "list.unknown_adult": _(
        "Age unknown and no reason recorded to believe the person is a child: the adult labour exploitation list "
        "applies."
    ),
    "list.child": _("Age %(age)s, under 18: the child labour exploitation list applies."),
    "list.adult": _("Age %(age)s: the adult labour exploitation list applies."),
    "rule.strong": _("at least %(strong)s strong"),
    "rule.strong_with_other": _("at least %(strong)s strong and %(other)s medium or weak"),
    "rule.medium": _("at least %(medium)s medium"),
    "rule.medium_with_weak": _("at least %(medium)s medium and %(weak)s weak"),
    "dimension.positive": _("%(dimension)s is positive (rule: %(rule)s): %(indicators)s."),
    "dimension.negative": _("%(dimension)s is not positive (no rule is met): %(indicators)s."),
    "indicator": _("%(label)s (%(strength)s)"),
    "adult.indicated": _(
        "Trafficking is indicated (rule for adults): a recruitment dimension (%(recruitment)s), exploitation "
        "(%(exploitation)s) and a destination dimension (%(destination)s) are all positive."
    ),
    "adult.not_indicated": _(
        "Trafficking is not indicated (rule for adults: recruitment, exploitation and destination must all be "
        "positive). Missing: %(missing)s."
    ),
    "adult.missing_recruitment": _("a positive recruitment dimension (%(names)s)"),
    "adult.missing_destination": _("a positive destination dimension (%(names)s)"),
    "missing_exploitation": _("positive exploitation (%(names)s)"),
    "child.indicated": _(
        "Trafficking is indicated (rule for children: the means are not required): an act of recruitment, "
        "transportation, transfer, harbouring or receipt took place and exploitation (%(exploitation)s) is positive."
    ),
    "child.not_indicated": _(
        "Trafficking is not indicated (rule for children: an act and positive exploitation are enough). "
        "Missing: %(missing)s."
    ),
    "child.missing_act": _("an act of recruitment, transportation, transfer, harbouring or receipt"),
    "not_indicated_is_not_cleared": _(
        "A result of not indicated does not mean the person is not a victim: if there are other reasons for "
        "concern, refer the person for a full screening or to the competent body."
    ),
    "not_a_determination": _(
        "This is an indicator-based assessment for referral and decision support, not a legal determination. "
        "Identification is decided by the competent body."
    ),
    **{f"dim.{d}": label for d, label in DIMENSION_LABELS.items()},
    **{f"strength.{s}": label for s, label in STRENGTH_LABELS.items()},
}
ALTERNATIVES = ("strong", "strong_with_other", "medium", "medium_with_weak")


class _Phrasebook:
    """A catalogue's explanation pieces in one language, made once: every sentence translated, "label (strength)"
    for every indicator, the rule behind each alternative, and each outcome line met so far."""

    __slots__ = ("dimension", "indicator", "language", "outcomes", "rule", "words")

    def __init__(self, catalogue: Catalogue, language: str) -> None:
        self.language = language
        words = self.words = {key: str(text) for key, text in _TEXT.items()}
        short = language[:2]
        self.indicator = {
            ind.id: words["indicator"] % {"label": ind.label(short), "strength": words["strength." + ind.strength]}
            for ind in catalogue.indicators
        }
        self.rule = {alt: _rule_text(words, catalogue.rules.dimension, alt) for alt in ALTERNATIVES}
        self.dimension = tuple(words["dim." + d] for d in DIMENSIONS)
        self.outcomes: dict[tuple[str, frozenset[str], bool], str] = {}


def _phrasebook(catalogue: Catalogue) -> _Phrasebook:
    language = get_language() or "en"
    book = catalogue._phrasebooks.get(language)
    if book is None:
        book = catalogue._phrasebooks[language] = _Phrasebook(catalogue, language)
    return book


def _names(words: dict[str, str], dimensions: Iterable[str]) -> str:
    return ", ".join(words["dim." + d] for d in DIMENSIONS if d in dimensions)


def _rule_text(words: dict[str, str], rule: DimensionRule, alternative: str) -> str:
    numbers = {
        "strong": {"strong": rule.strong},
        "strong_with_other": {"strong": rule.strong_with_other, "other": rule.other_with_strong},
        "medium": {"medium": rule.medium},
        "medium_with_weak": {"medium": rule.medium_with_weak, "weak": rule.weak_with_medium},
    }[alternative]
    return words["rule." + alternative] % numbers


def _list_line(words: dict[str, str], given: Input, list_name: str) -> str:
    if given.age is None:
        return words["list.unknown_child" if list_name == CHILD else "list.unknown_adult"]
    return words["list.child" if list_name == CHILD else "list.adult"] % {"age": given.age}


def _dimension_lines(book: _Phrasebook, dims: Mapping[str, DimensionResult], entries: list[_Entry]) -> list[str]:
    grouped: list[list[str]] = [[], [], [], [], [], []]
    texts = book.indicator
    for entry in entries:
        grouped[entry.dimension].append(texts[entry.definition.id])
    positive, negative = book.words["dimension.positive"], book.words["dimension.negative"]
    lines = []
    for d, present in enumerate(grouped):
        if not present:
            continue
        alternative = dims[DIMENSIONS[d]].rule
        values = {"dimension": book.dimension[d], "indicators": "; ".join(present)}
        if alternative is None:
            lines.append(negative % values)
        else:
            values["rule"] = book.rule[alternative]
            lines.append(positive % values)
    return lines


def _adult_outcome_line(words: dict[str, str], rules: Rules, positive: frozenset[str], indicated: bool) -> str:
    if indicated:
        return words["adult.indicated"] % {
            "recruitment": _names(words, positive & rules.adult_recruitment),
            "exploitation": _names(words, positive & rules.adult_exploitation),
            "destination": _names(words, positive & rules.adult_destination),
        }
    parts = (
        ("adult.missing_recruitment", rules.adult_recruitment),
        ("missing_exploitation", rules.adult_exploitation),
        ("adult.missing_destination", rules.adult_destination),
    )
    missing = [words[key] % {"names": _names(words, part)} for key, part in parts if positive.isdisjoint(part)]
    return words["adult.not_indicated"] % {"missing": "; ".join(missing)}


def _child_outcome_line(
    words: dict[str, str], rules: Rules, act: bool, positive: frozenset[str], indicated: bool
) -> str:
    if indicated:
        return words["child.indicated"] % {"exploitation": _names(words, positive & rules.child_exploitation)}
    missing = []
    if not act:
        missing.append(words["child.missing_act"])
    if positive.isdisjoint(rules.child_exploitation):
        missing.append(words["missing_exploitation"] % {"names": _names(words, rules.child_exploitation)})
    return words["child.not_indicated"] % {"missing": "; ".join(missing)}


def _outcome_line(
    book: _Phrasebook, rules: Rules, list_name: str, act: bool, positive: set[str], indicated: bool
) -> str:
    """The line depends only on the list, the positive dimensions and the act: each one is worded once."""
    key = (list_name, frozenset(positive), act or list_name == ADULT)
    line = book.outcomes.get(key)
    if line is None:
        if list_name == ADULT:
            line = _adult_outcome_line(book.words, rules, key[1], indicated)
        else:
            line = _child_outcome_line(book.words, rules, act, key[1], indicated)
        book.outcomes[key] = line
    return line


def _explain(
    catalogue: Catalogue,
    given: Input,
    list_name: str,
    dims: Mapping[str, DimensionResult],
    positive: set[str],
    entries: list[_Entry],
    indicated: bool,
) -> tuple[str, ...]:
    book = _phrasebook(catalogue)
    words = book.words
    lines = [_list_line(words, given, list_name)]
    lines.extend(_dimension_lines(book, dims, entries))
    lines.append(_outcome_line(book, catalogue.rules, list_name, given.act, positive, indicated))
    if not indicated:
        lines.append(words["not_indicated_is_not_cleared"])
    lines.append(words["not_a_determination"])
    return tuple(lines)
