"""The local runner: the command the benchmark calls on a local warehouse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from table_maintenance.local_run import main

from .conftest import Lake


def _row(output: str, table: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.startswith(table + " "))


def test_the_local_run_prints_file_counts_before_and_after_and_writes_the_report(
    lake: Lake, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lake.create_table("orders")
    lake.append_many("orders", 4)
    lake.create_table("legacy", managed_by=None)

    status = main(
        [
            "--warehouse",
            str(lake.warehouse),
            "--database",
            lake.database,
            "--retention-days",
            "7",
            "--output",
            str(tmp_path),
            "--run-id",
            "demo",
        ]
    )

    output = capsys.readouterr().out
    assert status == 0
    assert f"table_maintenance run demo on {lake.database}: succeeded" in output
    header = _row(output, "table")
    assert header[:8] == [
        "table",
        "status",
        "data_before",
        "data_after",
        "deletes_before",
        "deletes_after",
        "snapshots_expired",
        "orphans_removed",
    ]
    assert _row(output, "orders") == ["orders", "succeeded", "4", "1", "0", "0", "0", "0", "-"]
    assert "skipped (no managed_by=file_processor): legacy" in output
    report = json.loads((tmp_path / "reports" / "table_maintenance-local" / "demo.json").read_text())
    assert (report["status"], report["retentionDays"], report["skippedTables"]) == ("succeeded", 7, ["legacy"])


def test_a_retention_below_one_day_is_refused_before_spark_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--warehouse", str(tmp_path), "--database", "db", "--retention-days", "0", "--output", str(tmp_path)])

    assert raised.value.code == 2
    assert "--retention-days: invalid maintenance settings: retention_days is 0" in capsys.readouterr().err
