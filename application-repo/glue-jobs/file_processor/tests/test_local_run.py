"""The local runner on the shipped samples: the command the README's demo runs."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from file_processor.local_run import build_local_manifest, find_csv_files, main
from pyspark.sql import SparkSession

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _row(output: str, file_name: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(file_name))
    return line[len(file_name) :].split()


def test_the_samples_run_prints_schema_counts_and_quarantine(
    spark: SparkSession, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert spark is not None  # the runner reuses the suite's session

    status = main(["--input", str(SAMPLES), "--output", str(tmp_path), "--dataset", "orders", "--run-id", "demo"])

    output = capsys.readouterr().out
    assert status == 0
    assert "table local.orders (created)" in output
    assert re.search(r"^  amount\s+decimal\(38,2\)$", output, re.MULTILINE)
    assert re.search(r"^  return_reason\s+string$", output, re.MULTILINE)
    assert _row(output, "orders-2026-11-01.csv")[:4] == ["succeeded", "8", "8", "0"]
    assert _row(output, "orders-2026-11-02-messy.csv")[:4] == ["succeeded", "8", "4", "4"]
    assert _row(output, "orders-2026-11-03-empty.csv")[:4] == ["succeeded", "0", "0", "0"]
    assert _row(output, "orders-2026-11-04-header-only.csv")[:4] == ["succeeded", "0", "0", "0"]
    assert _row(output, "orders-2026-11-05-latin1.csv")[:4] == ["quarantined", "0", "0", "0"]
    assert _row(output, "orders-2026-11-06 late [eu+1].csv")[:4] == ["succeeded", "2", "2", "0"]
    assert "quarantined: column 'order_id' expects int, got 'N/A'" in output
    assert "totals: 6 files, 18 rows read, 14 written, 4 quarantined" in output
    assert "quarantine rows are in table local.orders__quarantine (created)" in output
    report = json.loads((tmp_path / "assets" / "reports" / "file_processor-local" / "demo.json").read_text())
    assert report["status"] == "succeeded"


def test_the_local_manifest_is_what_the_trigger_would_write(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.CSV").write_text("id\n1\n")
    (tmp_path / "a.csv").write_text("id\n2\n")
    (tmp_path / "notes.txt").write_text("ignored")
    created = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    manifest = build_local_manifest(find_csv_files([str(tmp_path)]), tmp_path, "Sales-EU", created)

    assert manifest.table == "sales_eu"
    assert [obj.key for obj in manifest.objects] == ["a.csv", "sub/b.CSV"]
    assert manifest.manifest_id == "20261123T100000Z-sales_eu-local"


def test_an_input_that_does_not_exist_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="--input nowhere: no such file or directory"):
        find_csv_files(["nowhere"])
