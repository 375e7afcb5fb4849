"""Row validation on in-memory DataFrames: typed values, a reason per bad row, the raw record kept."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

from file_processor.column_types import BIGINT, BOOLEAN, DATE, DOUBLE, INT, STRING, TIMESTAMP, decimal_type
from file_processor.row_validation import (
    CORRUPT_RECORD,
    RAW_RECORD,
    REASON,
    add_validation,
    is_utc_session,
    spark_pattern,
    string_read_schema,
    typed_value,
)
from file_processor.table_schema import Column
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

COLUMNS = [
    Column("id", INT),
    Column("big", BIGINT),
    Column("amount", decimal_type(2)),
    Column("ratio", DOUBLE),
    Column("flag", BOOLEAN),
    Column("day", DATE),
    Column("at", TIMESTAMP),
    Column("name", STRING),
]


def _frame(spark: SparkSession, *rows: tuple[str | None, ...]) -> DataFrame:
    schema = string_read_schema([column.name for column in COLUMNS])
    return spark.createDataFrame([(*row, None) if len(row) == len(COLUMNS) else row for row in rows], schema)


GOOD = ("7", "5000000000", "12.50", "0.25", "TRUE", "2026-11-23", "2026-11-23T10:15:00+01:00", 'say "hi"')


def test_a_good_row_gets_typed_values_and_no_reason(spark: SparkSession) -> None:
    row = add_validation(_frame(spark, GOOD), COLUMNS).first()

    assert row is not None
    assert row.asDict() == {
        "id": 7,
        "big": 5000000000,
        "amount": Decimal("12.50"),
        "ratio": 0.25,
        "flag": True,
        "day": date(2026, 11, 23),
        "at": datetime(2026, 11, 23, 9, 15),
        "name": 'say "hi"',
        REASON: None,
        RAW_RECORD: None,
    }


def test_the_typed_columns_have_the_planned_spark_types(spark: SparkSession) -> None:
    schema = add_validation(_frame(spark, GOOD), COLUMNS).schema

    assert [field.dataType.simpleString() for field in schema.fields[: len(COLUMNS)]] == [
        "int",
        "bigint",
        "decimal(38,2)",
        "double",
        "boolean",
        "date",
        "timestamp",
        "string",
    ]


def test_empty_fields_are_nulls_not_errors(spark: SparkSession) -> None:
    row = add_validation(_frame(spark, (None,) * len(COLUMNS)), COLUMNS).first()

    assert row is not None and row[REASON] is None and row["id"] is None


def test_a_value_of_the_wrong_type_gives_a_reason_naming_column_type_and_value(spark: SparkSession) -> None:
    bad = ("x7", *GOOD[1:2], "12.345", *GOOD[3:])

    row = add_validation(_frame(spark, bad), COLUMNS).first()

    assert row is not None
    assert row[REASON] == "column 'id' expects int, got 'x7'; column 'amount' expects decimal(38,2), got '12.345'"


def test_the_raw_record_of_a_type_error_is_its_fields_as_csv(spark: SparkSession) -> None:
    bad = ("x7", *GOOD[1:])

    row = add_validation(_frame(spark, bad), COLUMNS).first()

    assert row is not None
    assert row[RAW_RECORD] == 'x7,5000000000,12.50,0.25,TRUE,2026-11-23,2026-11-23T10:15:00+01:00,"say ""hi"""'


def test_a_malformed_record_keeps_spark_s_raw_line_and_says_why(spark: SparkSession) -> None:
    malformed = ("1", "2", *([None] * (len(COLUMNS) - 2)), "1,2")

    row = add_validation(_frame(spark, malformed), COLUMNS).first()

    assert row is not None
    assert row[RAW_RECORD] == "1,2"
    assert row[REASON] == "malformed CSV record: the header has 8 fields and this record does not"


def test_replacement_characters_in_text_mean_the_bytes_were_not_utf8(spark: SparkSession) -> None:
    row = add_validation(_frame(spark, (*GOOD[:-1], "M\ufffdller")), COLUMNS).first()

    assert row is not None and row[REASON] == "column 'name' holds bytes that are not valid UTF-8"


def test_an_overflowing_int_is_refused_not_wrapped(spark: SparkSession) -> None:
    row = add_validation(_frame(spark, ("2147483648", *GOOD[1:])), COLUMNS).first()

    assert row is not None and row[REASON] == "column 'id' expects int, got '2147483648'"


def test_kept_columns_pass_through_good_and_bad_rows_unchanged(spark: SparkSession) -> None:
    frame = _frame(spark, GOOD, ("x7", *GOOD[1:])).withColumn("__path", F.lit("/in/a #1?.csv"))

    rows = add_validation(frame, COLUMNS, keep=("__path",)).collect()

    assert [(row["__path"], row[REASON] is None) for row in rows] == [("/in/a #1?.csv", True), ("/in/a #1?.csv", False)]
    assert add_validation(frame, COLUMNS, keep=("__path",)).columns[-1] == "__path"


