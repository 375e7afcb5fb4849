"""Where the job puts what is not a table row: tables' names, whole unreadable files, and run reports.

Tables:      glue_catalog.<database>.<table> and glue_catalog.<database>.<table>__quarantine (Iceberg; their data
             and metadata files live under the warehouse, the stage's output bucket, as Iceberg lays them out)
Whole files: <output>/quarantine/<table>/<source id>/<file name>
Report:      <assets>/reports/<job name>/<run id>.json
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from file_processor.manifest import ManifestObject

QUARANTINE_TABLE_SUFFIX = "__quarantine"
QUARANTINED_FILES_PREFIX = "quarantine"
"""The output bucket's `quarantine/` prefix (`S3_PREFIXES.quarantine` in shared-constructs)."""
REPORTS_PREFIX = "reports"


def quarantine_table(table: str) -> str:
    """The table of a table's quarantined rows.

    Table names come from dataset names with every run of other characters folded into one underscore
    (`datasetTableName` in shared-constructs), so no dataset's table can contain `__` and collide with this name.
    """
    return f"{table}{QUARANTINE_TABLE_SUFFIX}"


def source_key(obj: ManifestObject) -> str:
    """`bucket/key`: the object as an operator names it, and what a newer version replaces."""
    return f"{obj.bucket}/{obj.key}"


def source_version(obj: ManifestObject) -> str:
    """The S3 version id; where the bucket keeps no versions, the ETag (the content) stands in for it."""
    return obj.version_id or f"etag:{obj.e_tag.strip(chr(34))}"


def source_id(obj: ManifestObject) -> str:
    """A short stable name for one object version, safe in a path."""
    identity = f"{source_key(obj)}#{source_version(obj)}"
    return "s" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class OutputLayout:
    """Roots are `s3://bucket` in Glue and local directories in tests and local runs; paths join with `/`."""

    output_root: str
    assets_root: str

    def quarantined_file(self, table: str, obj: ManifestObject) -> str:
        file_name = obj.key.rsplit("/", 1)[-1] or "file"
        return f"{_strip(self.output_root)}/{QUARANTINED_FILES_PREFIX}/{table}/{source_id(obj)}/{file_name}"

    def report(self, job_name: str, run_id: str) -> str:
        return f"{_strip(self.assets_root)}/{REPORTS_PREFIX}/{job_name}/{run_id}.json"


def _strip(root: str) -> str:
    return root.rstrip("/")
