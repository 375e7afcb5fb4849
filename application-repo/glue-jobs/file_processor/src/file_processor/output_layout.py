"""Where everything the job writes goes: one place for the paths the catalog, the tests and the docs rely on.

Data:        <output>/<table>/ingest_date=YYYY-MM-DD/source_id=<id>/part-*.parquet
Quarantine:  <output>/quarantine/<table>/ingest_date=YYYY-MM-DD/source_id=<id>/part-*.parquet
Whole files: <output>/quarantine/<table>/_files/ingest_date=YYYY-MM-DD/source_id=<id>/<file name>
Report:      <assets>/reports/<job name>/<run id>.json

The quarantine rows are catalogued as the table `<table>__quarantine` (see `quarantine_table`), so an operator
queries them with Athena next to the data.

`source_id` is a stable hash of the object version, so each uploaded object owns exactly one directory per day:
re-processing it replaces that directory and nothing else, and two files of the same day never share one. The
`_files` folder starts with an underscore so Spark, Hive and Athena skip it when they read the quarantine rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from file_processor.manifest import ManifestObject

INGEST_DATE = "ingest_date"
SOURCE_ID = "source_id"
PARTITION_KEYS = (INGEST_DATE, SOURCE_ID)
QUARANTINE_PREFIX = "quarantine"
REPORTS_PREFIX = "reports"
QUARANTINE_TABLE_SUFFIX = "__quarantine"


def quarantine_table(table: str) -> str:
    """The catalog table of a table's quarantine rows.

    Table names come from dataset names with every run of other characters folded into one underscore
    (`datasetTableName` in shared-constructs), so no dataset's table can contain `__` and collide with this name.
    """
    return f"{table}{QUARANTINE_TABLE_SUFFIX}"


def source_id(obj: ManifestObject) -> str:
    """Same object version, same id; the version id when the bucket has one, else the ETag (the content).

    The leading letter keeps Spark's partition discovery from reading an all-digit hash as a number.
    """
    identity = f"{obj.bucket}/{obj.key}#{obj.version_id or obj.e_tag}"
    return "s" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class OutputLayout:
    """Roots are `s3://bucket` in Glue and local directories in tests and local runs; paths join with `/`."""

    output_root: str
    assets_root: str

    def table_location(self, table: str) -> str:
        return f"{_strip(self.output_root)}/{table}/"

    def data_partition(self, table: str, ingest_date: date, source: str) -> str:
        return f"{self.table_location(table)}{_partition_path(ingest_date, source)}"

    def quarantine_location(self, table: str) -> str:
        return f"{_strip(self.output_root)}/{QUARANTINE_PREFIX}/{table}/"

    def quarantine_partition(self, table: str, ingest_date: date, source: str) -> str:
        return f"{self.quarantine_location(table)}{_partition_path(ingest_date, source)}"

    def quarantined_file(self, table: str, ingest_date: date, source: str, file_name: str) -> str:
        return f"{self.quarantine_location(table)}_files/{_partition_path(ingest_date, source)}/{file_name}"

    def report(self, job_name: str, run_id: str) -> str:
        return f"{_strip(self.assets_root)}/{REPORTS_PREFIX}/{job_name}/{run_id}.json"


def partition_values(ingest_date: date, source: str) -> tuple[str, str]:
    """The Glue partition values, in PARTITION_KEYS order."""
    return (ingest_date.isoformat(), source)


def _partition_path(ingest_date: date, source: str) -> str:
    return f"{INGEST_DATE}={ingest_date.isoformat()}/{SOURCE_ID}={source}"


def _strip(root: str) -> str:
    return root.rstrip("/")
