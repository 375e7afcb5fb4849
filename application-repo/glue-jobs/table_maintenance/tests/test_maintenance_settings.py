"""The retention rules: snapshot and orphan cutoffs, procedure options, and which branches count as crashed runs'."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from table_maintenance.maintenance_settings import MaintenanceSettings
from table_maintenance.run_branches import Branch, stale_run_branches

NOW = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)


def test_snapshots_older_than_the_retention_are_expired() -> None:
    assert MaintenanceSettings(retention_days=7).snapshot_cutoff(NOW) == NOW - timedelta(days=7)


@pytest.mark.parametrize(("retention_days", "age"), [(1, 3), (2, 3), (3, 3), (4, 4), (30, 30)])
def test_orphan_files_must_be_as_old_as_the_retention_and_never_younger_than_three_days(
    retention_days: int, age: int
) -> None:
    assert MaintenanceSettings(retention_days=retention_days).orphan_file_cutoff(NOW) == NOW - timedelta(days=age)


def test_compaction_takes_a_partition_from_two_files_and_any_file_with_a_delete() -> None:
    options = MaintenanceSettings(retention_days=7).data_rewrite_options()

    assert options["min-input-files"] == "2"
    assert options["delete-file-threshold"] == "1"
    assert "target-file-size-bytes" not in options


def test_settings_out_of_range_are_refused_all_at_once() -> None:
    with pytest.raises(ValueError) as raised:
        MaintenanceSettings(retention_days=0, retain_last=0)

    assert str(raised.value) == (
        "invalid maintenance settings: retention_days is 0; expected a whole number from 1 to 36500; "
        "retain_last is 0; expected a whole number from 1 to 1000000"
    )


def _branch(name: str, committed_at: datetime | None) -> Branch:
    return Branch(name=name, snapshot_id=1, committed_at=committed_at)


def test_only_run_branches_whose_snapshot_is_older_than_the_cutoff_are_stale() -> None:
    cutoff = NOW - timedelta(days=7)
    old, young = cutoff - timedelta(seconds=1), cutoff + timedelta(seconds=1)
    branches = [
        _branch("main", old),
        _branch("run_jr_b", old),
        _branch("run_jr_a", old),
        _branch("run_jr_fresh", young),
        _branch("run_jr_at_the_cutoff", cutoff),
        _branch("backfill", old),
        _branch("my_run_jr_x", old),
        _branch("run_jr_unknown_time", None),
    ]

    stale = stale_run_branches(branches, cutoff)

    assert [branch.name for branch in stale] == ["run_jr_a", "run_jr_b"]
