"""Files through the real job on local Spark and the local Iceberg catalog: parsing, typing, quarantine, metadata
and the row invariant, checked against what the tables hold."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from file_processor.file_plan import PlanAction, PlannerSettings, inspect_file
from file_processor.job import QUARANTINE_DATA_COLUMNS, JobSettings
from file_processor.layout import QUARANTINED_FILES_PREFIX
from file_processor.object_store import LocalObjectStore, ObjectInfo, local_e_tag
from file_processor.run_report import FileResult, FileStatus, RunReport, RunStatus
from file_processor.spark_session import session_settings
from file_processor.table_schema import METADATA_COLUMNS
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from .conftest import JOB_NAME, PROCESSED_AT, Workspace

MESSY = (
    b"\xef\xbb\xbf"
    b"Order ID,Customer Name,Amount,Note\r\n"
    b'1,"M\xc3\xbcller, Anna",12.50,"He said ""hi""\r\nthen left"\r\n'
    b"2,Bob,7.00,plain\r\n"
    b"3,Carol,1.25\r\n"
    b"4,Dan,3.00,too,many\r\n"
    b'5,"Eve",,"empty amount"\r\n'
)


def _only_file(report: RunReport) -> FileResult:
    (result,) = report.files
    return result


def _records_in(path: Path) -> int:
    """Data records of a CSV file as Python's csv module reads it (blank lines skipped, as Spark does)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row]
    return max(len(rows) - 1, 0)


def _of(frame: DataFrame, result: FileResult) -> DataFrame:
    return frame.where(F.col("source_key") == result.source_key)


def _rows_of(spark: SparkSession, workspace: Workspace, result: FileResult, table: str = "orders") -> DataFrame:
    return _of(workspace.table_rows(spark, table), result)


def _quarantined_of(spark: SparkSession, workspace: Workspace, result: FileResult) -> DataFrame:
    return _of(workspace.quarantine_rows(spark), result)


def _assert_invariant_against_tables(spark: SparkSession, workspace: Workspace, result: FileResult) -> None:
    """Rows read are the file's records, counted independently; the report's counts are the rows the tables hold
    under the file's source_key; and written + quarantined == read."""
    assert result.rows_read == _records_in(workspace.input / result.source_key.removeprefix("local/"))
    written = _rows_of(spark, workspace, result).count() if workspace.table_exists(spark) else 0
    quarantined = (
        _quarantined_of(spark, workspace, result).count() if workspace.table_exists(spark, "orders__quarantine") else 0
    )
    assert (written, quarantined) == (result.rows_written, result.rows_quarantined)
    assert result.rows_written + result.rows_quarantined == result.rows_read


@contextmanager
def _small_input_splits(spark: SparkSession, max_bytes: int) -> Iterator[None]:
    """Spark cuts a file read by line into splits of at most `max_bytes`; the suite's session is shared, so the
    setting is put back afterwards."""
    names = ("spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes")
    with session_settings(spark, dict.fromkeys(names, str(max_bytes))):
        yield


