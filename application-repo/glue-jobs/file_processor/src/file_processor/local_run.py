"""Runs file_processor on local CSV files with local Spark: no AWS, same pipeline code as in Glue.

    .venv/bin/python -m file_processor.local_run --input DIR_OR_FILE [...] --output DIR

(with `application-repo/glue-jobs/file_processor/src` on PYTHONPATH). It builds the manifest the trigger would
write for these files (validated by the same parser), runs the job with a local object store and a JSON catalog,
and prints the table's schema, per-file row and quarantine counts, and where the Parquet and the report are.
Layout under DIR, mirroring the buckets: `output/` (data and quarantine), `assets/` (manifests and reports),
`catalog/` (the table as Glue would hold it).
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
from file_processor.file_plan import PlannerSettings
from file_processor.job import DEFAULT_MAX_CONCURRENT_FILES, JobEnvironment, JobSettings, run_job
from file_processor.local_catalog import LocalJsonCatalog
from file_processor.manifest import Manifest, ManifestObject, dataset_table_name, parse_manifest
from file_processor.object_store import LocalObjectStore, local_e_tag
from file_processor.output_layout import OutputLayout
from file_processor.run_report import FAILED, RunContext, RunReport
from file_processor.spark_session import local_session

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
        catalog=LocalJsonCatalog(output / "catalog", LOCAL_DATABASE),
        layout=OutputLayout(output_root=str(output / "output"), assets_root=str(output / "assets")),
        database=LOCAL_DATABASE,
        locate=lambda obj: str(root / obj.key),
    )
    context = RunContext(
        job_name=job_name, run_id=run_id or f"local-{created_at.strftime('%Y%m%dT%H%M%S%fZ')}", processed_at=created_at
    )
    return run_job(spark, manifest, environment, context, settings)


def print_summary(spark: SparkSession, report: RunReport, output: Path, out: TextIO, show_quarantine: int) -> None:
    layout = OutputLayout(output_root=str(output / "output"), assets_root=str(output / "assets"))
    totals = report.to_json()["totals"]
    print(f"file_processor local run {report.context.run_id}: {report.status}", file=out)
    table = report.catalog.outcome
    if table is not None:
        print(
            f"\ntable {report.database}.{report.table} ({table.action}), partitioned by ingest_date, source_id:",
            file=out,
        )
        for column in table.columns:
            print(f"  {column.name:<28} {column.type}", file=out)
    print(f"\n{'file':<40} {'status':<12} {'read':>8} {'written':>8} {'quarantined':>12} {'seconds':>8}", file=out)
    for result in report.files:
        name = Path(result.source_file).name
        print(
            f"{name:<40} {result.status:<12} {result.rows_read:>8} {result.rows_written:>8} "
            f"{result.rows_quarantined:>12} {result.seconds:>8.2f}",
            file=out,
        )
        if result.reason:
            print(f"    {result.reason}", file=out)
        for conflict in result.conflicts:
            print(
                f"    column {conflict.column}: file looks like {conflict.file_type}, table has "
                f"{conflict.table_type}; values are checked as {conflict.table_type}",
                file=out,
            )
        if result.quarantine_path and result.rows_quarantined and show_quarantine > 0:
            for row in spark.read.parquet(result.quarantine_path).limit(show_quarantine).collect():
                print(f"    quarantined: {row['reason']}  <- {row['raw_record']!r}", file=out)
    passes = totals["inputPasses"]
    print(
        f"\ntotals: {totals['files']} files, {totals['rowsRead']} rows read, {totals['rowsWritten']} written, "
        f"{totals['rowsQuarantined']} quarantined; Spark passes over the input: "
        f"{'n/a' if passes is None else f'{passes:.2f}'}",
        file=out,
    )
    for error in report.catalog_errors:
        print(f"catalog error: {error}", file=out)
    quarantine = report.quarantine_catalog
    if quarantine.outcome is not None:
        print(
            f"quarantine rows are in table {report.database}.{quarantine.table} ({quarantine.outcome.action})", file=out
        )
    catalog = output / "catalog" / report.database
    print(f"parquet:    {layout.table_location(report.table)}", file=out)
    print(f"quarantine: {layout.quarantine_location(report.table)}", file=out)
    print(f"catalog:    {catalog / (report.table + '.json')}, {catalog / (quarantine.table + '.json')}", file=out)
    print(f"report:     {layout.report(report.context.job_name, report.context.run_id)}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m file_processor.local_run", description="Run file_processor on local CSV files."
    )
    parser.add_argument("--input", nargs="+", required=True, help="CSV files or folders (searched recursively)")
    parser.add_argument("--output", required=True, type=Path, help="folder for output/, assets/ and catalog/")
    parser.add_argument("--dataset", help="dataset name (default: the inputs' common folder name)")
    parser.add_argument("--job-name", default="file_processor-local")
    parser.add_argument("--run-id", help="default: local-<UTC time>")
    parser.add_argument("--sample-bytes", type=int, default=DEFAULT_SAMPLE_BYTES, help="bytes read to infer types")
    parser.add_argument("--max-concurrent-files", type=int, default=DEFAULT_MAX_CONCURRENT_FILES)
    parser.add_argument("--cores", type=int, default=2, help="local Spark cores")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--show-quarantine", type=int, default=3, help="quarantined rows to print per file")
    args = parser.parse_args(argv)

    spark = local_session(cores=args.cores, driver_memory=args.driver_memory)
    settings = JobSettings(
        planner=PlannerSettings(sample_bytes=args.sample_bytes), max_concurrent_files=args.max_concurrent_files
    )
    report = run_local(spark, args.input, args.output, args.dataset, args.job_name, args.run_id, settings)
    print_summary(spark, report, args.output.resolve(), sys.stdout, args.show_quarantine)
    return 1 if report.status == FAILED else 0


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
