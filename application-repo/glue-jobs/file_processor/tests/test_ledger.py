"""The file ledger and the file metrics: real runs of the job on local Spark end every terminal state, and each item
they leave in a DynamoDB table shaped as the contract describes (moto, in process) has the shared fixture's shape and
keeps its rules; the run's counts reach CloudWatch once, per dataset."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from file_processor.dataset_settings import DatasetRegistry, DatasetSettings
from file_processor.file_metrics import DIMENSION, JOB_FILE_METRICS, metric_data
from file_processor.file_outcome import EVERY_ROW_QUARANTINED
from file_processor.file_plan import SUPERSEDED, VERSION_GONE
from file_processor.job import JobSettings
from file_processor.ledger import (
    LEDGER_ITEM_VERSION,
    PARTITION_KEY,
    SORT_KEY,
    TABLE_ARGUMENT,
    FileLedger,
    LedgerSettings,
    LedgerSettingsError,
    ledger_key,
    ledger_settings,
    update_request,
)
from file_processor.manifest import Manifest
from file_processor.run_outcome import OutcomeSinks, record_outcome
from file_processor.run_report import FileStatus, RunReport, RunStatus
from moto import mock_aws
from pyspark.sql import SparkSession

from .conftest import JOB_NAME, Workspace
from .ledger_item_rules import load_fixture, problems, unmarshal

LEDGER_TABLE = "glue-etl-dev-file-ledger"
NAMESPACE = "glue-etl/dev/files"
REGION = "eu-west-1"
NOW = datetime(2026, 11, 23, 12, 5, 30, 250000, tzinfo=UTC)
RETENTION_DAYS = 90
BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        yield


@pytest.fixture
def dynamodb(aws: None) -> Any:
    """The ledger table as the contract describes it: key objectKey + version, the by-dataset index, TTL."""
    client = boto3.client("dynamodb", region_name=REGION)
    client.create_table(
        TableName=LEDGER_TABLE,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("objectKey", "version", "dataset", "updatedAt")
        ],
        KeySchema=[
            {"AttributeName": "objectKey", "KeyType": "HASH"},
            {"AttributeName": "version", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-dataset",
                "KeySchema": [
                    {"AttributeName": "dataset", "KeyType": "HASH"},
                    {"AttributeName": "updatedAt", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.update_time_to_live(
        TableName=LEDGER_TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )
    return client


@pytest.fixture
def cloudwatch(aws: None) -> Any:
    return boto3.client("cloudwatch", region_name=REGION)


def _ledger(client: Any, **settings: Any) -> FileLedger:
    return FileLedger(
        client, LedgerSettings(LEDGER_TABLE, RETENTION_DAYS, **settings), clock=lambda: NOW, sleep=lambda _: None
    )


def _every_ending(spark: SparkSession, workspace: Workspace) -> tuple[Manifest, RunReport]:
    """One run whose files end in every terminal state the job writes."""
    workspace.write("good.csv", "id,name\n1,x\n2,y\n3,z,extra\n")
    workspace.write("all-bad.csv", "id,name\nx,a\ny,b\n")
    workspace.write("picture.csv", BINARY)
    workspace.write("stale.csv", "id,name\n9,q\n")
    manifest = workspace.manifest(
        workspace.object_for("good.csv", version_id="3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"),
        "all-bad.csv",
        "picture.csv",
        workspace.object_for("gone.csv"),
        replace(workspace.object_for("stale.csv"), e_tag="an-older-etag"),
    )
    settings = JobSettings(datasets=DatasetRegistry({"orders": DatasetSettings({"id": "int"})}))
    return manifest, workspace.run(spark, manifest, run_id="jr_ledger", settings=settings)


def _items(client: Any) -> dict[str, dict[str, Any]]:
    """Every ledger item, keyed by its object's file name."""
    scanned = client.scan(TableName=LEDGER_TABLE)["Items"]
    return {item["key"]: item for item in (unmarshal(raw) for raw in scanned)}