def test_a_column_kept_as_text_is_validated_the_same_and_typed_from_its_text_later(spark: SparkSession) -> None:
    frame = _frame(spark, (*GOOD[:2], "12.5", *GOOD[3:]), (*GOOD[:2], "12.345", *GOOD[3:]))

    rows = add_validation(frame, COLUMNS, as_text=["amount"])
    values = rows.select("amount", REASON, typed_value("amount", decimal_type(2)).alias("typed")).collect()

    assert [tuple(row) for row in values] == [
        ("12.5", None, Decimal("12.50")),
        ("12.345", "column 'amount' expects decimal(38,2), got '12.345'", Decimal("12.35")),
    ]
    assert dict(rows.dtypes)["amount"] == "string"


def test_the_corrupt_record_column_is_last_in_the_read_schema() -> None:
    assert string_read_schema(["a", "b"]).fieldNames() == ["a", "b", CORRUPT_RECORD]


TIMESTAMP_EDGES = [
    "2026-11-23",
    "2026-11-23T10:15",
    "2026-11-23 10:15:00",
    "2026-11-23T10:15:00Z",
    "2026-11-23T10:15Z",
    "2026-11-23T10:15+01:00",
    "2026-11-23T10:15:00.5Z",
    "2026-11-23T10:15:00.123456Z",
    "2026-11-23T10:15:00.123456+05:30",
    "2026-11-23T10:15:00-00:00",
    "2026-11-23T10:15:00+00:00",
    "2026-11-23T10:15:00+18:00",
    "2026-11-23T10:15:00-18:00",
    "2026-11-23T10:15:00+18:01",
    "2026-11-23T10:15:00+19:00",
    "2026-11-23T10:15:00+05:60",
    "2026-02-29T10:15:00Z",
    "2024-02-29T23:59:59-01:00",
    "0001-01-01T00:30:00+01:00",
    "0001-01-01T00:30:00-01:00",
    "0000-12-31T23:30:00-01:00",
    "9999-12-31T23:59:59.999999-18:00",
    "2026-13-01T00:00:00Z",
    "2026-11-23T24:00:00Z",
    "2026-11-23T10:61:00+01:00",
]
"""Where a zone-free cast could differ from Spark's: a zone after minutes, offsets at and beyond +-18:00, minutes
over 59, leap days, years 0 and 1, invalid dates and times."""


def _generated_timestamps(count: int) -> list[str]:
    """Values of TIMESTAMP_PATTERN's shape with fields out of range as often as in range."""
    rng = random.Random(20261123)
    values = []
    for _ in range(count):
        text = f"{rng.randint(0, 9999):04d}-{rng.randint(0, 14):02d}-{rng.randint(0, 33):02d}"
        if rng.random() < 0.9:
            text += rng.choice("T ") + f"{rng.randint(0, 25):02d}:{rng.randint(0, 62):02d}"
            if rng.random() < 0.8:
                text += f":{rng.randint(0, 62):02d}"
                if rng.random() < 0.5:
                    text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6)))
            zone = rng.random()
            if zone < 0.4:
                text += "Z"
            elif zone < 0.8:
                text += f"{rng.choice('+-')}{rng.randint(0, 20):02d}:{rng.choice([0, 0, 30, 45, 59, 60, 75]):02d}"
        values.append(text)
    return values


def test_in_a_utc_session_timestamps_are_the_instants_spark_s_cast_gives_for_every_value_the_pattern_accepts(
    spark: SparkSession,
) -> None:
    assert is_utc_session(spark), "the job's sessions cast local date-times as UTC"
    values = TIMESTAMP_EDGES + _generated_timestamps(20_000)
    frame = spark.createDataFrame([(value,) for value in values], "at string")

    rows = frame.select(
        "at",
        F.col("at").rlike(str(spark_pattern(TIMESTAMP))).alias("matches"),
        F.unix_micros(typed_value("at", TIMESTAMP, utc_session=True)).alias("fast"),
        F.expr("unix_micros(try_cast(at AS timestamp))").alias("cast"),
    ).collect()

    checked = [row for row in rows if row["matches"]]
    assert [(row["at"], row["fast"], row["cast"]) for row in checked if row["fast"] != row["cast"]] == []
    assert len(checked) > 15_000
    assert sum(row["cast"] is None for row in checked) > 1_000, "values Spark refuses must be among those checked"
    assert sum(row["cast"] is not None for row in checked) > 5_000


def test_a_session_in_another_zone_casts_timestamps_with_spark_s_own_cast(spark: SparkSession) -> None:
    zone = str(spark.conf.get("spark.sql.session.timeZone"))
    spark.conf.set("spark.sql.session.timeZone", "Europe/Berlin")
    try:
        assert not is_utc_session(spark)
        frame = spark.createDataFrame([("2026-11-23T10:15:00Z",), ("2026-11-23 10:15:00",)], "at string")
        rows = add_validation(frame.withColumn(CORRUPT_RECORD, F.lit(None).cast("string")), [Column("at", TIMESTAMP)])
        micros = [row[0] for row in rows.select(F.unix_micros("at")).collect()]
    finally:
        spark.conf.set("spark.sql.session.timeZone", zone)

    # 10:15Z is 10:15 UTC; the zone-free 10:15 is Berlin's, an hour earlier in UTC.
    assert micros == [1795428900000000, 1795428900000000 - 3600 * 1_000_000]
