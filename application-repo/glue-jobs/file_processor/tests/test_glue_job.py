"""The Glue wiring without awsglue: job arguments, the session check, the manifest from S3, the report to S3, the
exit status.

Every S3 request goes through a botocore Stubber, so each test lists exactly what the run asks of S3. In Glue, Spark
reads the CSV data from `s3://` itself; local Spark has no S3 file system, so these runs use files the job never hands
to Spark (unreadable, replaced or gone: decided from S3 alone) and the Spark read is covered by the local runs of
test_file_processing.py, which use the same `run_job`.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import ANY, Stubber
from file_processor.csv_sample import DEFAULT_SAMPLE_BYTES
from file_processor.dataset_settings import DatasetSettingsError
from file_processor.file_metrics import JOB_FILE_METRICS
from file_processor.file_plan import SUPERSEDED, SUPERSEDED_APPEND, VERSION_GONE
from file_processor.glue_job import GLUE_ARGUMENTS, OPTIONAL_ARGUMENTS, JobRunFailedError, run_glue_job
from file_processor.layout import source_id
from file_processor.ledger import LedgerSettingsError
from file_processor.manifest import ManifestError, parse_manifest
from file_processor.object_store import ObjectNotFoundError
from file_processor.run_report import FileStatus, RunStatus
from file_processor.spark_session import (
    CATALOG,
    ICEBERG_EXTENSIONS,
    IcebergNotConfiguredError,
    configure_job_session,
    glue_catalog_settings,
)
from moto import mock_aws
from pyspark.sql import SparkSession

ARGUMENTS = {
    "JOB_NAME": "glue-etl-dev-file-processor",
    "JOB_RUN_ID": "jr_0123",
    "manifest": "s3://assets-bucket/manifests/sales_eu/2026-11-23/m1.json",
    "output_bucket": "output-bucket",
    "assets_bucket": "assets-bucket",
    "glue_database": "glue_etl_dev",
}
KEY = "incoming/Sales-EU/orders 1+2 #3?.csv"
"""`#` and `?` would end the key if a URI parser read it; every request below names the key whole."""
OBJECT = {"Bucket": "input-bucket", "Key": KEY}
SOURCE_FILE = f"s3://input-bucket/{KEY}"
REPORT = {"Bucket": "assets-bucket", "Key": "reports/glue-etl-dev-file-processor/jr_0123.json"}
REPORT_URI = "s3://assets-bucket/reports/glue-etl-dev-file-processor/jr_0123.json"
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _manifest(version_id: str | None = None) -> dict[str, Any]:
    return {
        "version": 1,
        "manifestId": "m1",
        "dataset": "Sales-EU",
        "table": "sales_eu",
        "createdAt": "2026-11-23T10:15:00.000Z",
        "objects": [
            {
                "bucket": "input-bucket",
                "key": KEY,
                "versionId": version_id,
                "eTag": "e1",
                "size": len(BINARY),
                "eventTime": "2026-11-23T10:14:58.123Z",
            }
        ],
    }


@dataclass
class _S3:
    client: Any
    stub: Stubber
    puts: list[dict[str, Any]] = field(default_factory=list)

    def report_written(self) -> dict[str, Any]:
        """The report the run put to S3, as JSON."""
        (put,) = self.puts
        document: dict[str, Any] = json.loads(put["Body"])
        return document


@pytest.fixture
def s3() -> Iterator[_S3]:
    client = boto3.client("s3", region_name="eu-west-1", aws_access_key_id="test", aws_secret_access_key="test")
    recorded = _S3(client, Stubber(client))

    def record_put(params: dict[str, Any], **_: Any) -> None:
        recorded.puts.append(dict(params))

    # The Stubber checks a body against ANY only; the hook keeps it so a test can read the report.
    client.meta.events.register("before-parameter-build.s3.PutObject", record_put)
    with recorded.stub:
        yield recorded
        recorded.stub.assert_no_pending_responses()


@dataclass
class _FakeConf:
    values: dict[str, str]

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.values.get(key, default)

    def set(self, key: str, value: str) -> None:
        self.values[key] = value


@dataclass
class _FakeSession:
    """Only what configure_job_session touches: a second real SparkSession cannot be started beside the suite's."""

    conf: _FakeConf


