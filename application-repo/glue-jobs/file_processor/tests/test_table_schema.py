"""Schema evolution: the table's type wins, new columns are appended, int widens to bigint; the metadata columns."""

from __future__ import annotations

from file_processor.column_types import BIGINT, DATE, DOUBLE, INT, STRING, TIMESTAMP, decimal_type
from file_processor.table_schema import (
    METADATA_COLUMNS,
    RESERVED_COLUMN_NAMES,
    Column,
    TypeConflict,
    data_columns_only,
    merge_table_columns,
    reconcile_with_table,
)


def test_without_a_table_the_inferred_types_are_used() -> None:
    inferred = [Column("id", INT), Column("name", STRING)]

    targets, conflicts = reconcile_with_table(inferred, None)

    assert targets == inferred
    assert conflicts == []


def test_the_table_type_wins_over_a_different_inferred_type_and_the_conflict_is_reported() -> None:
    targets, conflicts = reconcile_with_table(
        [Column("amount", DOUBLE), Column("id", STRING)], [Column("id", INT), Column("amount", decimal_type(2))]
    )

    assert targets == [Column("amount", decimal_type(2)), Column("id", INT)]
    assert conflicts == [TypeConflict("amount", DOUBLE, decimal_type(2)), TypeConflict("id", STRING, INT)]


def test_an_int_column_of_the_table_takes_a_bigint_file_without_conflict() -> None:
    targets, conflicts = reconcile_with_table([Column("id", BIGINT)], [Column("id", INT)])

    assert targets == [Column("id", BIGINT)]
    assert conflicts == []


def test_a_bigint_column_of_the_table_validates_an_int_file_as_bigint_without_conflict() -> None:
    targets, conflicts = reconcile_with_table([Column("id", INT)], [Column("id", BIGINT)])

    assert targets == [Column("id", BIGINT)]
    assert conflicts == []


def test_new_columns_are_appended_in_the_order_files_bring_them() -> None:
    merged = merge_table_columns(
        [Column("id", INT)],
        [[Column("id", INT), Column("b", STRING)], [Column("c", DOUBLE), Column("b", STRING)]],
    )

    assert merged == [Column("id", INT), Column("b", STRING), Column("c", DOUBLE)]


def test_merging_widens_int_to_bigint_and_keeps_every_other_table_type() -> None:
    merged = merge_table_columns(
        [Column("id", INT), Column("amount", decimal_type(2))],
        [[Column("id", BIGINT), Column("amount", DOUBLE)]],
    )

    assert merged == [Column("id", BIGINT), Column("amount", decimal_type(2))]


def test_the_metadata_columns_are_not_data_columns() -> None:
    columns = [
        Column("id", INT),
        Column("processed_at", TIMESTAMP),
        Column("source_file", STRING),
        Column("source_key", STRING),
        Column("source_version", STRING),
        Column("processing_job", STRING),
    ]

    assert data_columns_only(columns) == [Column("id", INT)]


def test_columns_named_ingest_date_or_source_id_are_data_columns() -> None:
    columns = [Column("ingest_date", DATE), Column("source_id", STRING)]

    assert data_columns_only(columns) == columns


def test_every_table_ends_with_the_run_and_source_metadata_in_a_fixed_order() -> None:
    assert [(column.name, column.type) for column in METADATA_COLUMNS] == [
        ("processed_at", TIMESTAMP),
        ("source_file", STRING),
        ("source_key", STRING),
        ("source_version", STRING),
        ("processing_job", STRING),
    ]
    assert {column.name for column in METADATA_COLUMNS} == RESERVED_COLUMN_NAMES