def _sorted_data(frame: DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    return sorted(tuple(row) for row in frame.select(*columns).collect())


def test_a_messy_file_is_read_with_bom_crlf_quoted_newlines_and_doubled_quotes(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    result = _only_file(workspace.run_files(spark, ["messy.csv"]))

    rows = {row["order_id"]: row for row in _rows_of(spark, workspace, result).collect()}
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
    _assert_invariant_against_tables(spark, workspace, result)


def test_records_with_the_wrong_number_of_fields_are_quarantined_with_the_raw_line(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    result = _only_file(workspace.run_files(spark, ["messy.csv"]))

    quarantined = {row["raw_record"]: row for row in _quarantined_of(spark, workspace, result).collect()}
    assert set(quarantined) == {"3,Carol,1.25", "4,Dan,3.00,too,many"}
    assert all("the header has 4 fields" in row["reason"] for row in quarantined.values())
    assert all(row["source_file"] == "s3://local/messy.csv" for row in quarantined.values())
    assert (result.status, result.rows_read, result.rows_written, result.rows_quarantined) == (
        FileStatus.SUCCEEDED,
        5,
        3,
        2,
    )
    _assert_invariant_against_tables(spark, workspace, result)


def test_the_quarantine_table_holds_the_raw_record_and_reason_then_the_metadata_columns(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    workspace.run_files(spark, ["messy.csv"])

    assert workspace.quarantine_rows(spark).columns == [
        column.name for column in (*QUARANTINE_DATA_COLUMNS, *METADATA_COLUMNS)
    ]


def test_the_table_holds_the_data_columns_then_the_metadata_columns(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("messy.csv", MESSY)

    workspace.run_files(spark, ["messy.csv"])

    schema = workspace.table_rows(spark).schema
    assert [(field.name, field.dataType.simpleString()) for field in schema.fields] == [
        ("order_id", "int"),
        ("customer_name", "string"),
        ("amount", "decimal(38,2)"),
        ("note", "string"),
        ("processed_at", "timestamp"),
        ("source_file", "string"),
        ("source_key", "string"),
        ("source_version", "string"),
        ("processing_job", "string"),
    ]


def test_values_beyond_the_sample_that_do_not_fit_the_inferred_type_are_quarantined(
    spark: SparkSession, workspace: Workspace
) -> None:
    lines = ["id,amount"] + [f"{index},{index}.50" for index in range(200)] + ["200,lots", "201,1.5e3", "202,9.99"]
    workspace.write("big.csv", "\n".join(lines) + "\n")
    settings = JobSettings(planner=PlannerSettings(sample_bytes=256))

    result = _only_file(workspace.run_files(spark, ["big.csv"], settings=settings))

    reasons = {row["raw_record"]: row["reason"] for row in _quarantined_of(spark, workspace, result).collect()}
    assert reasons == {
        "200,lots": "column 'amount' expects decimal(38,2), got 'lots'",
        "201,1.5e3": "column 'amount' expects decimal(38,2), got '1.5e3'",
    }
    assert (result.rows_read, result.rows_written) == (203, 201)
    _assert_invariant_against_tables(spark, workspace, result)


def test_every_row_carries_the_run_and_its_unversioned_source_named_by_etag(
    spark: SparkSession, workspace: Workspace
) -> None:
    path = workspace.write("a.csv", "id\n1\n2\n3,too many\n")

    result = _only_file(workspace.run_files(spark, ["a.csv"], run_id="jr_42"))

    expected = {
        "processed_at": PROCESSED_AT.replace(tzinfo=None),
        "source_file": "s3://local/a.csv",
        "source_key": "local/a.csv",
        "source_version": f"etag:{local_e_tag(path)}",
        "processing_job": "file-processor-test/jr_42",
    }
    metadata = list(expected)
    for rows in (workspace.table_rows(spark), workspace.quarantine_rows(spark)):
        assert [row.asDict() for row in rows.select(*metadata).distinct().collect()] == [expected]
    assert (result.source_key, result.source_version) == (expected["source_key"], expected["source_version"])


def test_the_source_version_of_a_versioned_object_is_its_version_id(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("a.csv", "id\n1\n")

    result = _only_file(workspace.run(spark, workspace.manifest(workspace.object_for("a.csv", version_id="v7"))))

    versions = {row["source_version"] for row in workspace.table_rows(spark).select("source_version").collect()}
    assert versions == {"v7"}
    assert result.source_version == "v7"


def test_an_empty_file_succeeds_with_zero_rows_and_creates_no_table(spark: SparkSession, workspace: Workspace) -> None:
    workspace.write("empty.csv", b"")

    report = workspace.run_files(spark, ["empty.csv"])

    result = _only_file(report)
    assert (result.status, result.rows_read, result.reason) == (FileStatus.SUCCEEDED, 0, "the file is empty")
    assert report.status == RunStatus.SUCCEEDED
    assert not workspace.table_exists(spark)
    assert not workspace.table_exists(spark, "orders__quarantine")


def test_a_header_only_file_succeeds_with_zero_rows_and_creates_no_table(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("header.csv", b"\xef\xbb\xbfa,b\r\n")

    report = workspace.run_files(spark, ["header.csv"])

    result = _only_file(report)
    assert (result.status, result.rows_read, result.rows_written) == (FileStatus.SUCCEEDED, 0, 0)
    assert [column.name for column in result.columns] == ["a", "b"]
    assert report.status == RunStatus.SUCCEEDED
    assert not workspace.table_exists(spark)


def test_a_file_that_is_not_utf8_is_quarantined_whole_and_writes_no_row(
    spark: SparkSession, workspace: Workspace
) -> None:
    original = "id,name\n1,M\u00fcller\n".encode("latin-1")
    workspace.write("latin1.csv", original)

    report = workspace.run_files(spark, ["latin1.csv"])

    result = _only_file(report)
    assert result.status == FileStatus.QUARANTINED
    assert result.reason is not None and "not valid UTF-8" in result.reason
    assert result.quarantined_file is not None
    assert result.quarantined_file == workspace.layout.quarantined_file("orders", workspace.object_for("latin1.csv"))
    assert f"/{QUARANTINED_FILES_PREFIX}/orders/" in result.quarantined_file
    assert Path(result.quarantined_file).read_bytes() == original
    assert (result.rows_read, result.rows_written, result.rows_quarantined) == (0, 0, 0)
    assert not workspace.table_exists(spark)
    assert report.status == RunStatus.SUCCEEDED


def test_a_binary_file_is_quarantined_whole(spark: SparkSession, workspace: Workspace) -> None:
    original = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    workspace.write("image.csv", original)

    result = _only_file(workspace.run_files(spark, ["image.csv"]))

    assert result.status == FileStatus.QUARANTINED
    assert result.reason is not None and "binary" in result.reason
    assert result.quarantined_file is not None and Path(result.quarantined_file).read_bytes() == original


SPECIAL_NAMES = {
    "a b.csv": 1,
    "1+2.csv": 2,
    "sharp#1.csv": 3,
    "why?.csv": 4,
    "100%.csv": 5,
    "50%20off.csv": 6,
    "report[1].csv": 7,
    "{x,y}.csv": 8,
    "ünïcødé 日本.csv": 9,
    "sub dir/a+b #[1]?.csv": 10,
}
"""Each character S3 allows in a key that a URI, a glob or a decoder could misread; `%20` is literal, not a space."""
DECOYS = {"a%20b.csv": 91, "1 2.csv": 92, "report1.csv": 93, "x.csv": 94, "why!.csv": 95, "50 off.csv": 96}
"""Files a misread name would reach instead (decoded `%20`, `+` as a space, a glob): none is in the manifest."""


def test_file_names_with_special_characters_are_read_whole_and_each_row_keeps_its_own_source_key(
    spark: SparkSession, workspace: Workspace
) -> None:
    for name, row_id in {**SPECIAL_NAMES, **DECOYS}.items():
        workspace.write(name, f"id\n{row_id}\n")

    report = workspace.run_files(spark, list(SPECIAL_NAMES))

    assert report.status == RunStatus.SUCCEEDED
    assert {result.source_key: result.status for result in report.files} == {
        f"local/{name}": FileStatus.SUCCEEDED for name in SPECIAL_NAMES
    }
    by_key = {row["source_key"]: row["id"] for row in workspace.table_rows(spark).select("source_key", "id").collect()}
    assert by_key == {f"local/{name}": row_id for name, row_id in SPECIAL_NAMES.items()}
    for result in report.files:
        _assert_invariant_against_tables(spark, workspace, result)


@pytest.mark.parametrize(
    ("header", "plain", "late", "expected"),
    [
        # the newline in the last of two fields: the first line has 2 fields of 2, the last line 1
        ("id,note", "{i},plain {i}", '3000,"first line\nsecond line"', {"note": "first line\nsecond line"}),
        # in the first field: its first line has 1 field of 3, its last line 3
        ("note,id,code", "plain {i},{i},c", '"first\nsecond",3000,c', {"note": "first\nsecond", "code": "c"}),
        # in the last field: the first line has 3 fields of 3, the last line 1
        ("id,code,note", "{i},c,plain {i}", '3000,c,"first\n\nthird ""q"""', {"note": 'first\n\nthird "q"'}),
        # in the middle one, over three lines
        ("id,note,code", "{i},plain {i},c", '3000,"a\nb\nc",d', {"note": "a\nb\nc", "code": "d"}),
        # one column: no line of a cut record has the wrong number of fields; a text scan finds it
        ("note", "plain {i}", '"first\nsecond"', {"note": "first\nsecond"}),
    ],
)
def test_a_quoted_newline_beyond_the_sample_is_found_wherever_it_sits_in_the_record(
    spark: SparkSession, workspace: Workspace, header: str, plain: str, late: str, expected: dict[str, str]
) -> None:
    _assert_late_quoted_newline_is_read_whole(spark, workspace, header, plain, late, expected, JobSettings())


def test_a_run_that_caches_its_rows_also_finds_a_quoted_newline_beyond_the_sample(
    spark: SparkSession, workspace: Workspace
) -> None:
    expected = {"note": "first line\nsecond line"}
    settings = JobSettings(one_pass_max_files=0)
    _assert_late_quoted_newline_is_read_whole(
        spark, workspace, "id,note", "{i},plain {i}", '3000,"first line\nsecond line"', expected, settings
    )


def _assert_late_quoted_newline_is_read_whole(
    spark: SparkSession,
    workspace: Workspace,
    header: str,
    plain: str,
    late: str,
    expected: dict[str, str],
    settings: JobSettings,
) -> None:
    lines = "".join(plain.format(i=index) + "\n" for index in range(3000))
    workspace.write("late.csv", f"{header}\n{lines}{late}\n")
    planner = PlannerSettings(sample_bytes=256, split_threshold_bytes=1024)
    obj = workspace.object_for("late.csv")
    plan = inspect_file(obj, str(workspace.input / "late.csv"), LocalObjectStore(), settings=planner)
    assert (plan.action, plan.multi_line) == (PlanAction.READ, False), "the sample must not reveal the newline"

    with _small_input_splits(spark, 4096):
        report = workspace.run_files(spark, ["late.csv"], settings=replace(settings, planner=planner))

    result = _only_file(report)
    assert result.read_mode == "multi-line"
    assert (result.rows_written, result.rows_quarantined) == (3001, 0)
    rows = _rows_of(spark, workspace, result)
    last = rows.where(F.col("note").startswith("first") | F.col("note").startswith("a")).collect()
    assert [{column: row[column] for column in expected} for row in last] == [expected]
    _assert_invariant_against_tables(spark, workspace, result)
    assert not workspace.table_exists(spark, "orders__quarantine"), "the cut read's rows were never published"


def test_a_file_read_by_line_with_a_malformed_line_of_even_quotes_stays_read_by_line(
    spark: SparkSession, workspace: Workspace
) -> None:
    lines = "".join(f'{index},"plain, {index}"\n' for index in range(3000))
    workspace.write("short-row.csv", f'id,note\n{lines}3000,"x",extra\n3001\n')
    planner = PlannerSettings(sample_bytes=256, split_threshold_bytes=1024)

    with _small_input_splits(spark, 4096):
        result = _only_file(workspace.run_files(spark, ["short-row.csv"], settings=JobSettings(planner=planner)))

    assert result.read_mode == "line"
    assert (result.rows_written, result.rows_quarantined) == (3000, 2)
    _assert_invariant_against_tables(spark, workspace, result)


def test_a_file_larger_than_the_split_threshold_is_planned_by_line_unless_its_sample_holds_a_quoted_newline(
    workspace: Workspace,
) -> None:
    plain = workspace.write("plain.csv", 'id,note\n1,"a, b"\n')
    # The sample of a file larger than itself ends with a record that may be cut, which the sample drops.
    quoted = workspace.write("quoted.csv", 'id,note\n1,"a\nb"\n2,c\n')

    class HugeFiles(LocalObjectStore):
        def info(self, uri: str) -> ObjectInfo:
            return replace(super().info(uri), size=50 * 1024**3)

    plans = [inspect_file(workspace.object_for(path.name), str(path), HugeFiles()) for path in (plain, quoted)]

    assert [(plan.size, plan.multi_line) for plan in plans] == [(50 * 1024**3, False), (50 * 1024**3, True)]


def test_without_a_split_threshold_even_a_very_large_file_is_read_multi_line(workspace: Workspace) -> None:
    path = workspace.write("huge.csv", "id,note\n1,a\n")

    class HugeFiles(LocalObjectStore):
        def info(self, uri: str) -> ObjectInfo:
            return replace(super().info(uri), size=50 * 1024**3)

    plan = inspect_file(
        workspace.object_for("huge.csv"), str(path), HugeFiles(), settings=PlannerSettings(split_threshold_bytes=None)
    )

    assert (plan.size, plan.multi_line) == (50 * 1024**3, True)


def test_a_large_file_without_quoted_newlines_is_split_by_line_and_gives_the_same_rows_as_multi_line(
    spark: SparkSession, workspace: Workspace
) -> None:
    content = "id,name,note\n" + "".join(f'{index},"n, {index}","say ""{index}"""\n' for index in range(3000))
    workspace.write("large.csv", content)
    by_line = JobSettings(planner=PlannerSettings(split_threshold_bytes=1024))
    multi_line = JobSettings(planner=PlannerSettings(split_threshold_bytes=None))

    with _small_input_splits(spark, 4096):
        split = _only_file(workspace.run(spark, workspace.manifest("large.csv"), settings=by_line))
        whole = _only_file(
            workspace.run(spark, workspace.manifest("large.csv", table="orders_whole"), settings=multi_line)
        )

    assert (split.read_mode, whole.read_mode) == ("line", "multi-line")
    assert (split.rows_read, split.rows_written, split.rows_quarantined) == (3000, 3000, 0)
    columns = ["id", "name", "note"]
    split_rows = _sorted_data(workspace.table_rows(spark), columns)
    assert split_rows == _sorted_data(workspace.table_rows(spark, "orders_whole"), columns)
    assert split_rows[2999] == (2999, "n, 2999", 'say "2999"')
    _assert_invariant_against_tables(spark, workspace, split)


def test_the_report_lists_counts_columns_original_headers_and_the_source(
    spark: SparkSession, workspace: Workspace
) -> None:
    workspace.write("messy.csv", MESSY)

    report = workspace.run_files(spark, ["messy.csv"], run_id="jr_7")

    written = json.loads(Path(workspace.layout.report(JOB_NAME, "jr_7")).read_text())
    assert written["status"] == "succeeded"
    assert written["totals"]["rowsRead"] == 5
    assert written["totals"]["rowsWritten"] + written["totals"]["rowsQuarantined"] == 5
    (entry,) = written["files"]
    assert entry["columns"][0] == {"name": "order_id", "type": "int", "header": "Order ID"}
    assert entry["status"] == "succeeded" and entry["seconds"] >= 0
    assert (entry["sourceKey"], entry["sourceVersion"]) == ("local/messy.csv", report.files[0].source_version)
    assert entry["snapshotId"] == str(report.files[0].snapshot_id)
    assert report.to_json() == written
