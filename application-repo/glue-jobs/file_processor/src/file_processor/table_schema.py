"""The table's columns and how a new file's inferred columns are reconciled with them (schema evolution).

Rules (docs/jobs.md repeats them for users):
- The first file that writes rows creates the table with its inferred types.
- A later file's new columns are added to the table (Iceberg schema evolution); columns a file lacks are null.
- Where a file's inferred type differs from the table's, the table's type wins: the file's values are validated
  against it and rows that do not fit are quarantined with a reason naming the column and the table's type.
- One exception widens the table: int to bigint, a type promotion Iceberg allows in place (older data files are
  read as bigint); quarantining every large id after day one would be worse.
- A dataset may declare column types (the dataset registry); a declared type replaces the inferred one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from file_processor.column_types import BIGINT, INT, STRING, TIMESTAMP

PROCESSED_AT = "processed_at"
SOURCE_FILE = "source_file"
SOURCE_KEY = "source_key"
SOURCE_VERSION = "source_version"
PROCESSING_JOB = "processing_job"


@dataclass(frozen=True)
class Column:
    name: str
    type: str


METADATA_COLUMNS: tuple[Column, ...] = (
    Column(PROCESSED_AT, TIMESTAMP),
    Column(SOURCE_FILE, STRING),
    Column(SOURCE_KEY, STRING),
    Column(SOURCE_VERSION, STRING),
    Column(PROCESSING_JOB, STRING),
)
"""Every table the job writes ends with these; `processed_at` also partitions it by day (hidden partitioning)."""
RESERVED_COLUMN_NAMES = frozenset(column.name for column in METADATA_COLUMNS)
"""Names a CSV column may not take; normalization suffixes a clashing header instead."""

_WIDENINGS = {(INT, BIGINT)}


@dataclass(frozen=True)
class TypeConflict:
    """A column whose sample suggested another type than the table's; reported so an operator can see why rows
    were quarantined."""

    column: str
    file_type: str
    table_type: str


def widens(table_type: str, file_type: str) -> bool:
    return (table_type, file_type) in _WIDENINGS


def reconcile_with_table(
    file_columns: Sequence[Column], table_columns: Sequence[Column] | None
) -> tuple[list[Column], list[TypeConflict]]:
    """The type each column of the file is validated against and written as, and the conflicts that decided it."""
    table_types = {column.name: column.type for column in table_columns or ()}
    targets: list[Column] = []
    conflicts: list[TypeConflict] = []
    for column in file_columns:
        table_type = table_types.get(column.name)
        if table_type is None or table_type == column.type or widens(table_type, column.type):
            targets.append(column)
        elif widens(column.type, table_type):
            # Every value of the file's narrower type fits the table's: validated and written as the table's.
            targets.append(Column(column.name, table_type))
        else:
            targets.append(Column(column.name, table_type))
            conflicts.append(TypeConflict(column.name, column.type, table_type))
    return targets, conflicts


def merge_table_columns(
    table_columns: Sequence[Column] | None, written_files: Iterable[Sequence[Column]]
) -> list[Column]:
    """The table's data columns once the given files (in order, as written) are part of it."""
    merged = list(table_columns or ())
    positions = {column.name: index for index, column in enumerate(merged)}
    for file_columns in written_files:
        for column in file_columns:
            index = positions.get(column.name)
            if index is None:
                positions[column.name] = len(merged)
                merged.append(column)
            elif widens(merged[index].type, column.type):
                merged[index] = column
    return merged


def data_columns_only(columns: Iterable[Column]) -> list[Column]:
    """Drops the metadata columns from a table's column list."""
    return [column for column in columns if column.name not in RESERVED_COLUMN_NAMES]
