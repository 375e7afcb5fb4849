"""Typed columns and a quarantine reason for every row, as plain DataFrame functions (no Python UDF, no awsglue).

The file is read with every column as a string plus Spark's corrupt-record column; this module then applies the
rules of column_types.py in Spark SQL. Reading strings first (rather than letting Spark cast while parsing) is what
gives each bad row a precise reason ("column 'amount' expects decimal(38,2), got '12.345'") instead of a silent
null or a rounded value.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import reduce

from pyspark.sql import Column as SparkColumn
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from file_processor.column_types import (
    BIGINT,
    BOOLEAN,
    BOOLEAN_VALUES,
    DATE,
    DOUBLE,
    INT,
    STRING,
    TIMESTAMP,
    decimal_scale,
    value_pattern,
)
from file_processor.table_schema import Column

CORRUPT_RECORD = "_corrupt_record"
REASON = "_reason"
RAW_RECORD = "_raw_record"
MALFORMED_RECORD = "malformed CSV record"
"""How the reason of a record with the wrong number of fields starts; its raw record is the line as read."""
_MAX_VALUE_IN_REASON = 80
_REPLACEMENT_CHARACTER = "\ufffd"
_ROUND_TRIP_TYPES = (INT, BIGINT)
_PLAIN_DECIMAL_SCALE = 6
"""Spark writes a decimal as text like Java's BigDecimal.toString: in full up to 6 decimals; with more, a small value
can come out as `1E-7`."""
_FIRST_DAY = "0001-01-01"
"""Spark's calendar has a year 0; Python's (and so inference) starts at year 1."""
_SECONDS_AND_ZULU = len("2026-11-23T10:15:00Z")
_UTC_ZONES = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "+00:00"})
"""Session time zones in which a local date-time cast to a timestamp is the same instant as with a `Z`."""
_RAW_PREFIX = "__text_"
_VALID_PREFIX = "__valid_"
"""Normalized names never start with an underscore, so these cannot clash with a column."""


def string_read_schema(column_names: Sequence[str]) -> T.StructType:
    """The schema Spark parses the CSV with: every header column as text, then the corrupt-record column."""
    fields = [T.StructField(name, T.StringType(), nullable=True) for name in column_names]
    return T.StructType([*fields, T.StructField(CORRUPT_RECORD, T.StringType(), nullable=True)])


def spark_pattern(type_name: str) -> str | None:
    """The Java form of a column_types rule: anchored to the whole value (`\\z`, since `$` allows a final newline)."""
    pattern = value_pattern(type_name)
    return None if pattern is None else f"^(?:{pattern})\\z"


def value_is_valid(name: str, type_name: str, utc_session: bool = False) -> SparkColumn:
    """True for null (empty field) or a value that fits `type_name` exactly, as column_types.value_fits decides."""
    return _is_valid(F.col(_quoted(name)), typed_value(name, type_name, utc_session), type_name, utc_session)


def typed_value(name: str, type_name: str, utc_session: bool = False) -> SparkColumn:
    """The value in its type; only meaningful where value_is_valid holds (elsewhere the row is quarantined).

    `utc_session`: the session's time zone is UTC, which lets a timestamp ending in `Z` be cast without Spark
    parsing the zone (see _timestamp_in_utc_session)."""
    raw = F.col(_quoted(name))
    if type_name == STRING:
        return raw
    if type_name == BOOLEAN:
        return F.lower(raw) == F.lit("true")
    if type_name == TIMESTAMP and utc_session:
        return _timestamp_in_utc_session(_quoted(name))
    return F.expr(f"try_cast({_quoted(name)} AS {type_name})")


def _timestamp_in_utc_session(name: str) -> SparkColumn:
    """`try_cast(value AS timestamp)` for every value TIMESTAMP_PATTERN accepts, in a session whose zone is UTC.

    Spark's cast hands a zone suffix to `ZoneId.of` after two regular-expression replacements, compiled anew for
    every value: for `...Z`, the usual form, that was over half the cost of validating a timestamp. Here the `Z`
    is cut off and the rest cast in the session's zone, UTC: the same instant, with no zone to parse. A `Z` after
    a time without seconds (`10:15Z`) is left to Spark's cast, which refuses it, as are offsets (`+01:00`): taking
    those apart too made the generated code of a 9-column file's read too long for the JIT compiler (8,000
    bytes), which cost more than it saved. Values the pattern refuses may come out differently, but their rows
    are quarantined either way.
    """
    return F.expr(
        f"IF(endswith({name}, 'Z') AND length({name}) >= {_SECONDS_AND_ZULU}, "
        f"try_cast(substring({name}, 1, length({name}) - 1) AS timestamp), try_cast({name} AS timestamp))"
    )


def _is_valid(raw: SparkColumn, typed: SparkColumn, type_name: str, utc_session: bool = False) -> SparkColumn:
    """`typed` is passed in (not recomputed) so each value is cast once per row; casting dominates the cost."""
    if type_name == STRING:
        return raw.isNull() | (F.instr(raw, _REPLACEMENT_CHARACTER) == 0)
    if type_name == BOOLEAN:
        return raw.isNull() | F.lower(raw).isin(*BOOLEAN_VALUES)
    if type_name == DATE:
        fits = typed.isNotNull() & _is_canonical_date(raw, typed) & (typed >= F.expr(f"DATE '{_FIRST_DAY}'"))
        return raw.isNull() | fits
    if type_name == TIMESTAMP and utc_session:
        shape = F.when(_is_zulu_to_the_second(raw), _is_canonical_zulu(raw, typed)).otherwise(
            raw.rlike(str(spark_pattern(TIMESTAMP)))
        )
        # The first day in the session's zone, UTC: the same as `year >= 1`, without taking the instant apart.
        return raw.isNull() | (typed.isNotNull() & shape & (typed >= F.expr(f"TIMESTAMP '{_FIRST_DAY}'")))
    scale = decimal_scale(type_name)
    if scale is not None and scale <= _PLAIN_DECIMAL_SCALE:
        return raw.isNull() | (typed.isNotNull() & _is_canonical_decimal(raw, typed))
    if type_name in _ROUND_TRIP_TYPES:
        # Canonical text (see column_types): the value is valid exactly when it survives a cast and back; cheaper
        # than a regular expression, which converts every value to a Java string first.
        fits = typed.isNotNull() & (typed.cast(T.StringType()) == raw)
    else:
        fits = raw.rlike(str(spark_pattern(type_name))) & typed.isNotNull()
    if type_name == DOUBLE:
        fits = fits & (F.abs(typed) < F.lit(float("inf")))
    if type_name == TIMESTAMP:
        fits = fits & (F.year(typed) >= 1)  # _FIRST_DAY in the session's zone
    return raw.isNull() | fits


def _is_canonical_date(raw: SparkColumn, typed: SparkColumn) -> SparkColumn:
    """For a value Spark cast to a date: it reads `YYYY-MM-DD`, as DATE_PATTERN asks.

    Spark's cast also takes a sign, a year of 5 to 7 digits, one-digit months and days, surrounding blanks and
    anything after a `T` or a space; with ten characters and the dashes at 5 and 8, the only one left is a one-digit
    day followed by a blank or `T` (`2026-11-5 `), which has no leading `0` where a day below 10 needs one. Cheaper
    than casting back to text, which formats every date."""
    dashes = (F.instr(raw, "-") == 5) & (F.locate("-", raw, 6) == 8)
    two_digit_day = (F.dayofmonth(typed) >= 10) | (F.locate("0", raw, 9) == 9)
    return (F.length(raw) == len("2026-11-23")) & dashes & two_digit_day


def _is_canonical_decimal(raw: SparkColumn, typed: SparkColumn) -> SparkColumn:
    """For a value Spark cast to decimal(38,s): it reads as the pattern of column_types.decimal_pattern asks.

    The value as text has exactly s decimals and no sign on zero; a value in the pattern's form is that text cut
    after its last digit, but for a `+` or the `-` of a zero. Spark's cast also takes blanks, leading zeros,
    exponents, `.5` and `5.`, other scripts' digits and more decimals (rounded): none of them is such a prefix, but
    `5.`, which the last check refuses."""
    unsigned = raw.startswith("+") | (raw.startswith("-") & (typed == 0))
    digits = F.when(unsigned, raw.substr(F.lit(2), F.length(raw))).otherwise(raw)
    return typed.cast(T.StringType()).startswith(digits) & ~raw.endswith(".")


def _is_zulu_to_the_second(raw: SparkColumn) -> SparkColumn:
    """The usual shape of a timestamp in a file, `2026-11-23T10:15:00Z`, for which _is_canonical_zulu replaces the
    pattern (see _timestamp_in_utc_session for its cast)."""
    return (F.length(raw) == _SECONDS_AND_ZULU) & raw.endswith("Z")


def _is_canonical_zulu(raw: SparkColumn, typed: SparkColumn) -> SparkColumn:
    """For a value of _is_zulu_to_the_second's shape that Spark cast in a UTC session: TIMESTAMP_PATTERN holds.

    A regular expression converts every value to a Java string first; these checks read the bytes in place. With
    the separators at their places, Spark's cast refuses every field that is not all digits, except seconds of one
    digit followed by a blank, a `.` or a `Z` (`10:15:7 Z`): seconds below 10 then need a `0` before them, and
    zero seconds a second `0`."""
    separators = (
        (F.instr(raw, "-") == 5)
        & (F.locate("-", raw, 6) == 8)
        & (F.locate(":", raw, 12) == 14)
        & (F.locate(":", raw, 15) == 17)
    )
    seconds = F.pmod(F.unix_seconds(typed), F.lit(60))
    two_digit_seconds = (seconds >= 10) | (
        (F.locate("0", raw, 18) == 18) & ((seconds > 0) | (F.locate("0", raw, 19) == 19))
    )
    return separators & two_digit_seconds


def _problem(name: str, type_name: str, raw: SparkColumn) -> SparkColumn:
    if type_name == STRING:
        return F.lit(f"column '{name}' holds bytes that are not valid UTF-8")
    return F.format_string(
        "column '%s' expects %s, got '%s'", F.lit(name), F.lit(type_name), F.substring(raw, 1, _MAX_VALUE_IN_REASON)
    )


def kept_as_text(type_name: str) -> bool:
    """Columns the job caches as their text and casts once more after the cache (typed_value on the text).

    Spark caches a decimal(38,s) value as the bytes of a Java BigInteger, made and read back row by row: for the
    one decimal column of the benchmark's file that was 40% of the job's cost of caching (0.9 CPU seconds per
    million rows), and the cast from text is a tenth of that. Every other type is cached as a plain number."""
    return decimal_scale(type_name) is not None


def add_validation(
    frame: DataFrame, columns: Sequence[Column], keep: Sequence[str] = (), as_text: Collection[str] = ()
) -> DataFrame:
    """From the string read to typed columns plus `_reason` and `_raw_record` (both null on a good row).

    Three projections: the first casts every value once and keeps the text beside it; the second decides validity
    from both; the third builds the reason. Deciding validity in a projection of its own means each check appears
    once in the generated code, not once for the verdict and once more for the reason: with the checks of a 9-column
    file that kept the read's generated method below spark_session's hugeMethodLimit. A good row costs one cast per
    value plus a cast back, a pattern match or a few position checks; reasons are only built for bad rows. `keep`
    names columns of `frame` passed through unchanged; the columns named in `as_text` are validated like the others
    but come out as their text (typed_value turns a valid one into its type).
    """
    raw_names = [f"{_RAW_PREFIX}{index}" for index in range(len(columns))]
    utc_session = is_utc_session(frame.sparkSession)
    typed = frame.select(
        *[F.col(_quoted(column.name)).alias(raw) for column, raw in zip(columns, raw_names, strict=True)],
        *[typed_value(column.name, column.type, utc_session).alias(column.name) for column in columns],
        F.col(CORRUPT_RECORD),
        *keep,
    )
    valid_names = [f"{_VALID_PREFIX}{index}" for index in range(len(columns))]
    flagged = typed.withColumns(
        {
            valid: _is_valid(F.col(raw), F.col(_quoted(column.name)), column.type, utc_session)
            for column, raw, valid in zip(columns, raw_names, valid_names, strict=True)
        }
    )
    checks = [
        (column, F.col(raw), F.col(valid)) for column, raw, valid in zip(columns, raw_names, valid_names, strict=True)
    ]
    all_valid = reduce(lambda left, right: left & right, [valid for _, _, valid in checks], F.lit(True))
    problems = F.concat_ws("; ", *[F.when(~valid, _problem(c.name, c.type, raw)) for c, raw, valid in checks])
    reason = (
        F.when(
            F.col(CORRUPT_RECORD).isNotNull(),
            F.lit(f"{MALFORMED_RECORD}: the header has {len(columns)} fields and this record does not"),
        )
        .when(~all_valid, problems)
        .otherwise(F.lit(None).cast(T.StringType()))
    )
    record_text = F.to_csv(
        F.struct(*[F.col(raw).alias(c.name) for c, raw in zip(columns, raw_names, strict=True)]), {"escape": '"'}
    )
    with_reason = flagged.withColumn(REASON, reason)
    return with_reason.select(
        *[
            (F.col(raw).alias(column.name) if column.name in as_text else F.col(_quoted(column.name)))
            for column, raw in zip(columns, raw_names, strict=True)
        ],
        F.col(REASON),
        F.when(F.col(REASON).isNotNull(), F.coalesce(F.col(CORRUPT_RECORD), record_text)).alias(RAW_RECORD),
        *keep,
    )


def is_utc_session(spark: SparkSession) -> bool:
    """The session casts local date-times as UTC (the job's sessions always do: spark_session.JOB_SETTINGS)."""
    return (spark.conf.get("spark.sql.session.timeZone") or "") in _UTC_ZONES


def _quoted(name: str) -> str:
    """Backticks for SQL expressions; normalized names never contain one."""
    return f"`{name}`"
