"""The Glue wiring without awsglue: job arguments, the manifest from S3, the report to S3, the exit status."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from file_processor.glue_job import GLUE_ARGUMENTS, JobRunFailedError, run_glue_job
from file_processor.manifest import ManifestError
from pyspark.sql import SparkSession

ARGUMENTS = {
    "JOB_NAME": "glue-etl-dev-file-processor",
    "JOB_RUN_ID": "jr_0123",
    "manifest": "s3://assets-bucket/manifests/sales_eu/2026-11-23/m1.json",
    "output_bucket": "output-bucket",
    "assets_bucket": "assets-bucket",
    "glue_database": "glue_etl_dev",
}
MANIFEST = {
    "version": 1,
    "manifestId": "m1",
    "dataset": "Sales-EU",
    "table": "sales_eu",
    "createdAt": "2026-11-23T10:15:00.000Z",
    "objects": [
        {
            "bucket": "input-bucket",
            "key": "incoming/Sales-EU/a.csv",
            "versionId": None,
            "eTag": "e1",
            "size": 10,
            "eventTime": "2026-11-23T10:14:58.123Z",
        }
    ],
}


def _client(service: str) -> Any:
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")


@pytest.fixture
def clients() -> Iterator[tuple[Any, Stubber, Any, Stubber]]:
    s3, glue = _client("s3"), _client("glue")
    with Stubber(s3) as s3_stub, Stubber(glue) as glue_stub:
        yield s3, s3_stub, glue, glue_stub
        s3_stub.assert_no_pending_responses()
        glue_stub.assert_no_pending_responses()


def _body(document: dict[str, Any]) -> StreamingBody:
    data = json.dumps(document).encode()
    return StreamingBody(io.BytesIO(data), len(data))


def test_the_job_asks_glue_for_its_own_and_the_platform_s_arguments() -> None:
    assert set(GLUE_ARGUMENTS) == set(ARGUMENTS)


def test_a_missing_argument_is_named(spark: SparkSession) -> None:
    with pytest.raises(ValueError, match="missing job argument\\(s\\): --manifest, --glue_database"):
        run_glue_job(spark, {**ARGUMENTS, "manifest": "", "glue_database": ""}, s3_client=None, glue_client=None)


def test_a_run_reads_the_manifest_from_s3_and_writes_the_report_there(
    spark: SparkSession, clients: tuple[Any, Stubber, Any, Stubber]
) -> None:
    s3, s3_stub, glue, glue_stub = clients
    s3_stub.add_response(
        "get_object",
        {"Body": _body(MANIFEST)},
        {"Bucket": "assets-bucket", "Key": "manifests/sales_eu/2026-11-23/m1.json"},
    )
    glue_stub.add_client_error("get_table", "EntityNotFoundException")
    s3_stub.add_client_error("head_object", "404", http_status_code=404)
    s3_stub.add_response(
        "put_object",
        {},
        {
            "Bucket": "assets-bucket",
            "Key": "reports/glue-etl-dev-file-processor/jr_0123.json",
            "Body": ANY,
            "ContentType": "application/json",
        },
    )

    report = run_glue_job(spark, ARGUMENTS, s3_client=s3, glue_client=glue)

    assert report.status == "succeeded"
    assert report.files[0].source_file == "s3://input-bucket/incoming/Sales-EU/a.csv"
    assert report.files[0].status == "skipped"
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"


def test_a_file_that_fails_fails_the_run_after_the_report_is_written(
    spark: SparkSession, clients: tuple[Any, Stubber, Any, Stubber]
) -> None:
    s3, s3_stub, glue, glue_stub = clients
    s3_stub.add_response("get_object", {"Body": _body(MANIFEST)})
    glue_stub.add_client_error("get_table", "EntityNotFoundException")
    s3_stub.add_client_error("head_object", "403", http_status_code=403)
    s3_stub.add_response("put_object", {})

    with pytest.raises(JobRunFailedError, match=r"s3://input-bucket/incoming/Sales-EU/a\.csv") as raised:
        run_glue_job(spark, ARGUMENTS, s3_client=s3, glue_client=glue)

    assert "s3://assets-bucket/reports/glue-etl-dev-file-processor/jr_0123.json" in str(raised.value)


def test_a_malformed_manifest_stops_the_run_with_the_field_named(
    spark: SparkSession, clients: tuple[Any, Stubber, Any, Stubber]
) -> None:
    s3, s3_stub, glue, _ = clients
    s3_stub.add_response("get_object", {"Body": _body({**MANIFEST, "table": "Not A Table"})})

    with pytest.raises(ManifestError, match="table: 'Not A Table' does not match"):
        run_glue_job(spark, ARGUMENTS, s3_client=s3, glue_client=glue)
