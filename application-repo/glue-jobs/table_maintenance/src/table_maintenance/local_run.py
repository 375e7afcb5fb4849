"""Runs table_maintenance on a local Iceberg warehouse with local Spark: no AWS, same maintenance code as in Glue.

    .venv/bin/python -m table_maintenance.local_run --warehouse DIR --database DB --retention-days N --output DIR

(with `application-repo/glue-jobs/table_maintenance/src` and `.../file_processor/src` on PYTHONPATH). The warehouse
is a Hadoop catalog folder, as file_processor's local runs and the tests write it (`<DIR>/<database>/<table>/`).
It prints each table's file counts before and after, and writes the JSON report under
`<output>/reports/<job name>/<run id>.json`, as Glue does under the assets bucket. Exit status 1 if a table failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from file_processor.spark_session import local_session

from table_maintenance.maintenance import (
    LOCAL_JOB_NAME,
    MANAGED_BY_FILE_PROCESSOR,
    MANAGED_BY_PROPERTY,
    run_maintenance,
)
from table_maintenance.maintenance_report import MaintenanceReport, MaintenanceStatus
from table_maintenance.maintenance_settings import MaintenanceSettings
from table_maintenance.report_writers import write_local_file, write_report

COLUMNS = (
    ("data_before", "data_files_before"),
    ("data_after", "data_files_after"),
    ("deletes_before", "delete_files_before"),
    ("deletes_after", "delete_files_after"),
    ("snapshots_expired", "snapshots_expired"),
    ("orphans_removed", "orphan_files_removed"),
)
"""Printed column, TableReport attribute."""


def print_summary(report: MaintenanceReport, location: str, out: TextIO) -> None:
    print(
        f"table_maintenance run {report.run_id} on {report.database}: {report.status} "
        f"(retention {report.retention_days} days, {report.seconds:.1f} s)",
        file=out,
    )
    if report.error is not None:
        print(report.error, file=out)
    width = max([len("table"), *(len(table.name) for table in report.tables)])
    header = " ".join(f"{title:>{len(title)}}" for title, _ in COLUMNS)
    print(f"\n{'table':<{width}} {'status':<9} {header} branches_dropped", file=out)
    for table in report.tables:
        counts = " ".join(f"{_count(getattr(table, attribute)):>{len(title)}}" for title, attribute in COLUMNS)
        print(f"{table.name:<{width}} {table.status:<9} {counts} {','.join(table.branches_dropped) or '-'}", file=out)
        if table.error is not None:
            print(f"    {table.failed_action}: {table.error}", file=out)
    if report.skipped_tables:
        print(
            f"\nskipped (no {MANAGED_BY_PROPERTY}={MANAGED_BY_FILE_PROCESSOR}): {', '.join(report.skipped_tables)}",
            file=out,
        )
    print(f"report: {location}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m table_maintenance.local_run", description="Run table_maintenance on a local warehouse."
    )
    parser.add_argument("--warehouse", required=True, type=Path, help="the Hadoop catalog folder of glue_catalog")
    parser.add_argument("--database", required=True, help="the database (namespace) whose tables to maintain")
    parser.add_argument("--retention-days", required=True, type=int, help="snapshot retention in days (>= 1)")
    parser.add_argument("--output", required=True, type=Path, help="folder for reports/ (stands in for assets)")
    parser.add_argument("--job-name", default=LOCAL_JOB_NAME)
    parser.add_argument("--run-id", help="default: local-<UTC time>")
    parser.add_argument("--cores", type=int, default=2, help="local Spark cores")
    parser.add_argument("--driver-memory", default="2g")
    args = parser.parse_args(argv)
    try:
        settings = MaintenanceSettings(retention_days=args.retention_days)
    except ValueError as error:
        parser.error(f"--retention-days: {error}")

    spark = local_session(
        str(args.warehouse.resolve()),
        app_name="table-maintenance-local",
        cores=args.cores,
        driver_memory=args.driver_memory,
    )
    report = run_maintenance(spark, args.database, settings, job_name=args.job_name, run_id=args.run_id)
    location = write_report(report, str(args.output.resolve()), write_local_file)
    print_summary(report, location, sys.stdout)
    return 1 if report.status is MaintenanceStatus.FAILED else 0


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


if __name__ == "__main__":
    sys.exit(main())
