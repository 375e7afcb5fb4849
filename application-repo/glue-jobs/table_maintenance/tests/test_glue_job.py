"""run_glue_job on the local catalog: Glue's arguments in, the report in the assets bucket, FAILED when a table fails.

The session's catalog settings are not changed here (the suite shares one session): configure_job_session is
replaced by a recorder that checks what Glue's session would be given.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pytest
import table_maintenance.glue_job as glue_job
from file_processor.spark_session import glue_catalog_settings
from pyspark.sql import SparkSession
from table_maintenance.job_arguments import JobArgumentsError
from table_maintenance.maintenance_report import MaintenanceStatus

from .conftest import Lake, RecordingS3Client, write_broken_table

JOB_NAME = "glue-platform-dev-table_maintenance"


def _arguments(database: str, retention: str = "7") -> dict[str, str]:
    return {
        "JOB_NAME": JOB_NAME,
        "JOB_RUN_ID": "jr_1",
        "glue_database": database,
        "output_bucket": "output-bucket",
        "assets_bucket": "assets-bucket",
        "snapshot_retention_days": retention,
    }


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    calls: list[dict[str, str]] = []

    def record(spark: SparkSession, settings: Mapping[str, str]) -> SparkSession:
        calls.append(dict(settings))
        return spark

    monkeypatch.setattr(glue_job, "configure_job_session", record)
    return calls


def test_the_glue_job_maintains_the_database_and_writes_its_report_to_the_assets_bucket(
    lake: Lake, configured: list[dict[str, str]]
) -> None:
    lake.create_table("orders")
    lake.append_many("orders", 3)
    s3 = RecordingS3Client()

    report = glue_job.run_glue_job(lake.spark, _arguments(lake.database), s3_client=s3)

    assert report.status is MaintenanceStatus.SUCCEEDED
    assert configured == [glue_catalog_settings("s3://output-bucket/")]
    assert [(put["Bucket"], put["Key"]) for put in s3.puts] == [("assets-bucket", f"reports/{JOB_NAME}/jr_1.json")]
    body = s3.puts[0]["Body"]
    assert isinstance(body, bytes)
    document = json.loads(body)
    assert (document["jobName"], document["runId"], document["database"]) == (JOB_NAME, "jr_1", lake.database)
    assert (document["retentionDays"], document["status"]) == (7, "succeeded")
    assert [(t["name"], t["dataFilesBefore"], t["dataFilesAfter"]) for t in document["tables"]] == [("orders", 3, 1)]


def test_a_failed_table_fails_the_glue_run_after_its_report_is_written(
    lake: Lake, configured: list[dict[str, str]]
) -> None:
    write_broken_table(lake, "broken")
    s3 = RecordingS3Client()

    with pytest.raises(glue_job.MaintenanceRunFailedError) as raised:
        glue_job.run_glue_job(lake.spark, _arguments(lake.database), s3_client=s3)

    message = str(raised.value)
    assert message.startswith(f"table maintenance run jr_1 on {lake.database} failed: broken (read_properties): ")
    assert message.endswith(f"; see s3://assets-bucket/reports/{JOB_NAME}/jr_1.json")
    body = s3.puts[0]["Body"]
    assert isinstance(body, bytes)
    assert json.loads(body)["status"] == "failed"


def test_a_bad_retention_argument_fails_the_run_before_the_session_is_touched(
    spark: SparkSession, configured: list[dict[str, str]]
) -> None:
    s3 = RecordingS3Client()

    with pytest.raises(JobArgumentsError, match=r"--snapshot_retention_days is 'seven'; expected a whole number"):
        glue_job.run_glue_job(spark, _arguments("any", retention="seven"), s3_client=s3)

    assert configured == []
    assert s3.puts == []