def _fake_session(extensions: str | None) -> _FakeSession:
    return _FakeSession(_FakeConf({} if extensions is None else {"spark.sql.extensions": extensions}))


def _body(data: bytes) -> StreamingBody:
    return StreamingBody(io.BytesIO(data), len(data))


def _expect_manifest(s3: _S3, document: dict[str, Any]) -> None:
    s3.stub.add_response(
        "get_object",
        {"Body": _body(json.dumps(document).encode())},
        {"Bucket": "assets-bucket", "Key": "manifests/sales_eu/2026-11-23/m1.json"},
    )


def _expect_head(s3: _S3, version_id: str | None = None) -> None:
    response: dict[str, Any] = {"ContentLength": len(BINARY), "ETag": '"e1"'}
    if version_id is not None:
        response["VersionId"] = version_id
    s3.stub.add_response("head_object", response, OBJECT)


def _expect_report(s3: _S3) -> None:
    s3.stub.add_response("put_object", {}, {**REPORT, "Body": ANY, "ContentType": "application/json"})


def test_the_job_asks_glue_for_its_own_and_the_platform_s_arguments() -> None:
    assert set(GLUE_ARGUMENTS) == set(ARGUMENTS)
    assert OPTIONAL_ARGUMENTS == ("datasets", "ledger_table", "ledger_retention_days", "file_metrics_namespace")


def test_a_run_with_a_ledger_records_the_file_s_terminal_state_and_puts_its_counts(
    spark: SparkSession, s3: _S3, monkeypatch: pytest.MonkeyPatch
) -> None:
    _expect_manifest(s3, _manifest(version_id="v1"))
    _expect_head(s3, version_id="v2")
    _expect_report(s3)
    arguments = {
        **ARGUMENTS,
        "ledger_table": "ledger",
        "ledger_retention_days": "30",
        "file_metrics_namespace": "glue-etl/dev/files",
    }
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "testing")

    with mock_aws():
        dynamodb = boto3.client("dynamodb", region_name="eu-west-1")
        dynamodb.create_table(
            TableName="ledger",
            BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("objectKey", "version")],
            KeySchema=[
                {"AttributeName": "objectKey", "KeyType": "HASH"},
                {"AttributeName": "version", "KeyType": "RANGE"},
            ],
        )
        cloudwatch = boto3.client("cloudwatch", region_name="eu-west-1")
        run_glue_job(
            spark,
            arguments,
            s3_client=s3.client,
            configure_session=False,
            dynamodb_client=dynamodb,
            cloudwatch_client=cloudwatch,
        )
        (item,) = dynamodb.scan(TableName="ledger")["Items"]
        metrics = cloudwatch.list_metrics(Namespace="glue-etl/dev/files")["Metrics"]

    assert {name: item[name] for name in ("objectKey", "version", "status", "reason", "reportUri")} == {
        "objectKey": {"S": f"input-bucket/{KEY}"},
        "version": {"S": "v1"},
        "status": {"S": "skipped"},
        "reason": {"S": SUPERSEDED},
        "reportUri": {"S": REPORT_URI},
    }
    assert sorted(metric["MetricName"] for metric in metrics) == sorted(JOB_FILE_METRICS)
    assert {str(metric["Dimensions"]) for metric in metrics} == {str([{"Name": "Dataset", "Value": "Sales-EU"}])}


def test_a_ledger_without_its_retention_stops_the_run_before_s3_is_read(s3: _S3) -> None:
    session = cast(SparkSession, _fake_session(ICEBERG_EXTENSIONS))

    with pytest.raises(LedgerSettingsError, match="--ledger_retention_days: got None"):
        run_glue_job(session, {**ARGUMENTS, "ledger_table": "ledger"}, s3_client=s3.client, dynamodb_client=object())


