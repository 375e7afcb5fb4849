"""The TableInput and PartitionInput dicts Athena depends on, built from the job's columns without any client."""

from __future__ import annotations

from typing import Any

import pytest
from file_processor.catalog_model import (
    PARQUET_SERDE,
    PartitionSchemaConflict,
    TableUpdate,
    WrittenPartition,
    build_partition_input,
    build_table_input,
    data_columns_of_table,
    plan_table_change,
)
from file_processor.column_types import BIGINT, INT, STRING, decimal_type
from file_processor.table_schema import METADATA_COLUMNS, Column

LOCATION = "s3://out-bucket/orders/"


def _partition(values: tuple[str, str], *columns: Column) -> WrittenPartition:
    return WrittenPartition(
        values=values,
        location=f"{LOCATION}ingest_date={values[0]}/source_id={values[1]}/",
        columns=(*columns, *METADATA_COLUMNS),
    )


def test_the_table_is_an_external_parquet_table_partitioned_by_date_and_source() -> None:
    table_input = build_table_input("orders", [Column("id", INT), Column("amount", decimal_type(2))], LOCATION)

    assert table_input["Name"] == "orders"
    assert table_input["TableType"] == "EXTERNAL_TABLE"
    assert table_input["Parameters"]["classification"] == "parquet"
    assert table_input["PartitionKeys"] == [
        {"Name": "ingest_date", "Type": "date"},
        {"Name": "source_id", "Type": "string"},
    ]
    descriptor = table_input["StorageDescriptor"]
    assert descriptor["Location"] == LOCATION
    assert descriptor["SerdeInfo"]["SerializationLibrary"] == PARQUET_SERDE
    assert descriptor["InputFormat"].endswith("MapredParquetInputFormat")
    assert descriptor["Columns"] == [
        {"Name": "id", "Type": "int"},
        {"Name": "amount", "Type": "decimal(38,2)"},
        {"Name": "processed_at", "Type": "timestamp"},
        {"Name": "source_file", "Type": "string"},
        {"Name": "processing_job", "Type": "string"},
    ]


def test_parameters_someone_added_to_the_table_are_kept() -> None:
    table_input = build_table_input("orders", [], LOCATION, {"owner_team": "sales", "classification": "csv"})

    assert table_input["Parameters"]["owner_team"] == "sales"
    assert table_input["Parameters"]["classification"] == "parquet"


def test_a_partition_has_its_values_location_and_its_own_columns() -> None:
    partition = _partition(("2026-11-23", "sabc"), Column("id", INT))

    partition_input = build_partition_input(partition)

    assert partition_input["Values"] == ["2026-11-23", "sabc"]
    assert partition_input["StorageDescriptor"]["Location"] == f"{LOCATION}ingest_date=2026-11-23/source_id=sabc/"
    assert partition_input["StorageDescriptor"]["Columns"][0] == {"Name": "id", "Type": "int"}


def test_no_table_yet_means_create_with_the_files_columns() -> None:
    update = TableUpdate("orders", LOCATION, (_partition(("2026-11-23", "s1"), Column("id", INT)),))

    change = plan_table_change(None, update)

    assert change.action == "created"
    assert change.columns == (Column("id", INT),)
    assert change.table_input is not None and change.table_input["Name"] == "orders"


def test_a_table_that_already_has_every_column_is_left_unchanged() -> None:
    current = build_table_input("orders", [Column("id", INT), Column("name", STRING)], LOCATION)
    update = TableUpdate("orders", LOCATION, (_partition(("2026-11-23", "s1"), Column("id", INT)),))

    change = plan_table_change(current, update)

    assert change.action == "unchanged"
    assert change.table_input is None


def test_a_new_column_or_a_widening_updates_the_table() -> None:
    current: dict[str, Any] = build_table_input("orders", [Column("id", INT)], LOCATION)
    update = TableUpdate(
        "orders", LOCATION, (_partition(("2026-11-23", "s1"), Column("id", BIGINT), Column("note", STRING)),)
    )

    change = plan_table_change(current, update)

    assert change.action == "updated"
    assert change.table_input is not None
    assert data_columns_of_table(change.table_input) == [Column("id", BIGINT), Column("note", STRING)]


def test_an_int_partition_under_a_table_widened_to_bigint_is_readable() -> None:
    current = build_table_input("orders", [Column("id", BIGINT)], LOCATION)
    update = TableUpdate("orders", LOCATION, (_partition(("2026-11-23", "s1"), Column("id", INT)),))

    assert plan_table_change(current, update).action == "unchanged"


def test_a_partition_written_against_an_older_table_type_is_refused_with_its_column_named() -> None:
    # Another run registered `code` as int while this run validated its file with `code` as text.
    current = build_table_input("orders", [Column("id", INT), Column("code", INT)], LOCATION)
    update = TableUpdate(
        "orders",
        LOCATION,
        (
            _partition(("2026-11-23", "s1"), Column("id", INT), Column("code", STRING)),
            _partition(("2026-11-23", "s2"), Column("id", INT), Column("code", INT)),
        ),
    )

    with pytest.raises(PartitionSchemaConflict) as raised:
        plan_table_change(current, update)

    assert "partition ['2026-11-23', 's1'] column 'code' is string, table has int" in str(raised.value)
    assert "'s2'" not in str(raised.value)
