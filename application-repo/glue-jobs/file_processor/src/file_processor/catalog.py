"""The catalog interface the job talks to: read a table's columns, publish what a run wrote.

Two implementations: GlueCatalog (glue_catalog.py, boto3) in Glue, LocalJsonCatalog (local_catalog.py) for local
runs and tests. Both build their requests with catalog_model.py, so they differ only in where the dicts go.
"""

from __future__ import annotations

from typing import Protocol

from file_processor.catalog_model import CatalogOutcome, TableUpdate
from file_processor.table_schema import Column


class CatalogError(RuntimeError):
    """The catalog refused a change; the run fails after its report is written so the alarm fires."""


class Catalog(Protocol):
    def data_columns(self, table: str) -> list[Column] | None:
        """The table's data columns (metadata and partition keys excluded), or None when there is no table."""
        ...

    def publish(self, update: TableUpdate) -> CatalogOutcome:
        """Creates or updates the table and creates or updates the partitions, idempotently."""
        ...
