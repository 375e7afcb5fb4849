"""One file through the real job on local Spark: parsing, typing, quarantine, metadata and the row invariant."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from file_processor.file_execution import QUARANTINE_DATA_COLUMNS
from file_processor.file_plan import PlannerSettings, plan_file
from file_processor.job import JobSettings
from file_processor.object_store import LocalObjectStore, ObjectInfo
from file_processor.run_report import FileResult, RunReport
from file_processor.table_schema import METADATA_COLUMNS
from pyspark.sql import SparkSession

from .conftest import PROCESSED_AT, Workspace

MESSY = (
    b"\xef\xbb\xbf"
    b"Order ID,Customer Name,Amount,Note\r\n"
    b'1,"M\xc3\xbcller, Anna",12.50,"He said ""hi""\r\nthen left"\r\n'
    b"2,Bob,7.00,plain\r\n"
    b"3,Carol,1.25\r\n"
    b"4,Dan,3.00,too,many\r\n"
    b'5,"Eve",,"empty amount"\r\n'
)


def _path(path: str | None) -> str:
    assert path is not None, "expected the file to have written this folder"
    return path


def _only_file(report: RunReport) -> FileResult:
    (result,) = report.files
    return result


def _records_in(path: str) -> int:
    """Data records of a CSV file as Python's csv module reads it (blank lines skipped, as Spark does)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return max(len(rows) - 1, 0)


def _assert_invariant_against_output(spark: SparkSession, workspace: Workspace, result: FileResult) -> None:
    """Rows read are the file's records, counted independently; counts in the report equal rows on disk; and
    written + quarantined == read."""
    assert result.rows_read == _records_in(result.source_file)
    written = spark.read.parquet(result.output_path).count() if result.output_path else 0
    quarantined = spark.read.parquet(result.quarantine_path).count() if result.quarantine_path else 0
    assert (written, quarantined) == (result.rows_written, result.rows_quarantined)
    assert result.rows_written + result.rows_quarantined == result.rows_read


