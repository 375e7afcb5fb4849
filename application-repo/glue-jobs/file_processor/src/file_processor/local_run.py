"""Runs file_processor on local CSV files with local Spark: no AWS, same pipeline code as in Glue.

    .venv/bin/python -m file_processor.local_run --input DIR_OR_FILE [...] --output DIR

(with `application-repo/glue-jobs/file_processor/src` on PYTHONPATH). It builds the manifest the trigger would
write for these files (validated by the same parser), runs the job with a local object store and the session's
local Iceberg catalog, and ends as an analyst would in Athena: the table's schema, per-file row and quarantine
counts, then Spark SQL over the table (rows per file, quarantined rows with their reasons).
Layout under DIR, mirroring the stage: `warehouse/` (the Iceberg tables, as the output bucket holds them),
`output/` (whole quarantined files), `assets/` (manifests and reports).
"""

from __future__ import annotations

import argparse
import json
import os.path
import re
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from pyspark.sql import SparkSession

from file_processor.csv_sample import DEFAULT_SAMPLE_BYTES
from file_processor.dataset_settings import parse_datasets_argument
from file_processor.file_plan import PlannerSettings
from file_processor.job import JobEnvironment, JobSettings, run_job
from file_processor.layout import OutputLayout
from file_processor.manifest import Manifest, ManifestObject, dataset_table_name, parse_manifest
from file_processor.object_store import LocalObjectStore, local_e_tag
from file_processor.run_report import RunContext, RunReport, RunStatus
from file_processor.spark_session import CATALOG, local_session
from file_processor.tables import TableName, table_columns

LOCAL_BUCKET = "local"
LOCAL_DATABASE = "local"


def find_csv_files(inputs: Sequence[str]) -> list[Path]:
    """Directories are searched recursively for `*.csv` (any case); files are taken as given. Sorted, unique."""
    files: set[Path] = set()
    for item in inputs:
        path = Path(item).resolve()
        if path.is_dir():
            files.update(child for child in path.rglob("*") if child.is_file() and child.suffix.lower() == ".csv")
        elif path.is_file():
            files.add(path)
        else:
            raise FileNotFoundError(f"--input {item}: no such file or directory")
    if not files:
        raise FileNotFoundError(f"no .csv file found in {', '.join(inputs)}")
    return sorted(files)


def build_local_manifest(files: Sequence[Path], root: Path, dataset: str, created_at: datetime) -> Manifest:
    """The manifest the trigger would write if these files had been uploaded under `incoming/<dataset>/`."""
    table = dataset_table_name(dataset)
    stamp = created_at.strftime("%Y%m%dT%H%M%SZ")
    document = {
        "version": 1,
        "manifestId": f"{stamp}-{table}-local",
        "dataset": dataset,
        "table": table,
        "createdAt": _iso(created_at),
        "objects": [
            {
                "bucket": LOCAL_BUCKET,
                "key": file.relative_to(root).as_posix(),
                "versionId": None,
                "eTag": local_e_tag(file),
                "size": file.stat().st_size,
                "eventTime": _iso(datetime.fromtimestamp(file.stat().st_mtime, tz=UTC)),
            }
            for file in files
        ],
    }
    return parse_manifest(document)


def run_local(
    spark: SparkSession,
    inputs: Sequence[str],
    output: Path,
    dataset: str | None = None,
    job_name: str = "file_processor-local",
    run_id: str | None = None,
    settings: JobSettings | None = None,
    now: datetime | None = None,
) -> RunReport:
    files = find_csv_files(inputs)
    root = Path(_common_folder(files))
    created_at = now or datetime.now(UTC)
    manifest = build_local_manifest(files, root, _dataset_name(dataset or root.name), created_at)
    output = output.resolve()
    store = LocalObjectStore()
    manifest_path = output / "assets" / "manifests" / manifest.table / f"{manifest.manifest_id}.json"
    store.write_bytes(str(manifest_path), json.dumps(_manifest_json(manifest), indent=2).encode(), "application/json")
    environment = JobEnvironment(
        store=store,
        layout=local_layout(output),
        database=LOCAL_DATABASE,
        locate=lambda obj: str(root / obj.key),
    )
    context = RunContext(
        job_name=job_name, run_id=run_id or f"local-{created_at.strftime('%Y%m%dT%H%M%S%fZ')}", processed_at=created_at
    )
    return run_job(spark, manifest, environment, context, settings)


def local_layout(output: Path) -> OutputLayout:
    return OutputLayout(output_root=str(output / "output"), assets_root=str(output / "assets"))


def warehouse_of(output: Path) -> Path:
    """The local catalog's warehouse: a session for `run_local` must be started with it (local_session)."""
    return output.resolve() / "warehouse"


