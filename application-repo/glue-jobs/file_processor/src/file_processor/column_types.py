"""The column types the job infers, and the one rule per type for which text values belong to it.

Each rule is written once here (a regular expression plus a range or calendar check; booleans are a lowercase
comparison), and used twice: in Python to infer a column's type from the sample, and in Spark (row_validation.py)
to decide, row by row over the whole file, whether a value fits. Sharing the rule is what makes "the sample said
int" and "this row is a valid int" mean the same thing. The expressions use only syntax that Python's `re` and
Java's `java.util.regex` read identically; int and bigint are canonical forms that Spark checks by casting to the
type and back, and dates (and timestamps of the usual shape) are checked by the positions of their separators after
the cast (row_validation.py); a test proves both sides accept exactly the same values.

Types are Hive/Glue type strings, which Spark's DDL parser also reads, so one string names the type everywhere:
the Spark read schema, the Parquet file and the Glue table.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

STRING = "string"
BOOLEAN = "boolean"
INT = "int"
BIGINT = "bigint"
DOUBLE = "double"
DATE = "date"
TIMESTAMP = "timestamp"
DECIMAL_PRECISION = 38
"""Decimals are always (38, scale): room for any integer part, and a scale taken from the data."""
MAX_DECIMAL_SCALE = 18

BOOLEAN_VALUES = ("true", "false")
"""Compared after lowercasing (Python's `str.lower` and Java's agree on these letters); 1/0 and yes/no stay text."""
# The canonical form only (no plus sign, no leading zeros, no "-0"): "007" is an identifier, and reading it as 7 would
# lose the zeros. Being canonical also lets Spark check it cheaply: cast to int and back to text gives the value.
INTEGER_PATTERN = r"0|-?[1-9][0-9]*"
FIXED_POINT_PATTERN = r"[+-]?(0|[1-9][0-9]*)\.[0-9]+"
FLOATING_PATTERN = r"[+-]?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?"
DATE_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIMESTAMP_PATTERN = (
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?"
)

INT_RANGE = (-(2**31), 2**31 - 1)
BIGINT_RANGE = (-(2**63), 2**63 - 1)

_DECIMAL_TYPE = re.compile(r"decimal\((\d+),(\d+)\)")


def decimal_type(scale: int) -> str:
    return f"decimal({DECIMAL_PRECISION},{scale})"


def decimal_scale(type_name: str) -> int | None:
    """The scale of a `decimal(p,s)` type string, or None for any other type."""
    match = _DECIMAL_TYPE.fullmatch(type_name)
    return int(match.group(2)) if match else None


def is_known_type(type_name: str) -> bool:
    """One of the types the job writes: the plain ones, or decimal(38,S) with S up to MAX_DECIMAL_SCALE."""
    scale = decimal_scale(type_name)
    if scale is not None:
        return type_name == decimal_type(scale) and scale <= MAX_DECIMAL_SCALE
    return type_name in (STRING, BOOLEAN, INT, BIGINT, DOUBLE, DATE, TIMESTAMP)


def decimal_pattern(scale: int) -> str:
    """Values of decimal(38, scale): at most `scale` decimals (never rounded) and at most 38 - scale integer digits."""
    integer_digits = DECIMAL_PRECISION - scale
    integer = rf"[+-]?(0|[1-9][0-9]{{0,{integer_digits - 1}}})"
    return integer if scale == 0 else rf"{integer}(\.[0-9]{{1,{scale}}})?"


def value_pattern(type_name: str) -> str | None:
    """The expression a non-empty value must match in full to be of `type_name`; None for string and boolean."""
    scale = decimal_scale(type_name)
    if scale is not None:
        return decimal_pattern(scale)
    return {
        BOOLEAN: None,
        INT: INTEGER_PATTERN,
        BIGINT: INTEGER_PATTERN,
        DOUBLE: FLOATING_PATTERN,
        DATE: DATE_PATTERN,
        TIMESTAMP: TIMESTAMP_PATTERN,
        STRING: None,
    }[type_name]


def value_fits(type_name: str, value: str) -> bool:
    """The Python side of the rule: pattern, then the range or calendar check that a pattern cannot express."""
    if type_name == BOOLEAN:
        return value.lower() in BOOLEAN_VALUES
    pattern = value_pattern(type_name)
    if pattern is None:
        return True
    if not _compiled(pattern).fullmatch(value):
        return False
    if type_name == INT:
        return INT_RANGE[0] <= int(value) <= INT_RANGE[1]
    if type_name == BIGINT:
        return BIGINT_RANGE[0] <= int(value) <= BIGINT_RANGE[1]
    if type_name == DOUBLE:
        return math.isfinite(float(value))
    if type_name == DATE:
        return _is_calendar_date(value)
    if type_name == TIMESTAMP:
        return _is_timestamp(value)
    return True


@dataclass(frozen=True)
class _Observed:
    """What the sample showed about one column, gathered in one walk over its values."""

    count: int
    booleans: bool
    integers: bool
    fixed_points: bool
    decimal_scales: frozenset[int]
    max_integer_digits: int
    floats: bool
    dates: bool
    timestamps: bool
    integer_min: int
    integer_max: int


def infer_column_type(values: Iterable[str | None]) -> str:
    """The narrowest type that every non-empty sample value fits; string when none do or the column is empty.

    Order of preference: boolean, int, bigint, decimal (fixed-point values that all share one scale, as money
    does), double, date, timestamp, string. Integers beyond bigint become decimal(38,0) so no digit is lost.
    """
    observed = _observe([value for value in values if value])
    if observed is None or observed.count == 0:
        return STRING
    if observed.booleans:
        return BOOLEAN
    if observed.integers:
        if INT_RANGE[0] <= observed.integer_min and observed.integer_max <= INT_RANGE[1]:
            return INT
        if BIGINT_RANGE[0] <= observed.integer_min and observed.integer_max <= BIGINT_RANGE[1]:
            return BIGINT
        if observed.max_integer_digits <= DECIMAL_PRECISION:
            return decimal_type(0)
        return STRING
    if observed.fixed_points and len(observed.decimal_scales) == 1:
        (scale,) = observed.decimal_scales
        if scale <= MAX_DECIMAL_SCALE and observed.max_integer_digits <= DECIMAL_PRECISION - scale:
            return decimal_type(scale)
    if observed.floats:
        return DOUBLE
    if observed.dates:
        return DATE
    if observed.timestamps:
        return TIMESTAMP
    return STRING


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _observe(values: list[str]) -> _Observed | None:
    booleans = integers = fixed_points = floats = dates = timestamps = True
    scales: set[int] = set()
    max_integer_digits = 0
    integer_min, integer_max = 0, 0
    for value in values:
        booleans = booleans and value.lower() in BOOLEAN_VALUES
        is_integer = bool(_compiled(INTEGER_PATTERN).fullmatch(value))
        integers = integers and is_integer
        is_fixed = bool(_compiled(FIXED_POINT_PATTERN).fullmatch(value))
        fixed_points = fixed_points and (is_integer or is_fixed)
        if is_integer:
            number = int(value)
            integer_min, integer_max = min(integer_min, number), max(integer_max, number)
            max_integer_digits = max(max_integer_digits, len(value.lstrip("+-")))
        elif is_fixed:
            whole, fraction = value.lstrip("+-").split(".")
            scales.add(len(fraction))
            max_integer_digits = max(max_integer_digits, len(whole))
        floats = floats and value_fits(DOUBLE, value)
        dates = dates and value_fits(DATE, value)
        timestamps = timestamps and value_fits(TIMESTAMP, value)
        if not (booleans or integers or fixed_points or floats or dates or timestamps):
            return None
    return _Observed(
        count=len(values),
        booleans=booleans,
        integers=integers,
        fixed_points=fixed_points and bool(scales),
        decimal_scales=frozenset(scales),
        max_integer_digits=max_integer_digits,
        floats=floats,
        dates=dates,
        timestamps=timestamps,
        integer_min=integer_min,
        integer_max=integer_max,
    )


def _is_calendar_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_timestamp(value: str) -> bool:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