def test_a_missing_argument_is_named() -> None:
    session = cast(SparkSession, _fake_session(ICEBERG_EXTENSIONS))

    with pytest.raises(ValueError, match="missing job argument\\(s\\): --manifest, --glue_database"):
        run_glue_job(session, {**ARGUMENTS, "manifest": "", "glue_database": ""}, s3_client=None)


def test_a_run_reads_the_manifest_from_s3_quarantines_an_unreadable_file_there_and_writes_the_report_there(
    spark: SparkSession, s3: _S3
) -> None:
    _expect_manifest(s3, _manifest())
    _expect_head(s3)
    s3.stub.add_response(
        "get_object", {"Body": _body(BINARY)}, {**OBJECT, "Range": f"bytes=0-{DEFAULT_SAMPLE_BYTES - 1}"}
    )
    target_key = f"quarantine/sales_eu/{source_id(parse_manifest(_manifest()).objects[0])}/orders 1+2 #3?.csv"
    _expect_head(s3)
    s3.stub.add_response("copy_object", {}, {"Bucket": "output-bucket", "Key": target_key, "CopySource": OBJECT})
    _expect_report(s3)

    report = run_glue_job(spark, ARGUMENTS, s3_client=s3.client, configure_session=False)

    assert report.status == RunStatus.SUCCEEDED
    (result,) = report.files
    assert (result.source_file, result.source_key) == (SOURCE_FILE, f"input-bucket/{KEY}")
    assert result.status == FileStatus.QUARANTINED
    assert result.quarantined_file == f"s3://output-bucket/{target_key}"
    assert (report.database, report.table, report.quarantine_table) == (
        "glue_etl_dev",
        "sales_eu",
        "sales_eu__quarantine",
    )
    assert s3.report_written() == report.to_json()


def test_a_file_whose_notified_version_is_gone_fails_the_run_after_the_report_is_written(
    spark: SparkSession, s3: _S3
) -> None:
    _expect_manifest(s3, _manifest())
    s3.stub.add_client_error("head_object", "404", http_status_code=404, expected_params=OBJECT)
    _expect_report(s3)

    with pytest.raises(JobRunFailedError) as raised:
        run_glue_job(spark, ARGUMENTS, s3_client=s3.client, configure_session=False)

    assert SOURCE_FILE in str(raised.value) and REPORT_URI in str(raised.value)
    written = s3.report_written()
    assert written["status"] == "failed"
    assert [(entry["status"], entry["reason"]) for entry in written["files"]] == [("failed", VERSION_GONE)]


def test_a_storage_error_on_a_file_fails_the_run_with_the_error_in_the_report(spark: SparkSession, s3: _S3) -> None:
    _expect_manifest(s3, _manifest())
    s3.stub.add_client_error("head_object", "403", http_status_code=403, expected_params=OBJECT)
    _expect_report(s3)

    with pytest.raises(JobRunFailedError, match="s3://input-bucket/incoming/Sales-EU/orders 1\\+2 #3\\?\\.csv"):
        run_glue_job(spark, ARGUMENTS, s3_client=s3.client, configure_session=False)

    (entry,) = s3.report_written()["files"]
    assert entry["status"] == "failed"
    assert entry["reason"].startswith("ClientError: ") and "403" in entry["reason"]


def test_a_file_replaced_by_a_newer_version_is_skipped_by_default_and_the_run_succeeds(
    spark: SparkSession, s3: _S3
) -> None:
    _expect_manifest(s3, _manifest(version_id="v1"))
    _expect_head(s3, version_id="v2")
    _expect_report(s3)

    report = run_glue_job(spark, ARGUMENTS, s3_client=s3.client, configure_session=False)

    assert report.status == RunStatus.SUCCEEDED
    assert [(result.status, result.reason) for result in report.files] == [(FileStatus.SKIPPED, SUPERSEDED)]


def test_the_datasets_argument_reaches_the_run_an_append_dataset_fails_a_replaced_file(
    spark: SparkSession, s3: _S3
) -> None:
    _expect_manifest(s3, _manifest(version_id="v1"))
    _expect_head(s3, version_id="v2")
    _expect_report(s3)
    arguments = {**ARGUMENTS, "datasets": json.dumps({"Sales-EU": {"newVersion": "append"}})}

    with pytest.raises(JobRunFailedError):
        run_glue_job(spark, arguments, s3_client=s3.client, configure_session=False)

    (entry,) = s3.report_written()["files"]
    assert (entry["status"], entry["reason"]) == ("failed", SUPERSEDED_APPEND)