def print_summary(spark: SparkSession, report: RunReport, output: Path, out: TextIO, show_quarantine: int) -> None:
    totals = report.to_json()["totals"]
    print(f"file_processor local run {report.context.run_id}: {report.status}", file=out)
    table = TableName(report.database, report.table)
    columns = table_columns(spark, table)
    if columns is not None:
        print(f"\nIceberg table {table}, partitioned by day(processed_at):", file=out)
        for column in columns:
            print(f"  {column.name:<28} {column.type}", file=out)
    print(f"\n{'file':<40} {'status':<12} {'read':>8} {'written':>8} {'quarantined':>12}", file=out)
    for result in report.files:
        name = Path(result.source_key).name
        counts = f"{result.rows_read:>8} {result.rows_written:>8} {result.rows_quarantined:>12}"
        print(f"{name:<40} {result.status:<12} {counts}", file=out)
        if result.reason:
            print(f"    {result.reason}", file=out)
        for conflict in result.conflicts:
            print(
                f"    column {conflict.column}: file looks like {conflict.file_type}, table has "
                f"{conflict.table_type}; values are checked as {conflict.table_type}",
                file=out,
            )
    print(
        f"\ntotals: {totals['files']} files, {totals['rowsRead']} rows read, {totals['rowsWritten']} written, "
        f"{totals['rowsQuarantined']} quarantined",
        file=out,
    )
    for commit in report.commits:
        print(f"commit {report.database}.{commit.table}: {commit.status} (snapshot {commit.snapshot_id})", file=out)
    for error in report.commit_errors:
        print(f"commit error: {error}", file=out)
    _print_queries(spark, report, out, show_quarantine)
    print(f"\nwarehouse:  {spark.conf.get(f'spark.sql.catalog.{CATALOG}.warehouse')}", file=out)
    print(f"report:     {local_layout(output).report(report.context.job_name, report.context.run_id)}", file=out)


def _print_queries(spark: SparkSession, report: RunReport, out: TextIO, show_quarantine: int) -> None:
    """What an analyst would ask Athena, asked of the local catalog with Spark SQL."""
    table = TableName(report.database, report.table)
    quarantine = TableName(report.database, report.quarantine_table)
    if table_columns(spark, table) is not None:
        query = f"SELECT source_key, count(*) AS row_count FROM {table.identifier} GROUP BY source_key ORDER BY 1"
        print(f"\n> {query}", file=out)
        for row in spark.sql(query).collect():
            print(f"  {row['source_key']:<60} {row['row_count']:>8}", file=out)
    if table_columns(spark, quarantine) is not None and show_quarantine > 0:
        query = (
            f"SELECT source_key, reason, raw_record FROM {quarantine.identifier} "
            f"ORDER BY source_key, reason LIMIT {show_quarantine}"
        )
        print(f"\n> {query}", file=out)
        for row in spark.sql(query).collect():
            print(f"  {Path(row['source_key']).name}: {row['reason']}  <- {row['raw_record']!r}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m file_processor.local_run", description="Run file_processor on local CSV files."
    )
    parser.add_argument("--input", nargs="+", required=True, help="CSV files or folders (searched recursively)")
    parser.add_argument("--output", required=True, type=Path, help="folder for warehouse/, output/ and assets/")
    parser.add_argument("--dataset", help="dataset name (default: the inputs' common folder name)")
    parser.add_argument("--job-name", default="file_processor-local")
    parser.add_argument("--run-id", help="default: local-<UTC time>")
    parser.add_argument("--sample-bytes", type=int, default=DEFAULT_SAMPLE_BYTES, help="bytes read to infer types")
    parser.add_argument("--datasets", help="the dataset registry as the job's --datasets argument (JSON)")
    parser.add_argument("--cores", type=int, default=2, help="local Spark cores")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--show-quarantine", type=int, default=10, help="quarantined rows to print")
    args = parser.parse_args(argv)

    spark = local_session(str(warehouse_of(args.output)), cores=args.cores, driver_memory=args.driver_memory)
    settings = JobSettings(
        planner=PlannerSettings(sample_bytes=args.sample_bytes), datasets=parse_datasets_argument(args.datasets)
    )
    report = run_local(spark, args.input, args.output, args.dataset, args.job_name, args.run_id, settings)
    print_summary(spark, report, args.output.resolve(), sys.stdout, args.show_quarantine)
    return 1 if report.status == RunStatus.FAILED else 0


def _common_folder(files: Sequence[Path]) -> str:
    return os.path.commonpath([str(file.parent) for file in files])


def _dataset_name(name: str) -> str:
    """A folder name as a dataset name the manifest accepts (letters, digits, `_.-`, starting alphanumeric)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).lstrip("_.-")[:100]
    return cleaned or "local"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _manifest_json(manifest: Manifest) -> dict[str, object]:
    def obj(item: ManifestObject) -> dict[str, object]:
        return {
            "bucket": item.bucket,
            "key": item.key,
            "versionId": item.version_id,
            "eTag": item.e_tag,
            "size": item.size,
            "eventTime": _iso(item.event_time),
        }

    return {
        "version": manifest.version,
        "manifestId": manifest.manifest_id,
        "dataset": manifest.dataset,
        "table": manifest.table,
        "createdAt": _iso(manifest.created_at),
        "objects": [obj(item) for item in manifest.objects],
    }


if __name__ == "__main__":
    sys.exit(main())