def test_every_terminal_state_the_job_writes_has_the_fixture_s_shape_and_keeps_the_contract_s_rules(
    spark: SparkSession, workspace: Workspace, dynamodb: Any, repository_root: Path
) -> None:
    manifest, report = _every_ending(spark, workspace)
    report_uri = workspace.layout.report(JOB_NAME, "jr_ledger")

    written = _ledger(dynamodb).record(manifest, report, report_uri)

    fixture = load_fixture(repository_root)
    items = _items(dynamodb)
    assert (written.written, written.failures) == (5, ())
    assert {name: problems(item, fixture) for name, item in items.items()} == {name: [] for name in items}
    assert {name: (item["status"], item["reason"]) for name, item in items.items()} == {
        "good.csv": ("succeeded", None),
        "all-bad.csv": ("quarantined", report.files[1].reason),
        "picture.csv": ("quarantined", report.files[2].reason),
        "gone.csv": ("failed", VERSION_GONE),
        "stale.csv": ("skipped", SUPERSEDED),
    }
    assert str(report.files[1].reason).startswith(EVERY_ROW_QUARANTINED)
    rows = {name: (item["rowsRead"], item["rowsWritten"], item["rowsQuarantined"]) for name, item in items.items()}
    assert rows == {
        "good.csv": (3, 2, 1),
        "all-bad.csv": (2, 0, 2),
        "picture.csv": (0, 0, 0),
        "gone.csv": (None, None, None),
        "stale.csv": (None, None, None),
    }
    good = items["good.csv"]
    assert (good["objectKey"], good["version"], good["versionId"]) == (
        "local/good.csv",
        "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
        "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY",
    )
    assert good["snapshotId"] == str(report.commits[0].snapshot_id)
    assert items["stale.csv"]["version"] == "etag:an-older-etag"
    for item in items.values():
        assert (item["jobName"], item["jobRunId"], item["reportUri"], item["manifestId"]) == (
            JOB_NAME,
            "jr_ledger",
            report_uri,
            "test-manifest",
        )
        assert (item["receivedAt"], item["updatedAt"], item["attempts"]) == ("2026-11-23T12:05:30.250Z",) * 2 + (1,)
        assert item["expiresAt"] == int((NOW + timedelta(days=RETENTION_DAYS)).timestamp())