def test_a_bad_datasets_argument_stops_the_run_naming_the_field_before_s3_is_read(s3: _S3) -> None:
    session = cast(SparkSession, _fake_session(ICEBERG_EXTENSIONS))
    arguments = {**ARGUMENTS, "datasets": json.dumps({"Sales-EU": {"newVersion": "sometimes"}})}

    with pytest.raises(DatasetSettingsError, match=r"datasets\['Sales-EU'\]\.newVersion: got 'sometimes'"):
        run_glue_job(session, arguments, s3_client=s3.client)


@pytest.mark.parametrize(
    ("argument", "client"),
    [("ledger_table", "DynamoDB"), ("file_metrics_namespace", "CloudWatch")],
)
def test_a_ledger_or_metrics_argument_without_its_client_stops_the_run_before_s3_is_read(
    s3: _S3, argument: str, client: str
) -> None:
    session = cast(SparkSession, _fake_session(ICEBERG_EXTENSIONS))
    arguments = {**ARGUMENTS, argument: "x", "ledger_retention_days": "30"}

    with pytest.raises(ValueError, match=f"is given but the run has no {client} client"):
        run_glue_job(session, arguments, s3_client=s3.client)


def test_a_malformed_manifest_stops_the_run_with_the_field_named(spark: SparkSession, s3: _S3) -> None:
    _expect_manifest(s3, {**_manifest(), "table": "Not A Table"})

    with pytest.raises(ManifestError, match="table: 'Not A Table' does not match"):
        run_glue_job(spark, ARGUMENTS, s3_client=s3.client, configure_session=False)


def test_a_glue_run_points_the_catalog_at_the_output_bucket_before_it_reads_the_manifest(s3: _S3) -> None:
    session = _fake_session(ICEBERG_EXTENSIONS)
    s3.stub.add_client_error("get_object", "NoSuchKey", http_status_code=404)

    with pytest.raises(ObjectNotFoundError):
        run_glue_job(cast(SparkSession, session), ARGUMENTS, s3_client=s3.client)

    prefix = f"spark.sql.catalog.{CATALOG}"
    assert session.conf.values[f"{prefix}.warehouse"] == "s3://output-bucket/"
    assert session.conf.values[f"{prefix}.catalog-impl"] == "org.apache.iceberg.aws.glue.GlueCatalog"
    assert session.conf.values["spark.sql.session.timeZone"] == "UTC"


@pytest.mark.parametrize("extensions", [None, "", "io.delta.sql.DeltaSparkSessionExtension"])
def test_a_session_without_iceberg_s_sql_extensions_is_refused_and_left_unchanged(extensions: str | None) -> None:
    session = _fake_session(extensions)
    before = dict(session.conf.values)

    with pytest.raises(IcebergNotConfiguredError, match=ICEBERG_EXTENSIONS):
        configure_job_session(cast(SparkSession, session), glue_catalog_settings("s3://output-bucket/"))

    assert session.conf.values == before


def test_a_glue_run_on_a_session_without_iceberg_stops_before_s3_is_read(s3: _S3) -> None:
    with pytest.raises(IcebergNotConfiguredError):
        run_glue_job(cast(SparkSession, _fake_session(None)), ARGUMENTS, s3_client=s3.client)


def test_a_session_with_iceberg_among_other_extensions_gets_the_catalog_and_utc() -> None:
    session = _fake_session(f"io.delta.sql.DeltaSparkSessionExtension,{ICEBERG_EXTENSIONS}")

    configure_job_session(cast(SparkSession, session), {"spark.sql.catalog.glue_catalog.warehouse": "s3://w/"})

    assert session.conf.values["spark.sql.catalog.glue_catalog.warehouse"] == "s3://w/"
    assert session.conf.values["spark.sql.session.timeZone"] == "UTC"
