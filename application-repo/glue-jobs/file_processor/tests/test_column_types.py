"""Type inference from a sample, and the one rule per type that Python (inference) and Spark (validation) share."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from file_processor.column_types import (
    BIGINT,
    BOOLEAN,
    DATE,
    DOUBLE,
    INT,
    STRING,
    TIMESTAMP,
    decimal_scale,
    decimal_type,
    infer_column_type,
    is_known_type,
    value_fits,
)
from file_processor.row_validation import is_utc_session, value_is_valid
from pyspark.sql import SparkSession


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["true", "FALSE", "True"], BOOLEAN),
        (["1", "-20", "0", "2147483647"], INT),
        (["+3", "7"], DOUBLE),
        (["1", "2147483648"], BIGINT),
        (["-9223372036854775808", "9223372036854775807"], BIGINT),
        (["9223372036854775808"], decimal_type(0)),
        (["1" * 39], STRING),
        (["19.99", "5.00", "-3.50", "7"], decimal_type(2)),
        (["1.5", "2.25"], DOUBLE),
        (["1e3", "2.5"], DOUBLE),
        (["2026-11-23", "2024-02-29"], DATE),
        (["2026-11-23", "2026-11-23T10:15:00Z"], TIMESTAMP),
        (["2026-11-23 10:15:00", "2026-11-23T10:15:00.123456+01:00"], TIMESTAMP),
        (["007", "12"], STRING),
        (["1", "x"], STRING),
        (["2026-02-30"], STRING),
        (["1", "true"], STRING),
        (["yes", "no"], STRING),
        ([" 1", "2"], STRING),
        (["NaN"], STRING),
        (["1e999"], STRING),
        ([], STRING),
    ],
)
def test_the_narrowest_type_that_fits_every_sample_value_is_inferred(values: list[str], expected: str) -> None:
    assert infer_column_type(values) == expected


def test_empty_values_are_nulls_and_do_not_decide_the_type() -> None:
    assert infer_column_type(["", None, "42", ""]) == INT


def test_a_column_of_only_empty_values_is_a_string() -> None:
    assert infer_column_type(["", None]) == STRING


@pytest.mark.parametrize(
    "type_name", [STRING, BOOLEAN, INT, BIGINT, DOUBLE, DATE, TIMESTAMP, "decimal(38,0)", "decimal(38,18)"]
)
def test_the_types_the_job_writes_are_known(type_name: str) -> None:
    assert is_known_type(type_name)


@pytest.mark.parametrize(
    "type_name", ["decimal(38,19)", "decimal(10,2)", "decimal(38, 2)", "varchar(10)", "float", "Int", "", "decimal"]
)
def test_other_type_strings_are_not_known(type_name: str) -> None:
    assert not is_known_type(type_name)


def test_decimal_scale_reads_the_scale_of_a_decimal_type_only() -> None:
    assert decimal_scale("decimal(38,4)") == 4
    assert decimal_scale("double") is None


CROSS_CHECK_VALUES = [
    "0",
    "7",
    "-7",
    "+7",
    "-0",
    "007",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2026-11-23x",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "1.5",
    "12.345",
    "1.",
    ".5",
    "1e5",
    "1E-5",
    "1e999",
    "NaN",
    "Infinity",
    " 1",
    "1 ",
    "1\n",
    "true",
    "FALSE",
    "t",
    "yes",
    "2026-11-23",
    "2026-02-30",
    "2026-1-5",
    "2026-11-23T10:15",
    "2026-11-23 10:15:30",
    "2026-11-23T10:15:30.123456Z",
    "2026-11-23T10:15:30+01:00",
    "2026-11-23T25:00:00",
    "2026-11-23T10:15:30.1234567",
    "2026-11-5 ",
    "2026-11-5T",
    "2026-11-05\t",
    "+20826-11-23",
    "\uff12026-11-23",
    "2026-11-23T10:15:00Z",
    "2026-11-23 10:15:07Z",
    "2026-11-23T10:15:7 Z",
    "2026-11-23T10:15:7.Z",
    "2026-11-23T10:15:0.Z",
    "2026-11-23T10:15:0ZZ",
    "2026-11-23T10:15:0\tZ",
    "2026-11-23T1:15:00 Z",
    "+026-11-23T10:15:00Z",
    " 2026-11-23T10:15:0Z",
    "0000-12-31T23:59:59Z",
    "0001-01-01T00:00:00Z",
    "2026-11-23T10:15:00+00:00",
    "+0.5",
    "-0.00",
    "-0.",
    "5.",
    "0.50",
    "00.5",
    "-00",
    "1.230",
    "1.5 ",
    "\t1.5",
    "+-5",
    "0e0",
    "1e2",
    "0.5e1",
    "\u0661\u0662",
    "1\u0662.5",
    "9" * 36 + ".99",
    "9" * 37 + ".99",
    "1" * 38,
    "1" * 39,
    "-" + "9" * 38,
    "0.000001",
    "0.0000001",
    "-0.000000",
    "0.000000000000000001",
    "1d",
    "1f",
    "0x1p3",
    "abc",
    "",
]
CROSS_CHECK_TYPES = [
    BOOLEAN,
    INT,
    BIGINT,
    DOUBLE,
    DATE,
    TIMESTAMP,
    decimal_type(2),
    decimal_type(0),
    decimal_type(6),
    decimal_type(7),
    decimal_type(18),
    STRING,
]


def _spark_verdicts(
    spark: SparkSession, type_name: str, values: Sequence[str], utc_session: bool = False
) -> dict[str, bool]:
    frame = spark.createDataFrame([(value,) for value in values], "v string")
    rows = frame.select("v", value_is_valid("v", type_name, utc_session).alias("ok")).collect()
    return {row["v"]: bool(row["ok"]) for row in rows}


@pytest.mark.parametrize("utc_session", [True, False], ids=["utc-session", "other-zone"])
@pytest.mark.parametrize("type_name", CROSS_CHECK_TYPES)
def test_spark_validation_accepts_exactly_the_values_python_inference_accepts(
    spark: SparkSession, type_name: str, utc_session: bool
) -> None:
    assert is_utc_session(spark)  # the session the job runs in; "other-zone" builds the checks as for another zone
    values = [value for value in CROSS_CHECK_VALUES if value]

    verdicts = _spark_verdicts(spark, type_name, values, utc_session)

    disagreements = {value: verdicts[value] for value in values if verdicts[value] != value_fits(type_name, value)}
    assert disagreements == {}


def test_spark_validation_treats_an_empty_field_as_a_valid_null(spark: SparkSession) -> None:
    frame = spark.createDataFrame([(None,)], "v string")

    row = frame.select(value_is_valid("v", INT).alias("ok")).first()

    assert row is not None and row["ok"] is True


def test_decimal_validation_refuses_values_it_would_have_to_round(spark: SparkSession) -> None:
    frame = spark.createDataFrame([("12.34",), ("12.345",)], "v string")

    verdicts = {
        row["v"]: row["ok"] for row in frame.select("v", value_is_valid("v", decimal_type(2)).alias("ok")).collect()
    }

    assert verdicts == {"12.34": True, "12.345": False}
