"""The run report: its JSON, where it is written, and the S3 writer Glue uses."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from table_maintenance.maintenance_report import (
    MaintenanceAction,
    MaintenanceReport,
    MaintenanceStatus,
    TableReport,
)
from table_maintenance.report_writers import S3ReportWriter, split_s3_uri, write_local_file, write_report

from .conftest import RecordingS3Client

STARTED = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)


def _report(*tables: TableReport, error: str | None = None) -> MaintenanceReport:
    return MaintenanceReport(
        job_name="glue-platform-dev-table_maintenance",
        run_id="jr_1",
        database="glue_platform_dev",
        retention_days=7,
        started_at=STARTED,
        snapshot_cutoff=STARTED - timedelta(days=7),
        orphan_file_cutoff=STARTED - timedelta(days=7),
        seconds=12.34567,
        tables=tables,
        skipped_tables=("legacy",),
        error=error,
    )


def _succeeded() -> TableReport:
    return TableReport(
        name="orders",
        data_files_before=31,
        data_files_after=2,
        delete_files_before=3,
        delete_files_after=0,
        data_files_rewritten=30,
        data_files_added=1,
        delete_files_rewritten=3,
        delete_files_added=0,
        snapshots_expired=29,
        files_deleted_with_snapshots=90,
        orphan_files_removed=1,
        branches_dropped=["run_jr_crashed"],
        seconds=4.5,
    )


def test_the_report_json_has_the_run_and_every_table_s_counts() -> None:
    document = json.loads(_report(_succeeded()).to_bytes())

    assert document == {
        "reportVersion": 1,
        "jobName": "glue-platform-dev-table_maintenance",
        "runId": "jr_1",
        "database": "glue_platform_dev",
        "retentionDays": 7,
        "status": "succeeded",
        "startedAt": "2026-11-23T03:30:00.000Z",
        "snapshotsOlderThan": "2026-11-16T03:30:00.000Z",
        "orphanFilesOlderThan": "2026-11-16T03:30:00.000Z",
        "seconds": 12.346,
        "tables": [
            {
                "name": "orders",
                "status": "succeeded",
                "seconds": 4.5,
                "dataFilesBefore": 31,
                "dataFilesAfter": 2,
                "deleteFilesBefore": 3,
                "deleteFilesAfter": 0,
                "dataFilesRewritten": 30,
                "dataFilesAdded": 1,
                "deleteFilesRewritten": 3,
                "deleteFilesAdded": 0,
                "snapshotsExpired": 29,
                "filesDeletedWithSnapshots": 90,
                "orphanFilesRemoved": 1,
                "branchesDropped": ["run_jr_crashed"],
                "failedAction": None,
                "error": None,
            }
        ],
        "skippedTables": ["legacy"],
        "error": None,
    }


def test_one_failed_table_fails_the_run_and_names_its_step() -> None:
    failed = TableReport(name="orders__quarantine", data_files_before=4)
    failed.fail(MaintenanceAction.EXPIRE_SNAPSHOTS, "ValidationException: commit conflict")

    report = _report(_succeeded(), failed)

    assert report.status is MaintenanceStatus.FAILED
    assert report.failures() == ["orders__quarantine (expire_snapshots): ValidationException: commit conflict"]
    table = report.to_json()["tables"][1]
    assert (table["status"], table["failedAction"], table["dataFilesAfter"]) == ("failed", "expire_snapshots", None)


def test_a_run_that_could_not_list_its_tables_has_failed() -> None:
    report = _report(error="could not list the tables of database glue_platform_dev: no such database")

    assert report.status is MaintenanceStatus.FAILED
    assert report.to_json()["error"] == "could not list the tables of database glue_platform_dev: no such database"


def test_the_report_is_written_under_reports_job_name_run_id_in_a_local_folder(tmp_path: Path) -> None:
    location = write_report(_report(_succeeded()), str(tmp_path) + "/", write_local_file)

    assert location == f"{tmp_path}/reports/glue-platform-dev-table_maintenance/jr_1.json"
    assert json.loads(Path(location).read_text())["tables"][0]["name"] == "orders"


def test_glue_writes_the_report_to_the_assets_bucket_with_put_object() -> None:
    client = RecordingS3Client()

    location = write_report(_report(_succeeded()), "s3://assets-bucket", S3ReportWriter(client))

    assert location == "s3://assets-bucket/reports/glue-platform-dev-table_maintenance/jr_1.json"
    assert len(client.puts) == 1
    put = client.puts[0]
    assert (put["Bucket"], put["Key"], put["ContentType"]) == (
        "assets-bucket",
        "reports/glue-platform-dev-table_maintenance/jr_1.json",
        "application/json",
    )
    assert isinstance(put["Body"], bytes) and json.loads(put["Body"])["runId"] == "jr_1"


@pytest.mark.parametrize("uri", ["assets-bucket/key.json", "s3://assets-bucket", "s3:///key.json", "s3://bucket/"])
def test_a_location_that_is_not_an_s3_object_is_refused(uri: str) -> None:
    with pytest.raises(ValueError, match="expected s3://<bucket>/<key>"):
        split_s3_uri(uri)
