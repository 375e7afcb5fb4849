"""Row validation on in-memory DataFrames: typed values, a reason per bad row, the raw record kept."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from file_processor.column_types import BIGINT, BOOLEAN, DATE, DOUBLE, INT, STRING, TIMESTAMP, decimal_type
from file_processor.row_validation import CORRUPT_RECORD, RAW_RECORD, REASON, add_validation, string_read_schema
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


def test_the_corrupt_record_column_is_last_in_the_read_schema() -> None:
    assert string_read_schema(["a", "b"]).fieldNames() == ["a", "b", CORRUPT_RECORD]
