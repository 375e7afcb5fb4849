"""Pure builders of the Glue Data Catalog requests: TableInput and PartitionInput dicts from the job's columns.

Kept apart from any client so the exact shape Athena depends on (Parquet SerDe, partition keys, location) is
tested without AWS, and the local catalog stores the very same dicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from file_processor.column_types import DATE, STRING
from file_processor.output_layout import INGEST_DATE, SOURCE_ID
from file_processor.table_schema import METADATA_COLUMNS, Column, data_columns_only, merge_table_columns, widens

PARQUET_INPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARTITION_KEY_COLUMNS: tuple[Column, ...] = (Column(INGEST_DATE, DATE), Column(SOURCE_ID, STRING))
MANAGED_BY = "file_processor"


@dataclass(frozen=True)
class WrittenPartition:
    """One file's output as the catalog sees it: partition values, its folder and its Parquet columns."""

    values: tuple[str, str]
    location: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class TableUpdate:
    """Everything a run asks of the catalog: make the table cover these partitions."""

    table: str
    location: str
    partitions: tuple[WrittenPartition, ...]


@dataclass(frozen=True)
class CatalogOutcome:
    """What the catalog did, for the run report."""

    table: str
    action: str
    """"created", "updated" or "unchanged"."""
    columns: tuple[Column, ...]
    partitions_created: int
    partitions_updated: int


@dataclass(frozen=True)
class CatalogPublication:
    """One table's part of a run: what the catalog did, the error that stopped it, or neither (nothing to add)."""

    table: str
    outcome: CatalogOutcome | None = None
    error: str | None = None


def glue_columns(columns: Sequence[Column]) -> list[dict[str, str]]:
    return [{"Name": column.name, "Type": column.type} for column in columns]


def _storage_descriptor(columns: Sequence[Column], location: str) -> dict[str, Any]:
    return {
        "Columns": glue_columns(columns),
        "Location": location,
        "InputFormat": PARQUET_INPUT_FORMAT,
        "OutputFormat": PARQUET_OUTPUT_FORMAT,
        "Compressed": True,
        "SerdeInfo": {"SerializationLibrary": PARQUET_SERDE, "Parameters": {"serialization.format": "1"}},
    }


def build_table_input(
    table: str,
    data_columns: Sequence[Column],
    location: str,
    existing_parameters: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """An external Parquet table: data columns, then the metadata columns, partitioned by ingest date and source.

    Parameters someone added to an existing table are kept; ours are set on top.
    """
    parameters = {
        **dict(existing_parameters or {}),
        "classification": "parquet",
        "EXTERNAL": "TRUE",
        "parquet.compression": "SNAPPY",
        "managed_by": MANAGED_BY,
    }
    return {
        "Name": table,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": parameters,
        "PartitionKeys": glue_columns(PARTITION_KEY_COLUMNS),
        "StorageDescriptor": _storage_descriptor([*data_columns, *METADATA_COLUMNS], location),
    }


def build_partition_input(partition: WrittenPartition) -> dict[str, Any]:
    """A partition carries its own file's columns: Athena reads each partition with them, then maps to the table."""
    return {
        "Values": list(partition.values),
        "StorageDescriptor": _storage_descriptor(partition.columns, partition.location),
    }


def data_columns_of_table(table: Mapping[str, Any]) -> list[Column]:
    """The data columns of a Glue `Table` (as GetTable returns it), metadata and partition keys left out."""
    raw_columns = table.get("StorageDescriptor", {}).get("Columns", [])
    return data_columns_only(Column(str(item["Name"]), str(item["Type"])) for item in raw_columns)


@dataclass(frozen=True)
class TableChange:
    """The decision for the table itself: create it, update it, or leave it as it is."""

    action: str
    columns: tuple[Column, ...]
    table_input: dict[str, Any] | None

    def outcome(self, table: str, partitions_created: int, partitions_updated: int) -> CatalogOutcome:
        return CatalogOutcome(table, self.action, self.columns, partitions_created, partitions_updated)


class PartitionSchemaConflict(ValueError):
    """A written partition has a column type the table cannot read it with; registering it would break queries."""


def plan_table_change(current_table: Mapping[str, Any] | None, update: TableUpdate) -> TableChange:
    """Merges the written files' columns into the current table (None: no table yet), per table_schema's rules.

    Files are validated against the table as it was when the run planned them. A run that changed a column's type
    in the meantime (two runs of one dataset at once) can leave a partition the merged table cannot read: the
    whole update is refused, naming the partitions, rather than registered for Athena to fail on; running the
    manifest again re-validates and registers every file.
    """
    current_columns = None if current_table is None else data_columns_of_table(current_table)
    merged = merge_table_columns(
        current_columns, (data_columns_only(partition.columns) for partition in update.partitions)
    )
    _check_partitions_readable(update, merged)
    if current_table is not None and merged == current_columns:
        return TableChange("unchanged", tuple(merged), None)
    existing_parameters = None if current_table is None else current_table.get("Parameters")
    table_input = build_table_input(update.table, merged, update.location, existing_parameters)
    return TableChange("created" if current_table is None else "updated", tuple(merged), table_input)


def _check_partitions_readable(update: TableUpdate, merged: Sequence[Column]) -> None:
    table_types = {column.name: column.type for column in merged}
    problems = [
        f"partition {list(partition.values)} column '{column.name}' is {column.type}, table has "
        f"{table_types[column.name]}"
        for partition in update.partitions
        for column in data_columns_only(partition.columns)
        if column.type != table_types[column.name] and not widens(column.type, table_types[column.name])
    ]
    if problems:
        raise PartitionSchemaConflict(
            f"table {update.table}: {'; '.join(problems)}; another run changed the table while these files were "
            "processed, so none of this run's partitions were catalogued; run the same manifest again to validate "
            "its files against the table as it is now"
        )
