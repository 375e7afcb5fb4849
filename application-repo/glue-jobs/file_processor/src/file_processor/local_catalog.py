"""Catalog kept as JSON files, for local runs and tests: the same TableInput and PartitionInput dicts Glue gets.

One file per table, `<root>/<database>/<table>.json`, holding the table and its partitions, so a second local run
sees the first run's table exactly as a second Glue run would.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from file_processor.catalog_model import (
    CatalogOutcome,
    TableUpdate,
    build_partition_input,
    data_columns_of_table,
    plan_table_change,
)
from file_processor.table_schema import Column


class LocalJsonCatalog:
    def __init__(self, root: str | Path, database: str) -> None:
        self._directory = Path(root) / database

    def table_file(self, table: str) -> Path:
        return self._directory / f"{table}.json"

    def read(self, table: str) -> dict[str, Any] | None:
        """The stored `{"Table": ..., "Partitions": {...}}` document, or None when there is no table."""
        path = self.table_file(table)
        if not path.exists():
            return None
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return document

    def data_columns(self, table: str) -> list[Column] | None:
        document = self.read(table)
        return None if document is None else data_columns_of_table(document["Table"])

    def publish(self, update: TableUpdate) -> CatalogOutcome:
        document = self.read(update.table)
        current = None if document is None else document["Table"]
        change = plan_table_change(current, update)
        partitions: dict[str, Any] = {} if document is None else document["Partitions"]
        table = (
            current
            if change.table_input is None
            else {
                **change.table_input,
                "VersionId": str(int(current.get("VersionId", "0")) + 1 if current else 1),
            }
        )
        created = updated = 0
        for partition in update.partitions:
            key = "/".join(partition.values)
            if key in partitions:
                updated += 1
            else:
                created += 1
            partitions[key] = build_partition_input(partition)
        self._directory.mkdir(parents=True, exist_ok=True)
        self.table_file(update.table).write_text(
            json.dumps({"Table": table, "Partitions": partitions}, indent=2, sort_keys=True), encoding="utf-8"
        )
        return change.outcome(update.table, created, updated)
