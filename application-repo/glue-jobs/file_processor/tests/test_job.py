"""Whole runs: idempotent re-runs, files of the same day side by side, isolation of failures, catalog and report."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from file_processor.catalog import CatalogError
from file_processor.catalog_model import CatalogOutcome, TableUpdate
from file_processor.file_execution import REPLACED_WHILE_READ
from file_processor.local_catalog import LocalJsonCatalog
from file_processor.object_store import LocalObjectStore, ObjectInfo
from file_processor.output_layout import source_id
from pyspark.sql import SparkSession

from .conftest import DATABASE, Workspace


def _ids(spark: SparkSession, workspace: Workspace) -> list[int]:
    return sorted(row["id"] for row in workspace.table_rows(spark).select("id").collect())


def test_running_the_same_manifest_twice_leaves_the_same_rows(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id,name\n1,x\n2,y\nbad\n")
    manifest = workspace.manifest("a.csv")
    workspace.run(spark, manifest, run_id="jr_1")
    first = sorted(map(tuple, workspace.table_rows(spark).select("id", "name").collect()))

    workspace.run(spark, manifest, run_id="jr_2")

    assert sorted(map(tuple, workspace.table_rows(spark).select("id", "name").collect())) == first
    assert workspace.quarantine_rows(spark).count() == 1
    jobs = {row["processing_job"] for row in workspace.table_rows(spark).select("processing_job").collect()}
    assert jobs == {"file-processor-test/jr_2"}


def test_two_files_of_the_same_day_are_both_kept(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n2\n")
    workspace.write("b.csv", "id\n3\n")

    workspace.run_files(spark, ["a.csv"], run_id="jr_1")
    workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert _ids(spark, workspace) == [1, 2, 3]
    sources = {row["source_id"] for row in workspace.table_rows(spark).select("source_id").collect()}
    assert len(sources) == 2


def test_a_new_version_of_the_same_key_gets_its_own_source_folder(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v1")), run_id="jr_1")

    workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v2")), run_id="jr_2")

    sources = {row["source_id"] for row in workspace.table_rows(spark).select("source_id").collect()}
    assert len(sources) == 2


def test_one_failing_file_does_not_stop_the_others_and_fails_the_run(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("good.csv", "id\n1\n")
    workspace.write("empty.csv", b"")
    broken_folder = source_id(workspace.object_for("empty.csv"))

    class FailingStore(LocalObjectStore):
        def delete_prefix(self, uri: str) -> int:
            if broken_folder in uri:
                raise OSError("disk on fire")
            return super().delete_prefix(uri)

    environment = replace(workspace.environment(), store=FailingStore())
    report = workspace.run(spark, workspace.manifest("empty.csv", "good.csv"), environment=environment)

    statuses = {Path(result.source_file).name: result.status for result in report.files}
    assert statuses == {"empty.csv": "failed", "good.csv": "succeeded"}
    assert report.files[0].reason == "OSError: disk on fire"
    assert report.status == "failed"
    assert _ids(spark, workspace) == [1]


def test_an_object_replaced_since_the_event_is_skipped(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    stale = replace(workspace.object_for("a.csv"), e_tag="an-older-etag")

    report = workspace.run(spark, workspace.manifest(stale))

    (result,) = report.files
    assert result.status == "skipped"
    assert result.reason is not None and "newer version" in result.reason
    assert report.status == "succeeded"


def test_an_object_replaced_while_it_is_read_keeps_no_rows_under_the_old_version(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n2\nbad\n")
    planned = workspace.object_for("a.csv")

    class ReplacedAfterPlanning(LocalObjectStore):
        """The first look (planning) sees the manifest's version; later looks see a newer one."""

        looks = 0

        def info(self, uri: str) -> ObjectInfo:
            ReplacedAfterPlanning.looks += 1
            current = super().info(uri)
            return current if ReplacedAfterPlanning.looks == 1 else replace(current, e_tag="a-newer-etag")

    environment = replace(workspace.environment(), store=ReplacedAfterPlanning())
    report = workspace.run(spark, workspace.manifest(planned), environment=environment)

    (result,) = report.files
    assert (result.status, result.reason) == ("skipped", REPLACED_WHILE_READ)
    folder = source_id(planned)
    assert not list(workspace.output.rglob(f"source_id={folder}"))
    assert report.status == "succeeded"


