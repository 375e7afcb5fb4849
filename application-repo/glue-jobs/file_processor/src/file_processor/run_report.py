"""The per-run JSON report: what happened to every file of the manifest, and totals.

Written to `<assets>/reports/<job name>/<run id>.json` (output_layout.py). Keys are camelCase like the manifest's,
because the readers are TypeScript (the smoke test) and people. Its format is described in docs/jobs.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from file_processor.catalog_model import CatalogPublication
from file_processor.table_schema import Column, TypeConflict

SUCCEEDED = "succeeded"
"""Read and written; some rows may be quarantined."""
QUARANTINED = "quarantined"
"""Unreadable: the whole file was copied to quarantine."""
SKIPPED = "skipped"
"""Not processed on purpose (the object is gone or a newer version replaced it; that version has its own event)."""
FAILED = "failed"
"""An unexpected error; the run fails after the other files are done, and a re-run is safe."""
REPORT_VERSION = 1


@dataclass(frozen=True)
class RunContext:
    """Identity of the run, stamped on every row it writes."""

    job_name: str
    run_id: str
    processed_at: datetime
    """One UTC instant for the whole run (timezone-aware)."""

    @property
    def processing_job(self) -> str:
        return f"{self.job_name}/{self.run_id}"


@dataclass(frozen=True)
class FileResult:
    source_file: str
    source_id: str
    ingest_date: date
    status: str
    rows_read: int = 0
    rows_written: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    reason: str | None = None
    read_mode: str | None = None
    """"multi-line" (one split, quoted newlines allowed) or "line" (split across cores)."""
    columns: tuple[Column, ...] = ()
    header: tuple[str, ...] = ()
    conflicts: tuple[TypeConflict, ...] = ()
    output_path: str | None = None
    quarantine_path: str | None = None
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "sourceFile": self.source_file,
            "sourceId": self.source_id,
            "ingestDate": self.ingest_date.isoformat(),
            "status": self.status,
            "rowsRead": self.rows_read,
            "rowsWritten": self.rows_written,
            "rowsQuarantined": self.rows_quarantined,
            "seconds": round(self.seconds, 3),
            "reason": self.reason,
            "readMode": self.read_mode,
            "bytes": self.size,
            "columns": [
                {"name": column.name, "type": column.type, **({"header": header} if header != column.name else {})}
                for column, header in zip(self.columns, self.header or [c.name for c in self.columns], strict=True)
            ],
            "typeConflicts": [
                {"column": c.column, "fileType": c.file_type, "tableType": c.table_type} for c in self.conflicts
            ],
            "outputPath": self.output_path,
            "quarantinePath": self.quarantine_path,
        }


@dataclass(frozen=True)
class RunReport:
    context: RunContext
    manifest_id: str
    table: str
    database: str
    files: tuple[FileResult, ...]
    seconds: float
    catalog: CatalogPublication
    quarantine_catalog: CatalogPublication
    input_passes: float | None = None
    """Bytes Spark read from storage divided by the bytes of the files it read; 1.0 is one full pass."""

    @property
    def status(self) -> str:
        return FAILED if self.catalog_errors or any(result.status == FAILED for result in self.files) else SUCCEEDED

    @property
    def catalog_errors(self) -> list[str]:
        """`table: error` for each table whose catalog update failed."""
        publications = (self.catalog, self.quarantine_catalog)
        return [f"{entry.table}: {entry.error}" for entry in publications if entry.error is not None]

    def total(self, attribute: str) -> int:
        return sum(int(getattr(result, attribute)) for result in self.files)

    def to_json(self) -> dict[str, Any]:
        statuses = [result.status for result in self.files]
        return {
            "reportVersion": REPORT_VERSION,
            "jobName": self.context.job_name,
            "runId": self.context.run_id,
            "manifestId": self.manifest_id,
            "database": self.database,
            "table": self.table,
            "status": self.status,
            "processedAt": self.context.processed_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "seconds": round(self.seconds, 3),
            "totals": {
                "files": len(self.files),
                "filesSucceeded": statuses.count(SUCCEEDED),
                "filesQuarantined": statuses.count(QUARANTINED),
                "filesSkipped": statuses.count(SKIPPED),
                "filesFailed": statuses.count(FAILED),
                "rowsRead": self.total("rows_read"),
                "rowsWritten": self.total("rows_written"),
                "rowsQuarantined": self.total("rows_quarantined"),
                "inputPasses": None if self.input_passes is None else round(self.input_passes, 3),
            },
            "catalog": _catalog_json(self.catalog),
            "quarantineCatalog": _catalog_json(self.quarantine_catalog),
            "files": [result.to_json() for result in self.files],
        }

    def to_bytes(self) -> bytes:
        return json.dumps(self.to_json(), indent=2).encode("utf-8")


def _catalog_json(publication: CatalogPublication) -> dict[str, Any]:
    outcome = publication.outcome
    if outcome is None:
        action = "none" if publication.error is None else "failed"
        return {"table": publication.table, "action": action, "error": publication.error}
    return {
        "table": publication.table,
        "action": outcome.action,
        "columns": [{"name": column.name, "type": column.type} for column in outcome.columns],
        "partitionsCreated": outcome.partitions_created,
        "partitionsUpdated": outcome.partitions_updated,
        "error": None,
    }
