"""Catalog on the AWS Glue Data Catalog through a boto3 client (passed in: tests drive it with botocore's Stubber).

Several runs of the job may publish to one table at once (the job allows concurrent runs, one per manifest), so the
table update is optimistic: read the table, merge, write with the version read, and on a concurrent change read
and merge again. Partitions are created in batches; one that exists already (a re-run) is updated instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from botocore.exceptions import ClientError

from file_processor.catalog import CatalogError
from file_processor.catalog_model import (
    CatalogOutcome,
    TableChange,
    TableUpdate,
    build_partition_input,
    data_columns_of_table,
    plan_table_change,
)
from file_processor.table_schema import Column

_BATCH_SIZE = 100
"""BatchCreatePartition and BatchUpdatePartition take at most 100 entries."""
_RETRYABLE_TABLE_ERRORS = {"AlreadyExistsException", "ConcurrentModificationException"}

T = TypeVar("T")


class GlueCatalog:
    def __init__(self, client: Any, database: str, max_attempts: int = 3) -> None:
        self._client = client
        self._database = database
        self._max_attempts = max_attempts

    def data_columns(self, table: str) -> list[Column] | None:
        current = self._get_table(table)
        return None if current is None else data_columns_of_table(current)

    def publish(self, update: TableUpdate) -> CatalogOutcome:
        change = self._apply_table_change(update)
        created, updated = self._upsert_partitions(update)
        return change.outcome(update.table, created, updated)

    def _get_table(self, table: str) -> dict[str, Any] | None:
        try:
            response = self._client.get_table(DatabaseName=self._database, Name=table)
        except ClientError as error:
            if _code(error) == "EntityNotFoundException":
                return None
            raise CatalogError(f"cannot read table {self._database}.{table}: {_describe(error)}") from error
        found: dict[str, Any] = response["Table"]
        return found

    def _apply_table_change(self, update: TableUpdate) -> TableChange:
        for attempt in range(1, self._max_attempts + 1):
            current = self._get_table(update.table)
            change = plan_table_change(current, update)
            try:
                if change.action == "created":
                    self._client.create_table(DatabaseName=self._database, TableInput=change.table_input)
                elif change.action == "updated":
                    assert current is not None
                    request: dict[str, Any] = {"DatabaseName": self._database, "TableInput": change.table_input}
                    if current.get("VersionId"):
                        request["VersionId"] = current["VersionId"]
                    self._client.update_table(**request)
                return change
            except ClientError as error:
                if _code(error) in _RETRYABLE_TABLE_ERRORS and attempt < self._max_attempts:
                    continue
                raise CatalogError(
                    f"cannot {change.action.rstrip('d')} table {self._database}.{update.table}: {_describe(error)}"
                ) from error
        raise AssertionError("unreachable: the loop returns or raises")

    def _upsert_partitions(self, update: TableUpdate) -> tuple[int, int]:
        inputs: dict[tuple[str, ...], dict[str, Any]] = {
            partition.values: build_partition_input(partition) for partition in update.partitions
        }
        existing: list[tuple[str, ...]] = []
        created = 0
        for chunk in _chunks(list(inputs.values()), _BATCH_SIZE):
            response = self._client.batch_create_partition(
                DatabaseName=self._database, TableName=update.table, PartitionInputList=chunk
            )
            for error in response.get("Errors", []):
                values = tuple(error.get("PartitionValues", []))
                detail = error.get("ErrorDetail", {})
                if detail.get("ErrorCode") != "AlreadyExistsException":
                    raise CatalogError(
                        f"cannot create partition {list(values)} of {self._database}.{update.table}: "
                        f"{detail.get('ErrorCode')}: {detail.get('ErrorMessage')}"
                    )
                existing.append(values)
            created += len(chunk) - len(response.get("Errors", []))
        for chunk_values in _chunks(existing, _BATCH_SIZE):
            entries = [
                {"PartitionValueList": list(values), "PartitionInput": inputs[values]} for values in chunk_values
            ]
            response = self._client.batch_update_partition(
                DatabaseName=self._database, TableName=update.table, Entries=entries
            )
            errors = response.get("Errors", [])
            if errors:
                detail = errors[0].get("ErrorDetail", {})
                raise CatalogError(
                    f"cannot update {len(errors)} partition(s) of {self._database}.{update.table}, first "
                    f"{errors[0].get('PartitionValueList')}: {detail.get('ErrorCode')}: {detail.get('ErrorMessage')}"
                )
        return created, len(existing)


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _describe(error: ClientError) -> str:
    return f"{_code(error)}: {error.response.get('Error', {}).get('Message', '')}"
