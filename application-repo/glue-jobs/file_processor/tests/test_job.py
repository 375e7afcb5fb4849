"""Whole runs against Iceberg tables: one copy of every object version's rows however often it is processed, a new
version replacing or joining the old, runs at once, failed runs, skipped and failed files, schema and report."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from file_processor import observed_read, table_commit
from file_processor.dataset_settings import DatasetRegistry, DatasetSettings, NewVersionPolicy
from file_processor.file_plan import SUPERSEDED, VERSION_GONE
from file_processor.job import REPLACED_WHILE_READ, REPLACED_WHILE_READ_APPEND, JobSettings
from file_processor.object_store import LocalObjectStore, ObjectInfo
from file_processor.run_report import FileStatus, RunReport, RunStatus
from file_processor.table_commit import CommitStatus, TableRefs
from file_processor.tables import TABLE_PROPERTIES
from pyspark.sql import SparkSession

from .conftest import JOB_NAME, Workspace


def _rows(spark: SparkSession, workspace: Workspace, *columns: str) -> list[tuple[Any, ...]]:
    rows = [tuple(row) for row in workspace.table_rows(spark).select(*columns).collect()]
    return sorted(rows, key=lambda row: tuple((value is not None, value) for value in row))


def _main_snapshot(spark: SparkSession, workspace: Workspace, table: str = "orders") -> int | None:
    refs = spark.sql(f"SELECT snapshot_id FROM {workspace.table(table).identifier}.refs WHERE name = 'main'").collect()
    return int(refs[0]["snapshot_id"]) if refs else None


def _branches(spark: SparkSession, workspace: Workspace, table: str = "orders") -> list[str]:
    return sorted(
        row["name"] for row in spark.sql(f"SELECT name FROM {workspace.table(table).identifier}.refs").collect()
    )


WRITE_PATHS = pytest.mark.parametrize(
    "write_path", [JobSettings(), JobSettings(one_pass_max_files=0)], ids=["one pass", "from the cache"]
)
"""A run of few files is read once, by its write; one of many is cached first (JobSettings.one_pass_max_files)."""


def _settings(policy: NewVersionPolicy, **columns: str) -> JobSettings:
    return JobSettings(datasets=DatasetRegistry({"orders": DatasetSettings(columns, policy)}))


def test_running_the_same_manifest_twice_leaves_one_copy_of_each_row(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id,name\n1,x\n2,y\n3,z,extra\n")
    manifest = workspace.manifest("a.csv")
    workspace.run(spark, manifest, run_id="jr_1")

    second = workspace.run(spark, manifest, run_id="jr_2")

    assert second.status == RunStatus.SUCCEEDED
    assert _rows(spark, workspace, "id", "name", "processing_job") == [
        (1, "x", f"{JOB_NAME}/jr_2"),
        (2, "y", f"{JOB_NAME}/jr_2"),
    ]
    assert workspace.quarantine_rows(spark).count() == 1
    assert (second.files[0].rows_written, second.files[0].rows_quarantined) == (2, 1)
    assert {commit.rows_removed for commit in second.commits} == {2, 1}


def test_a_duplicate_event_in_another_manifest_leaves_one_copy(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n2\n")
    workspace.write("b.csv", "id\n3\n")
    workspace.run(spark, workspace.manifest("a.csv"), run_id="jr_1")

    workspace.run(spark, workspace.manifest("b.csv", "a.csv"), run_id="jr_2")

    assert _rows(spark, workspace, "id") == [(1,), (2,), (3,)]


def test_files_of_many_runs_share_one_day_partition(spark: SparkSession, workspace: Workspace) -> None:
    for index in range(3):
        workspace.write(f"f{index}.csv", f"id\n{index}\n")
        workspace.run_files(spark, [f"f{index}.csv"], run_id=f"jr_{index}")

    partitions = spark.sql(f"SELECT partition FROM {workspace.table().identifier}.partitions").collect()

    assert len(partitions) == 1
    assert _rows(spark, workspace, "id") == [(0,), (1,), (2,)]


def test_tables_are_iceberg_partitioned_by_day_of_processing_with_the_platform_properties(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.run_files(spark, ["a.csv"])

    properties = {
        row["key"]: row["value"] for row in spark.sql(f"SHOW TBLPROPERTIES {workspace.table().identifier}").collect()
    }
    description = spark.sql(f"DESCRIBE TABLE EXTENDED {workspace.table().identifier}").collect()

    assert properties["format-version"] == "2"
    for key in ("write.delete.mode", "write.distribution-mode", "managed_by"):
        assert properties[key] == TABLE_PROPERTIES[key]
    assert any("days(processed_at)" in str(row["data_type"]) for row in description)


def test_a_new_version_of_a_key_replaces_the_older_version_s_rows_by_default(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id,name\n1,x\n2,y\n3\n")
    workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v1")), run_id="jr_1")
    workspace.write("a.csv", "id,name\n10,z\n")

    report = workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v2")), run_id="jr_2")

    assert report.status == RunStatus.SUCCEEDED
    assert _rows(spark, workspace, "id", "source_version") == [(10, "v2")]
    assert workspace.quarantine_rows(spark).count() == 0


def test_with_the_append_policy_a_new_version_joins_the_older_and_a_repeat_still_leaves_one_copy(
    spark: SparkSession, workspace: Workspace
) -> None:
    settings = _settings(NewVersionPolicy.APPEND)
    workspace.write("a.csv", "id\n1\n")
    v1 = workspace.manifest(workspace.object_for("a.csv", version_id="v1"))
    workspace.run(spark, v1, run_id="jr_1", settings=settings)
    workspace.write("a.csv", "id\n2\n")
    v2 = workspace.manifest(workspace.object_for("a.csv", version_id="v2"))

    workspace.run(spark, v2, run_id="jr_2", settings=settings)
    workspace.run(spark, v2, run_id="jr_3", settings=settings)

    assert _rows(spark, workspace, "id", "source_version") == [(1, "v1"), (2, "v2")]


def test_an_empty_new_version_removes_the_older_version_s_rows(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v1")), run_id="jr_1")
    workspace.write("a.csv", "id\n")

    report = workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v2")), run_id="jr_2")

    assert report.files[0].status == FileStatus.SUCCEEDED
    assert workspace.table_rows(spark).count() == 0


def test_a_run_that_commits_while_another_is_staging_makes_the_other_retry_and_both_succeed(
    spark: SparkSession, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.write("a.csv", "id\n1\n2\n")
    workspace.write("b.csv", "id\n3\n")
    publish = table_commit._publish
    reports: list[RunReport] = []

    def publish_after_another_run(refs: TableRefs, branch: str, base: int | None) -> int:
        if not reports and branch == "run_jr_1":
            reports.append(workspace.run(spark, workspace.manifest("a.csv", "b.csv"), run_id="jr_2"))
        return publish(refs, branch, base)

    monkeypatch.setattr(table_commit, "_publish", publish_after_another_run)
    first = workspace.run(spark, workspace.manifest("a.csv"), run_id="jr_1")

    assert first.status == RunStatus.SUCCEEDED and reports[0].status == RunStatus.SUCCEEDED
    assert first.commits[0].attempts == 2
    assert _rows(spark, workspace, "id", "processing_job") == [
        (1, f"{JOB_NAME}/jr_1"),
        (2, f"{JOB_NAME}/jr_1"),
        (3, f"{JOB_NAME}/jr_2"),
    ]
    assert _branches(spark, workspace) == ["main"]


def test_a_rollback_while_a_run_stages_is_not_undone_by_its_publish(
    spark: SparkSession, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.write("good.csv", "id\n1\n")
    workspace.write("bad-load.csv", "id\n666\n")
    workspace.write("next.csv", "id\n2\n")
    workspace.run_files(spark, ["good.csv"], run_id="jr_1")
    good = _main_snapshot(spark, workspace)
    workspace.run_files(spark, ["bad-load.csv"], run_id="jr_2")
    publish = table_commit._publish
    rolled_back: list[bool] = []

    def roll_back_then_publish(refs: TableRefs, branch: str, base: int | None) -> int:
        if not rolled_back and refs.name.table == "orders":
            spark.sql(f"CALL glue_catalog.system.rollback_to_snapshot({refs.name.procedure_argument}, {good})")
            rolled_back.append(True)
        return publish(refs, branch, base)

    monkeypatch.setattr(table_commit, "_publish", roll_back_then_publish)
    report = workspace.run_files(spark, ["next.csv"], run_id="jr_3")

    assert report.commits[0].attempts == 2
    assert _rows(spark, workspace, "id") == [(1,), (2,)]


def test_two_runs_of_one_manifest_in_parallel_threads_leave_one_copy(spark: SparkSession, workspace: Workspace) -> None:
    from concurrent.futures import ThreadPoolExecutor

    # The table exists first, as it does for every run but a dataset's very first: the runs race on the commit.
    workspace.write("earlier.csv", "id\n100\n")
    workspace.run_files(spark, ["earlier.csv"], run_id="jr_0")
    for index in range(4):
        workspace.write(f"f{index}.csv", f"id\n{index}\n{index + 10}\n")
    manifest = workspace.manifest(*[f"f{index}.csv" for index in range(4)])

    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = list(pool.map(lambda run_id: workspace.run(spark, manifest, run_id=run_id), ["jr_a", "jr_b"]))

    assert [report.status for report in reports] == [RunStatus.SUCCEEDED, RunStatus.SUCCEEDED]
    expected = sorted([(100,), *((value,) for index in range(4) for value in (index, index + 10))])
    assert _rows(spark, workspace, "id") == expected


def test_a_run_that_fails_while_staging_leaves_each_table_at_its_previous_snapshot(
    spark: SparkSession, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v1")), run_id="jr_1")
    before = _main_snapshot(spark, workspace)
    workspace.write("a.csv", "id\n2\n3\n")

    def failing_append(*args: object) -> int:
        raise OSError("the network went away mid-write")

    monkeypatch.setattr(table_commit, "_append", failing_append)
    report = workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v2")), run_id="jr_2")

    assert report.status == RunStatus.FAILED
    assert report.commits[0].status == CommitStatus.FAILED
    assert "the network went away" in str(report.commits[0].error)
    assert report.files[0].status == FileStatus.FAILED
    assert _main_snapshot(spark, workspace) == before
    assert _rows(spark, workspace, "id", "source_version") == [(1, "v1")]
    assert _branches(spark, workspace) == ["main"]


def test_an_object_whose_notified_version_is_gone_fails_the_file_and_the_run(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("good.csv", "id\n1\n")
    gone = workspace.object_for("gone.csv")

    report = workspace.run(spark, workspace.manifest(gone, "good.csv"))

    assert [result.status for result in report.files] == [FileStatus.FAILED, FileStatus.SUCCEEDED]
    assert report.files[0].reason == VERSION_GONE
    assert report.status == RunStatus.FAILED
    assert _rows(spark, workspace, "id") == [(1,)]


def test_an_object_replaced_since_the_event_is_skipped_and_with_append_it_fails(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n")
    stale = replace(workspace.object_for("a.csv"), e_tag="an-older-etag")

    replaced = workspace.run(spark, workspace.manifest(stale), run_id="jr_1")
    appended = workspace.run(
        spark, workspace.manifest(stale), run_id="jr_2", settings=_settings(NewVersionPolicy.APPEND)
    )

    assert (replaced.files[0].status, replaced.files[0].reason) == (FileStatus.SKIPPED, SUPERSEDED)
    assert replaced.status == RunStatus.SUCCEEDED
    assert appended.files[0].status == FileStatus.FAILED
    assert not workspace.table_exists(spark)


class _ReplacedAfterPlanning(LocalObjectStore):
    """The named file reports a newer version from its `after`-th look on: replaced while the run read it."""

    def __init__(self, name: str, after: int) -> None:
        self._name = name
        self._after = after
        self._looks = 0

    def info(self, uri: str) -> ObjectInfo:
        found = super().info(uri)
        if not uri.endswith(self._name):
            return found
        self._looks += 1
        return found if self._looks < self._after else replace(found, e_tag="a-newer-version")


@WRITE_PATHS
def test_an_object_replaced_while_it_is_read_commits_none_of_its_rows(
    spark: SparkSession, workspace: Workspace, write_path: JobSettings
) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("b.csv", "id\n2\n")
    environment = replace(workspace.environment(), store=_ReplacedAfterPlanning("a.csv", after=2))

    report = workspace.run(spark, workspace.manifest("a.csv", "b.csv"), environment=environment, settings=write_path)

    assert [(result.status, result.reason) for result in report.files] == [
        (FileStatus.SKIPPED, REPLACED_WHILE_READ),
        (FileStatus.SUCCEEDED, None),
    ]
    assert _rows(spark, workspace, "id") == [(2,)]
    # Looks: planning, then after the data table's append: that one finds it, and the change is staged again.
    assert report.commits[0].attempts == 2


@WRITE_PATHS
def test_with_append_an_object_replaced_while_read_puts_none_of_its_bad_rows_in_the_quarantine(
    spark: SparkSession, workspace: Workspace, write_path: JobSettings
) -> None:
    workspace.write("a.csv", "id\n1\nnope\n")
    workspace.write("b.csv", "id\n2\nnah\n")
    environment = replace(workspace.environment(), store=_ReplacedAfterPlanning("a.csv", after=2))
    settings = replace(write_path, datasets=_settings(NewVersionPolicy.APPEND, id="int").datasets)

    report = workspace.run(spark, workspace.manifest("a.csv", "b.csv"), environment=environment, settings=settings)

    assert [(result.status, result.reason) for result in report.files] == [
        (FileStatus.FAILED, REPLACED_WHILE_READ_APPEND),
        (FileStatus.SUCCEEDED, None),
    ]
    assert _rows(spark, workspace, "id") == [(2,)]
    assert [row["raw_record"] for row in workspace.quarantine_rows(spark).collect()] == ["nah"]


def test_one_file_s_storage_error_does_not_stop_the_others_and_fails_the_run(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("good.csv", "id\n1\n")
    workspace.write("broken.csv", "id\n2\n")

    class FailingStore(LocalObjectStore):
        def read_bytes(self, uri: str, max_bytes: int | None = None) -> bytes:
            if uri.endswith("broken.csv"):
                raise OSError("disk on fire")
            return super().read_bytes(uri, max_bytes)

    environment = replace(workspace.environment(), store=FailingStore())
    report = workspace.run(spark, workspace.manifest("broken.csv", "good.csv"), environment=environment)

    assert [(result.status, result.reason) for result in report.files] == [
        (FileStatus.FAILED, "OSError: disk on fire"),
        (FileStatus.SUCCEEDED, None),
    ]
    assert report.status == RunStatus.FAILED
    assert _rows(spark, workspace, "id") == [(1,)]


def test_a_run_without_bad_rows_creates_no_quarantine_table(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")

    report = workspace.run_files(spark, ["a.csv"])

    assert [commit.status for commit in report.commits] == [CommitStatus.COMMITTED, CommitStatus.UNCHANGED]
    assert not workspace.table_exists(spark, "orders__quarantine")


def test_quarantined_rows_keep_the_raw_record_the_reason_and_the_source(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id,name\n1,x\n2,y\n")
    workspace.write("b.csv", "id,name\nnope,y\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    (row,) = workspace.quarantine_rows(spark).collect()
    assert (row["raw_record"], row["reason"], row["source_key"], row["processing_job"]) == (
        "nope,y",
        "column 'id' expects int, got 'nope'",
        "local/b.csv",
        f"{JOB_NAME}/jr_2",
    )


def test_a_later_file_with_new_columns_adds_them_before_the_metadata_columns(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("b.csv", "id,note\n2,hello\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert workspace.table_rows(spark).columns[:3] == ["id", "note", "processed_at"]
    assert _rows(spark, workspace, "id", "note") == [(1, None), (2, "hello")]


def test_values_that_conflict_with_the_table_type_are_quarantined_and_the_conflict_reported(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "amount\n1\n")
    workspace.write("b.csv", "amount\nlots\n2\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    report = workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert [(c.column, c.file_type, c.table_type) for c in report.files[0].conflicts] == [("amount", "string", "int")]
    assert (report.files[0].rows_written, report.files[0].rows_quarantined) == (1, 1)


def test_large_integers_widen_an_int_column_to_bigint(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("b.csv", "id\n9000000000\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert dict(workspace.table_rows(spark).dtypes)["id"] == "bigint"
    assert _rows(spark, workspace, "id") == [(1,), (9000000000,)]


def test_files_of_one_manifest_with_different_columns_are_read_in_one_run(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id,name\n1,x\n")
    workspace.write("b.csv", "name,id,extra\ny,2,true\n")

    report = workspace.run_files(spark, ["a.csv", "b.csv"])

    assert report.status == RunStatus.SUCCEEDED
    assert _rows(spark, workspace, "id", "name", "extra") == [(1, "x", None), (2, "y", True)]


def test_declared_column_types_win_over_inference_so_one_mistyped_value_is_quarantined(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "amount,code\n1.50,\n2.25,007\noops,9\n")
    settings = _settings(NewVersionPolicy.REPLACE, amount="decimal(38,2)", code="string")

    report = workspace.run_files(spark, ["a.csv"], settings=settings)

    assert dict(workspace.table_rows(spark).dtypes)["amount"] == "decimal(38,2)"
    assert _rows(spark, workspace, "code") == [(None,), ("007",)]
    assert report.files[0].rows_quarantined == 1


@WRITE_PATHS
def test_every_file_s_counts_reconcile_with_what_the_tables_hold(
    spark: SparkSession, workspace: Workspace, write_path: JobSettings
) -> None:
    workspace.write("a.csv", "id,name\n1,a\n2,b\n9\n")
    workspace.write("b.csv", "id,name\n3,c\n4\n5,e,f\n")

    report = workspace.run_files(spark, ["a.csv", "b.csv"], settings=write_path)

    held = {
        row["source_key"]: row["count"] for row in workspace.table_rows(spark).groupBy("source_key").count().collect()
    }
    bad = {
        row["source_key"]: row["count"]
        for row in workspace.quarantine_rows(spark).groupBy("source_key").count().collect()
    }
    for result in report.files:
        assert result.rows_read == result.rows_written + result.rows_quarantined
        assert (result.rows_written, result.rows_quarantined) == (held[result.source_key], bad[result.source_key])
        assert result.snapshot_id == report.commits[0].snapshot_id
    assert report.quarantine_ratio == pytest.approx(3 / 6)


def test_a_run_whose_tasks_hold_more_bad_rows_than_they_hand_over_quarantines_them_all(
    spark: SparkSession, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(observed_read, "BAD_ROWS_PER_TASK", 1)
    workspace.write("a.csv", "id,name\n1,a\nx,b\ny,c\n4\n")

    report = workspace.run_files(spark, ["a.csv"], settings=_settings(NewVersionPolicy.REPLACE, id="int"))

    (result,) = report.files
    assert (result.status, result.rows_read, result.rows_written, result.rows_quarantined) == (
        FileStatus.SUCCEEDED,
        4,
        1,
        3,
    )
    raw = sorted(row["raw_record"] for row in workspace.quarantine_rows(spark).collect())
    assert raw == ["4", "x,b", "y,c"]


def test_the_report_is_written_where_the_smoke_test_looks_in_the_shape_of_the_shared_fixture(
    spark: SparkSession, workspace: Workspace, repository_root: Path
) -> None:
    workspace.write("a.csv", "id,Name\n1,x\nbad,y\n")

    workspace.run_files(spark, ["a.csv"], run_id="jr_report")

    written = json.loads(Path(workspace.layout.report(JOB_NAME, "jr_report")).read_text(encoding="utf-8"))
    fixture = json.loads((repository_root / "shared-constructs/fixtures/run-report.json").read_text(encoding="utf-8"))
    assert set(written) == set(fixture)
    assert set(written["totals"]) == set(fixture["totals"])
    assert {key for commit in fixture["commits"] for key in commit} == set(written["commits"][0])
    assert set(written["files"][0]) == {key for file in fixture["files"] for key in file}
    assert written["reportVersion"] == fixture["reportVersion"]
    assert isinstance(written["commits"][0]["snapshotId"], str)