def test_a_file_whose_every_row_failed_validation_ends_quarantined_and_does_not_fail_the_run(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("all-bad.csv", "id\nx\ny\nz\n")
    settings = JobSettings(datasets=DatasetRegistry({"orders": DatasetSettings({"id": "int"})}))

    report = workspace.run_files(spark, ["all-bad.csv"], settings=settings)

    (result,) = report.files
    assert (result.status, result.rows_read, result.rows_written, result.rows_quarantined) == (
        FileStatus.QUARANTINED,
        3,
        0,
        3,
    )
    assert result.reason == f"{EVERY_ROW_QUARANTINED}: 3 rows quarantined to orders__quarantine, none written"
    assert report.status == RunStatus.SUCCEEDED
    assert report.to_json()["totals"]["filesQuarantined"] == 1
    assert workspace.quarantine_rows(spark).count() == 3


def test_the_terminal_state_keeps_what_the_trigger_recorded_and_moves_the_item_on(
    spark: SparkSession, workspace: Workspace, dynamodb: Any, repository_root: Path
) -> None:
    workspace.write("a.csv", "id\n1\n")
    manifest = workspace.manifest("a.csv")
    (obj,) = manifest.objects
    started = next(item for item in load_fixture(repository_root) if item["status"] == "started")
    trigger_item = {
        **started,
        **ledger_key(obj),
        "bucket": obj.bucket,
        "key": obj.key,
        "versionId": None,
        "eTag": obj.e_tag,
        "dataset": "orders",
        "attempts": 2,
    }
    dynamodb.put_item(TableName=LEDGER_TABLE, Item={name: _marshal(value) for name, value in trigger_item.items()})
    report = workspace.run(spark, manifest, run_id="jr_after_trigger")

    _ledger(dynamodb).record(manifest, report, "s3://assets/reports/x.json")

    (item,) = _items(dynamodb).values()
    assert problems(item, load_fixture(repository_root)) == []
    assert (item["status"], item["rowsWritten"], item["jobRunId"]) == ("succeeded", 1, "jr_after_trigger")
    assert (item["receivedAt"], item["manifestId"], item["attempts"]) == (
        started["receivedAt"],
        started["manifestId"],
        2,
    )
    assert item["updatedAt"] == "2026-11-23T12:05:30.250Z"


def _marshal(value: Any) -> Any:
    from boto3.dynamodb.types import TypeSerializer

    return TypeSerializer().serialize(value)


def test_the_checker_refuses_items_that_break_the_contract(repository_root: Path) -> None:
    fixture = load_fixture(repository_root)
    by_status = {item["status"]: item for item in fixture}
    broken = {
        "rows": {**by_status["succeeded"], "rowsRead": 121},
        "reason": {**by_status["quarantined"], "reason": None},
        "type": {**by_status["succeeded"], "snapshotId": 7523944719288312671},
        "extra": {**by_status["failed"], "error": "x"},
        "key": {**by_status["skipped"], "objectKey": "other/key.csv"},
    }

    found = {name: problems(item, fixture) for name, item in broken.items()}

    assert [problems(item, fixture) for item in fixture] == [[] for _ in fixture]
    assert found == {
        "rows": ["rowsRead: expected rowsWritten + rowsQuarantined"],
        "reason": ["reason: expected why the file is quarantined"],
        "type": ["snapshotId: got int; the fixture has ['null', 'str']"],
        "extra": ["error: not in the contract"],
        "key": ["objectKey: expected bucket/key"],
    }


def test_every_attribute_name_goes_through_a_placeholder_and_trigger_fields_are_set_only_when_absent() -> None:
    request = update_request(
        LEDGER_TABLE,
        {"objectKey": "b/k", "version": "v"},
        {"key": "k", "status": "succeeded", "size": 3},
        {"attempts": 1},
    )

    assert request["UpdateExpression"] == ("SET #a0 = :v0, #a1 = :v1, #a2 = :v2, #a3 = if_not_exists(#a3, :v3)")
    assert request["ExpressionAttributeNames"] == {"#a0": "key", "#a1": "status", "#a2": "size", "#a3": "attempts"}
    assert request["ExpressionAttributeValues"][":v2"] == {"N": "3"}


def _stubbed_dynamodb() -> tuple[Any, Stubber]:
    client = boto3.client("dynamodb", region_name=REGION, aws_access_key_id="t", aws_secret_access_key="t")
    return client, Stubber(client)


def test_throttling_is_retried_until_the_item_is_written(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    manifest = workspace.manifest("a.csv")
    report = workspace.run(spark, manifest)
    client, stub = _stubbed_dynamodb()
    stub.add_client_error("update_item", "ProvisionedThroughputExceededException", http_status_code=400)
    stub.add_client_error("update_item", "ThrottlingException", http_status_code=400)
    stub.add_response("update_item", {})

    with stub:
        written = _ledger(client).record(manifest, report, "s3://assets/r.json")
        stub.assert_no_pending_responses()

    assert (written.written, written.failures) == (1, ())


def test_a_write_that_keeps_failing_is_logged_with_its_item_and_returned_and_never_raised(
    spark: SparkSession, workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    workspace.write("a.csv", "id\n1\n")
    manifest = workspace.manifest("a.csv")
    report = workspace.run(spark, manifest)
    client, stub = _stubbed_dynamodb()
    for _ in range(3):
        stub.add_client_error("update_item", "ThrottlingException", http_status_code=400)

    with stub, caplog.at_level(logging.ERROR, logger="file_processor.ledger"):
        written = _ledger(client, max_attempts=3).record(manifest, report, "s3://assets/r.json")
        stub.assert_no_pending_responses()

    (failure,) = written.failures
    assert (written.written, failure.source_file) == (0, report.files[0].source_file)
    assert failure.error.startswith("ThrottlingException")
    (logged,) = caplog.records
    assert "after 3 attempt(s)" in logged.getMessage() and '"S": "succeeded"' in logged.getMessage()


def test_a_missing_table_is_not_retried_and_fails_only_the_ledger_write(
    spark: SparkSession, workspace: Workspace, dynamodb: Any
) -> None:
    workspace.write("a.csv", "id\n1\n")
    manifest = workspace.manifest("a.csv")
    report = workspace.run(spark, manifest)
    ledger = FileLedger(dynamodb, LedgerSettings("no-such-table", RETENTION_DAYS), clock=lambda: NOW)

    recorded = record_outcome(OutcomeSinks(ledger=ledger), manifest, report, "s3://assets/r.json")

    assert recorded.ledger is not None and recorded.ledger.written == 0
    assert recorded.ledger.failures[0].error.startswith("ResourceNotFoundException")
    assert recorded.metrics_put is None


def test_the_run_s_counts_reach_cloudwatch_once_per_dataset(
    spark: SparkSession, workspace: Workspace, dynamodb: Any, cloudwatch: Any
) -> None:
    manifest, report = _every_ending(spark, workspace)
    now = datetime.now(UTC).replace(microsecond=0)
    sinks = OutcomeSinks(
        ledger=_ledger(dynamodb), cloudwatch=cloudwatch, metrics_namespace=NAMESPACE, clock=lambda: now
    )

    recorded = record_outcome(sinks, manifest, report, "s3://assets/r.json")

    sums = {
        name: cloudwatch.get_metric_statistics(
            Namespace=NAMESPACE,
            MetricName=name,
            Dimensions=[{"Name": DIMENSION, "Value": "orders"}],
            StartTime=now - timedelta(minutes=5),
            EndTime=now + timedelta(minutes=5),
            Period=600,
            Statistics=["Sum", "SampleCount"],
        )["Datapoints"]
        for name in JOB_FILE_METRICS
    }
    assert recorded.metrics_put is True
    assert {name: [(p["Sum"], p["SampleCount"]) for p in points] for name, points in sums.items()} == {
        "FilesSucceeded": [(1.0, 1.0)],
        "FilesQuarantined": [(2.0, 1.0)],
        "FilesFailed": [(1.0, 1.0)],
        "FilesSkipped": [(1.0, 1.0)],
        "RowsRead": [(5.0, 1.0)],
        "RowsWritten": [(2.0, 1.0)],
        "RowsQuarantined": [(3.0, 1.0)],
    }


def test_the_ledger_s_argument_key_and_item_version_are_the_contract_s(repository_root: Path) -> None:
    contract = (repository_root / "shared-constructs/src/contracts/ledger-item.ts").read_text(encoding="utf-8")

    assert f"LEDGER_TABLE_JOB_ARGUMENT = '--{TABLE_ARGUMENT}'" in contract
    assert f"LEDGER_ITEM_VERSION = {LEDGER_ITEM_VERSION};" in contract
    assert f"LEDGER_KEY = {{ partition: '{PARTITION_KEY}', sort: '{SORT_KEY}' }}" in contract


def test_the_metric_names_are_the_contract_s(repository_root: Path) -> None:
    contract = (repository_root / "shared-constructs/src/contracts/file-metrics.ts").read_text(encoding="utf-8")
    block = contract.split("export const JOB_FILE_METRICS = [", 1)[1].split("]", 1)[0]
    names = [word.strip().strip("',") for word in block.split(",") if word.strip()]
    assert tuple(names) == JOB_FILE_METRICS
    assert f"FILE_METRIC_DIMENSION = '{DIMENSION}'" in contract


def test_a_metrics_put_that_fails_is_logged_and_does_not_raise(
    spark: SparkSession, workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    workspace.write("a.csv", "id\n1\n")
    manifest = workspace.manifest("a.csv")
    report = workspace.run(spark, manifest)
    client = boto3.client("cloudwatch", region_name=REGION, aws_access_key_id="t", aws_secret_access_key="t")
    stub = Stubber(client)
    stub.add_client_error("put_metric_data", "AccessDenied", http_status_code=403)

    with stub, caplog.at_level(logging.ERROR, logger="file_processor.file_metrics"):
        recorded = record_outcome(
            OutcomeSinks(cloudwatch=client, metrics_namespace=NAMESPACE, clock=lambda: NOW), manifest, report, "r"
        )

    assert recorded.metrics_put is False
    assert '"RowsWritten": 1' in caplog.records[0].getMessage()
    assert [datum["MetricName"] for datum in metric_data(report, NOW)] == list(JOB_FILE_METRICS)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({}, None),
        ({"ledger_table": "t", "ledger_retention_days": "30"}, LedgerSettings("t", 30)),
        ({"ledger_table": "t", "ledger_retention_days": "400"}, LedgerSettings("t", 400)),
    ],
)
def test_the_ledger_arguments_in_either_spelling(arguments: dict[str, str], expected: LedgerSettings | None) -> None:
    assert ledger_settings(arguments) == expected


@pytest.mark.parametrize("retention", [None, "", "0", "ninety", "3651", "1.5"])
def test_a_ledger_table_without_a_usable_retention_is_refused_naming_the_argument(retention: str | None) -> None:
    arguments = {"ledger_table": "t", **({} if retention is None else {"ledger_retention_days": retention})}

    with pytest.raises(LedgerSettingsError, match=r"--ledger_retention_days: got .*expected a whole number of days"):
        ledger_settings(arguments)
