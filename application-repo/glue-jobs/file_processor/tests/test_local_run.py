"""The local runner on the shipped samples: the command the README's demo runs, and what it prints."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from file_processor.local_run import LOCAL_DATABASE, build_local_manifest, find_csv_files, main
from file_processor.spark_session import CATALOG
from pyspark.sql import SparkSession

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
MESSY = "orders-2026-11-02-messy.csv"


@pytest.fixture
def suite_session(spark: SparkSession) -> Iterator[SparkSession]:
    """The runner's `local_session` reuses the suite's session and sets its own options on it; the ones later tests
    depend on are put back."""
    names = ("spark.sql.shuffle.partitions", f"spark.sql.catalog.{CATALOG}.warehouse")
    previous = {name: spark.conf.get(name) for name in names}
    yield spark
    for name, value in previous.items():
        if value is None:
            spark.conf.unset(name)
        else:
            spark.conf.set(name, value)


def _row(output: str, file_name: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(file_name))
    return line[len(file_name) :].split()


def _query_result(output: str, query_start: str) -> list[str]:
    """The lines printed under the query that starts with `query_start`, up to the next blank line."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(f"> {query_start}"))
    result: list[str] = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        result.append(line)
    return result


def _rows_per_file(output: str, table: str) -> dict[str, int]:
    query = f"SELECT source_key, count(*) AS row_count FROM {CATALOG}.`{LOCAL_DATABASE}`.`{table}` GROUP BY source_key"
    parsed = (re.fullmatch(r"  (.+?)\s+(\d+)", line) for line in _query_result(output, query))
    return {match.group(1): int(match.group(2)) for match in parsed if match}


def _quarantined(output: str, table: str) -> list[tuple[str, str, str]]:
    """(file, reason, raw record) per printed quarantine row."""
    query = f"SELECT source_key, reason, raw_record FROM {CATALOG}.`{LOCAL_DATABASE}`.`{table}__quarantine`"
    parsed = (re.fullmatch(r"  (.+?): (.+)  <- '(.*)'", line) for line in _query_result(output, query))
    return [(match.group(1), match.group(2), match.group(3)) for match in parsed if match]


def test_the_samples_run_prints_the_table_schema_the_counts_per_file_and_succeeds(
    suite_session: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["--input", str(SAMPLES), "--output", str(tmp_path), "--dataset", "samples-demo", "--run-id", "demo"])

    output = capsys.readouterr().out
    assert status == 0
    assert output.startswith("file_processor local run demo: succeeded\n")
    assert "Iceberg table local.samples_demo, partitioned by day(processed_at):" in output
    assert re.search(r"^  amount\s+decimal\(38,2\)$", output, re.MULTILINE)
    assert re.search(r"^  return_reason\s+string$", output, re.MULTILINE)
    assert re.search(r"^  source_key\s+string$", output, re.MULTILINE)
    assert _row(output, "orders-2026-11-01.csv")[:4] == ["succeeded", "8", "8", "0"]
    assert _row(output, MESSY)[:4] == ["succeeded", "8", "4", "4"]
    assert _row(output, "orders-2026-11-03-empty.csv")[:4] == ["succeeded", "0", "0", "0"]
    assert _row(output, "orders-2026-11-04-header-only.csv")[:4] == ["succeeded", "0", "0", "0"]
    assert _row(output, "orders-2026-11-05-latin1.csv")[:4] == ["quarantined", "0", "0", "0"]
    assert _row(output, "orders-2026-11-06 late [eu+1].csv")[:4] == ["succeeded", "2", "2", "0"]
    assert "the file is not valid UTF-8 (byte 0xfc at offset 24)" in output
    assert "totals: 6 files, 18 rows read, 14 written, 4 quarantined" in output
    assert re.search(r"^commit local\.samples_demo: committed \(snapshot \d+\)$", output, re.MULTILINE)
    assert re.search(r"^commit local\.samples_demo__quarantine: committed \(snapshot \d+\)$", output, re.MULTILINE)
    report = json.loads((tmp_path / "assets" / "reports" / "file_processor-local" / "demo.json").read_text())
    assert report["status"] == "succeeded"


def test_the_samples_run_ends_with_spark_sql_over_the_table_rows_per_file_and_quarantined_rows_with_reasons(
    suite_session: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--input", str(SAMPLES), "--output", str(tmp_path), "--dataset", "samples-sql", "--run-id", "demo"])

    output = capsys.readouterr().out
    assert _rows_per_file(output, "samples_sql") == {
        "local/orders-2026-11-01.csv": 8,
        f"local/{MESSY}": 4,
        "local/orders-2026-11-06 late [eu+1].csv": 2,
    }
    assert _quarantined(output, "samples_sql") == [
        (
            MESSY,
            "column 'amount' expects decimal(38,2), got '12.345'",
            "2003,4000000009,12.345,,more decimals than the table allows,,upload-tool,1,",
        ),
        (
            MESSY,
            "column 'order_id' expects int, got 'N/A'",
            "N/A,4000000010,4.00,,order id is not a number,,upload-tool,1,",
        ),
        (
            MESSY,
            "malformed CSV record: the header has 9 fields and this record does not",
            "2005,4000000011,6.00,,too few fields",
        ),
        (
            MESSY,
            "malformed CSV record: the header has 9 fields and this record does not",
            "2006,4000000012,6.00,,too many fields,,upload-tool,1,,extra,extra",
        ),
    ]


def test_the_quarantine_query_prints_at_most_the_rows_asked_for(
    suite_session: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "--input",
            str(SAMPLES / MESSY),
            "--output",
            str(tmp_path),
            "--dataset",
            "messy-limit",
            "--show-quarantine",
            "1",
        ]
    )

    output = capsys.readouterr().out
    assert int(_row(output, MESSY)[3]) > 1
    assert len(_quarantined(output, "messy_limit")) == 1
    assert f"`{LOCAL_DATABASE}`.`messy_limit__quarantine` ORDER BY source_key, reason LIMIT 1\n" in output


def test_without_quarantined_rows_to_show_the_quarantine_query_is_left_out(
    suite_session: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "--input",
            str(SAMPLES / MESSY),
            "--output",
            str(tmp_path),
            "--dataset",
            "messy-none",
            "--show-quarantine",
            "0",
        ]
    )

    output = capsys.readouterr().out
    assert int(_row(output, MESSY)[3]) > 0
    assert "raw_record FROM" not in output
    assert _rows_per_file(output, "messy_none") == {f"local/{MESSY}": int(_row(output, MESSY)[2])}


def test_the_local_manifest_is_what_the_trigger_would_write(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.CSV").write_text("id\n1\n")
    (tmp_path / "a.csv").write_text("id\n2\n")
    (tmp_path / "notes.txt").write_text("ignored")
    created = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    manifest = build_local_manifest(find_csv_files([str(tmp_path)]), tmp_path, "Sales-EU", created)

    assert manifest.table == "sales_eu"
    assert [obj.key for obj in manifest.objects] == ["a.csv", "sub/b.CSV"]
    assert [(obj.bucket, obj.version_id) for obj in manifest.objects] == [("local", None), ("local", None)]
    assert manifest.manifest_id == "20261123T100000Z-sales_eu-local"


def test_an_input_that_does_not_exist_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="--input nowhere: no such file or directory"):
        find_csv_files(["nowhere"])