def test_two_runs_writing_one_object_at_once_fail_the_file_instead_of_hiding_the_duplicate(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n2\n")
    foreign = "part-00000-0b7e1d2c-4f6a-4e1b-9c3d-2a1f0e9d8c7b-c000.snappy.parquet"

    class AnotherRunWritesToo(LocalObjectStore):
        """Just after this run's write, a concurrent run's part file lands in the same data folder."""

        def list_names(self, uri: str) -> list[str]:
            if "/quarantine/" not in uri and Path(uri).exists():
                (Path(uri) / foreign).write_bytes(b"another run's rows")
            return super().list_names(uri)

    environment = replace(workspace.environment(), store=AnotherRunWritesToo())
    report = workspace.run(spark, workspace.manifest("a.csv"), environment=environment)

    (result,) = report.files
    assert result.status == "failed"
    assert result.reason is not None and result.reason.startswith("ConcurrentWriteError: 2 runs wrote")
    assert report.status == "failed"


def test_an_object_deleted_since_the_event_is_skipped(spark: SparkSession, workspace: Workspace) -> None:
    report = workspace.run(spark, workspace.manifest(workspace.object_for("gone.csv")))

    (result,) = report.files
    assert (result.status, result.reason) == ("skipped", "the object no longer exists (deleted after the upload event)")


def test_the_first_run_creates_the_table_and_registers_each_written_partition(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id,amount\n1,2.50\n")
    workspace.write("b.csv", "id,amount\n2,3.75\n")

    report = workspace.run_files(spark, ["a.csv", "b.csv"])

    document = workspace.catalog.read("orders")
    assert document is not None
    assert report.catalog.outcome is not None and report.catalog.outcome.action == "created"
    columns = [(c["Name"], c["Type"]) for c in document["Table"]["StorageDescriptor"]["Columns"]]
    assert columns[:2] == [("id", "int"), ("amount", "decimal(38,2)")]
    locations = sorted(p["StorageDescriptor"]["Location"] for p in document["Partitions"].values())
    assert locations == sorted(r.output_path + "/" for r in report.files if r.output_path)


def test_quarantined_rows_are_catalogued_in_their_own_table_next_to_the_data(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("good.csv", "id\n1\n")
    workspace.write("mixed.csv", "id\n2\nnot-a-number\n")

    report = workspace.run_files(spark, ["good.csv", "mixed.csv"])

    document = workspace.catalog.read("orders__quarantine")
    assert document is not None
    assert report.quarantine_catalog.outcome is not None and report.quarantine_catalog.outcome.action == "created"
    columns = [(c["Name"], c["Type"]) for c in document["Table"]["StorageDescriptor"]["Columns"]]
    assert columns == [
        ("raw_record", "string"),
        ("reason", "string"),
        ("processed_at", "timestamp"),
        ("source_file", "string"),
        ("processing_job", "string"),
    ]
    assert document["Table"]["StorageDescriptor"]["Location"] == workspace.layout.quarantine_location("orders")
    (partition,) = document["Partitions"].values()
    (mixed,) = [result for result in report.files if result.rows_quarantined]
    assert partition["Values"] == [mixed.ingest_date.isoformat(), mixed.source_id]
    assert partition["StorageDescriptor"]["Location"] == f"{mixed.quarantine_path}/"
    (row,) = spark.read.parquet(partition["StorageDescriptor"]["Location"]).collect()
    assert (row["raw_record"], row["reason"]) == ("not-a-number", "column 'id' expects int, got 'not-a-number'")


def test_a_run_without_bad_rows_creates_no_quarantine_table(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("good.csv", "id\n1\n")

    report = workspace.run_files(spark, ["good.csv"], run_id="jr_3")

    assert workspace.catalog.read("orders__quarantine") is None
    written = json.loads((workspace.output / "assets" / "reports" / "file-processor-test" / "jr_3.json").read_text())
    assert written["quarantineCatalog"] == {"table": "orders__quarantine", "action": "none", "error": None}
    assert report.status == "succeeded"


def test_a_refused_quarantine_table_fails_the_run_and_keeps_the_data_table(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("mixed.csv", "id,name\n1,x\n2,y,one field too many\n")

    class RefusingCatalog(LocalJsonCatalog):
        def publish(self, update: TableUpdate) -> CatalogOutcome:
            if update.table.endswith("__quarantine"):
                raise CatalogError("AccessDeniedException")
            return super().publish(update)

    environment = replace(workspace.environment(), catalog=RefusingCatalog(workspace.output / "catalog", DATABASE))
    report = workspace.run(spark, workspace.manifest("mixed.csv"), environment=environment)

    assert report.status == "failed"
    assert report.catalog_errors == ["orders__quarantine: CatalogError: AccessDeniedException"]
    assert workspace.catalog.read("orders") is not None
    assert report.to_json()["quarantineCatalog"]["action"] == "failed"


def test_a_later_file_with_new_columns_adds_them_to_the_table(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("b.csv", "id,city\n2,Lyon\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    report = workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert report.catalog.outcome is not None and report.catalog.outcome.action == "updated"
    assert [c.name for c in report.catalog.outcome.columns] == ["id", "city"]
    cities = {row["id"]: row["city"] for row in workspace.table_rows(spark).collect()}
    assert cities == {1: None, 2: "Lyon"}


def test_a_later_file_whose_values_conflict_with_the_table_type_is_checked_against_the_table(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id,qty\n1,5\n")
    workspace.write("b.csv", "id,qty\n2,six\n3,7\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    report = workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    (result,) = report.files
    assert [(c.column, c.file_type, c.table_type) for c in result.conflicts] == [("qty", "string", "int")]
    assert (result.rows_written, result.rows_quarantined) == (1, 1)
    (reason,) = [row["reason"] for row in workspace.quarantine_rows(spark).collect()]
    assert reason == "column 'qty' expects int, got 'six'"
    assert workspace.catalog.data_columns("orders") is not None
    assert [c.type for c in workspace.catalog.data_columns("orders") or []] == ["int", "int"]


def test_large_integers_widen_an_int_column_to_bigint(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("b.csv", "id\n5000000000\n")
    workspace.run_files(spark, ["a.csv"], run_id="jr_1")

    report = workspace.run_files(spark, ["b.csv"], run_id="jr_2")

    assert report.files[0].rows_written == 1
    assert [c.type for c in workspace.catalog.data_columns("orders") or []] == ["bigint"]


def test_files_of_one_manifest_are_typed_in_manifest_order(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id,code\n1,10\n")
    workspace.write("b.csv", "id,code\n2,A7\n")

    report = workspace.run_files(spark, ["a.csv", "b.csv"])

    assert [r.rows_quarantined for r in report.files] == [0, 1]
    assert [c.type for c in workspace.catalog.data_columns("orders") or []] == ["int", "int"]


def test_the_report_is_written_where_operators_and_the_smoke_test_look(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n")
    workspace.write("latin1.csv", "id\n\xe9\n".encode("latin-1"))

    workspace.run_files(spark, ["a.csv", "latin1.csv"], run_id="jr_9")

    report = json.loads((workspace.output / "assets" / "reports" / "file-processor-test" / "jr_9.json").read_text())
    assert report["database"] == DATABASE
    assert report["totals"] == {
        "files": 2,
        "filesSucceeded": 1,
        "filesQuarantined": 1,
        "filesSkipped": 0,
        "filesFailed": 0,
        "rowsRead": 1,
        "rowsWritten": 1,
        "rowsQuarantined": 0,
        "inputPasses": 1.0,
    }
    assert report["catalog"]["partitionsCreated"] == 1
    assert [f["status"] for f in report["files"]] == ["succeeded", "quarantined"]