def test_a_messy_file_is_read_with_bom_crlf_quoted_newlines_and_doubled_quotes(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    result = _only_file(workspace.run_files(spark, ["messy.csv"]))

    rows = {row["order_id"]: row for row in spark.read.parquet(_path(result.output_path)).collect()}
    assert rows[1]["customer_name"] == "Müller, Anna"
    assert rows[1]["note"] == 'He said "hi"\nthen left'
    assert rows[2]["amount"] == Decimal("7.00")
    assert rows[5]["amount"] is None
    assert [(c.name, c.type) for c in result.columns] == [
        ("order_id", "int"),
        ("customer_name", "string"),
        ("amount", "decimal(38,2)"),
        ("note", "string"),
    ]


def test_records_with_the_wrong_number_of_fields_are_quarantined_with_the_raw_line(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    result = _only_file(workspace.run_files(spark, ["messy.csv"]))

    quarantined = {row["raw_record"]: row for row in spark.read.parquet(_path(result.quarantine_path)).collect()}
    assert set(quarantined) == {"3,Carol,1.25", "4,Dan,3.00,too,many"}
    assert all("the header has 4 fields" in row["reason"] for row in quarantined.values())
    assert all(row["source_file"] == str(workspace.input / "messy.csv") for row in quarantined.values())
    assert (result.rows_read, result.rows_written, result.rows_quarantined) == (5, 3, 2)
    assert spark.read.parquet(_path(result.quarantine_path)).columns == [
        column.name for column in (*QUARANTINE_DATA_COLUMNS, *METADATA_COLUMNS)
    ]
    _assert_invariant_against_output(spark, workspace, result)


def test_written_parquet_holds_the_data_columns_then_the_metadata_columns(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    result = _only_file(workspace.run_files(spark, ["messy.csv"]))

    schema = spark.read.parquet(_path(result.output_path)).schema
    assert [(field.name, field.dataType.simpleString()) for field in schema.fields] == [
        ("order_id", "int"),
        ("customer_name", "string"),
        ("amount", "decimal(38,2)"),
        ("note", "string"),
        ("processed_at", "timestamp"),
        ("source_file", "string"),
        ("processing_job", "string"),
    ]


def test_values_beyond_the_sample_that_do_not_fit_the_inferred_type_are_quarantined(
    spark: SparkSession, workspace: Workspace
) -> None:
    lines = ["id,amount"] + [f"{index},{index}.50" for index in range(200)] + ["200,lots", "201,1.5e3", "202,9.99"]
    workspace.write("big.csv", "\n".join(lines) + "\n")
    settings = JobSettings(planner=PlannerSettings(sample_bytes=256))

    result = _only_file(workspace.run_files(spark, ["big.csv"], settings=settings))

    reasons = {row["raw_record"]: row["reason"] for row in spark.read.parquet(_path(result.quarantine_path)).collect()}
    assert reasons == {
        "200,lots": "column 'amount' expects decimal(38,2), got 'lots'",
        "201,1.5e3": "column 'amount' expects decimal(38,2), got '1.5e3'",
    }
    assert (result.rows_read, result.rows_written) == (203, 201)
    _assert_invariant_against_output(spark, workspace, result)


def test_every_written_row_carries_the_run_metadata(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n2\n")

    result = _only_file(workspace.run_files(spark, ["a.csv"], run_id="jr_42"))

    rows = (
        spark.read.parquet(_path(result.output_path))
        .select("processed_at", "source_file", "processing_job")
        .distinct()
        .collect()
    )
    assert [row.asDict() for row in rows] == [
        {
            "processed_at": PROCESSED_AT.replace(tzinfo=None),
            "source_file": str(workspace.input / "a.csv"),
            "processing_job": "file-processor-test/jr_42",
        }
    ]


def test_output_goes_to_the_ingest_date_of_the_event_and_the_object_s_source_folder(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("a.csv", "id\n1\n")
    obj = workspace.object_for("a.csv", event_time=datetime.fromisoformat("2026-11-23T23:30:00-02:00"))

    result = _only_file(workspace.run(spark, workspace.manifest(obj)))

    assert result.ingest_date == date(2026, 11, 24)
    assert result.output_path == workspace.layout.data_partition("orders", date(2026, 11, 24), result.source_id)
    assert Path(result.output_path).is_dir()


def test_an_empty_file_succeeds_with_zero_rows_and_writes_nothing(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("empty.csv", b"")

    report = workspace.run_files(spark, ["empty.csv"])

    result = _only_file(report)
    assert (result.status, result.rows_read, result.reason) == ("succeeded", 0, "the file is empty")
    assert report.status == "succeeded"
    assert not (workspace.output / "data" / "orders").exists()
    assert report.catalog.outcome is None and report.quarantine_catalog.outcome is None


def test_a_header_only_file_succeeds_with_zero_rows_and_does_not_create_the_table(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("header.csv", b"\xef\xbb\xbfa,b\r\n")

    result = _only_file(workspace.run_files(spark, ["header.csv"]))

    assert (result.status, result.rows_read, result.rows_written) == ("succeeded", 0, 0)
    assert [column.name for column in result.columns] == ["a", "b"]
    assert workspace.catalog.data_columns("orders") is None


def test_a_file_that_is_not_utf8_is_quarantined_whole(spark: SparkSession, workspace: Workspace) -> None:
    original = "id,name\n1,M\u00fcller\n".encode("latin-1")
    workspace.write("latin1.csv", original)

    result = _only_file(workspace.run_files(spark, ["latin1.csv"]))

    assert result.status == "quarantined"
    assert result.reason is not None and "not valid UTF-8" in result.reason
    assert result.quarantine_path is not None and "/_files/" in result.quarantine_path
    assert Path(result.quarantine_path).read_bytes() == original


def test_a_binary_file_is_quarantined_whole(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")

    result = _only_file(workspace.run_files(spark, ["image.csv"]))

    assert result.status == "quarantined"
    assert result.reason is not None and "binary" in result.reason


def test_file_names_with_spaces_plus_and_glob_characters_are_read_literally(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("orders 1+2 [eu]{x}.csv", "id\n1\n")
    workspace.write("orders 1+2 eu.csv", "id\n99\n")

    result = _only_file(workspace.run_files(spark, ["orders 1+2 [eu]{x}.csv"]))

    assert [row["id"] for row in spark.read.parquet(_path(result.output_path)).collect()] == [1]


def test_a_quoted_newline_first_appearing_beyond_the_sample_stays_inside_its_record(
    spark: SparkSession, workspace: Workspace
) -> None:
    lines = "".join(f"{index},plain {index}\n" for index in range(3000))
    workspace.write("late-newline.csv", f'id,note\n{lines}3000,"first line\nsecond line"\n3001,after\n')
    settings = JobSettings(planner=PlannerSettings(sample_bytes=256))

    result = _only_file(workspace.run_files(spark, ["late-newline.csv"], settings=settings))

    assert result.read_mode == "multi-line"
    note = spark.read.parquet(_path(result.output_path)).filter("id = 3000").first()
    assert note is not None and note["note"] == "first line\nsecond line"
    assert (result.rows_written, result.rows_quarantined) == (3002, 0)
    _assert_invariant_against_output(spark, workspace, result)


def test_by_default_even_a_very_large_file_is_read_multi_line(workspace: Workspace) -> None:
    path = workspace.write("huge.csv", "id,note\n1,a\n")

    class HugeFiles(LocalObjectStore):
        def info(self, uri: str) -> ObjectInfo:
            return replace(super().info(uri), size=50 * 1024**3)

    plan = plan_file(workspace.object_for("huge.csv"), str(path), HugeFiles(), None)

    assert (plan.size, plan.multi_line) == (50 * 1024**3, True)


def test_a_large_file_without_quoted_newlines_is_split_by_line_and_gives_the_same_rows(
    spark: SparkSession, workspace: Workspace
) -> None:
    content = "id,name\n" + "".join(f'{index},"n, {index}"\n' for index in range(3000))
    workspace.write("large.csv", content)
    settings = JobSettings(planner=PlannerSettings(split_threshold_bytes=1024))

    result = _only_file(workspace.run_files(spark, ["large.csv"], settings=settings))

    assert result.read_mode == "line"
    assert (result.rows_read, result.rows_written) == (3000, 3000)
    names = spark.read.parquet(_path(result.output_path)).filter("id = 2999").first()
    assert names is not None and names["name"] == "n, 2999"


def test_spark_reads_the_input_once(spark: SparkSession, workspace: Workspace) -> None:
    content = "id,amount,flag\n" + "".join(f"{index},{index}.25,true\n" for index in range(5000))
    workspace.write("once.csv", content + "x,bad,row\n")
    settings = JobSettings(planner=PlannerSettings(sample_bytes=1024))

    report = workspace.run_files(spark, ["once.csv"], settings=settings)

    assert report.input_passes is not None
    assert 1.0 <= report.input_passes < 1.05
    assert _only_file(report).rows_quarantined == 1


def test_the_report_lists_counts_columns_and_original_headers(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("messy.csv", MESSY)

    report = workspace.run_files(spark, ["messy.csv"], run_id="jr_7")

    written = json.loads(Path(workspace.layout.report("file-processor-test", "jr_7")).read_text())
    assert written["status"] == "succeeded"
    assert written["totals"]["rowsRead"] == 5
    assert written["totals"]["rowsWritten"] + written["totals"]["rowsQuarantined"] == 5
    (entry,) = written["files"]
    assert entry["columns"][0] == {"name": "order_id", "type": "int", "header": "Order ID"}
    assert entry["status"] == "succeeded" and entry["seconds"] >= 0
    assert report.to_json() == written
