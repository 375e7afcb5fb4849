"""Which branches maintenance may drop: only `run_*` branches left behind by crashed file_processor runs.

Each file_processor run writes to a branch `run_<sanitized run id>`, fast-forwards `main` to it and drops it. A
run that crashed in between leaves its branch, and the branch keeps its snapshots (and their files) alive through
every `expire_snapshots`. `main` and any other branch (an operator's, a backfill's) are never touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

RUN_BRANCH_PREFIX = "run_"


@dataclass(frozen=True)
class Branch:
    name: str
    snapshot_id: int
    committed_at: datetime | None
    """When the branch's snapshot was committed; None if the snapshot is not in the table's `snapshots`."""


def is_run_branch(name: str) -> bool:
    return name.startswith(RUN_BRANCH_PREFIX)


def stale_run_branches(branches: Iterable[Branch], cutoff: datetime) -> list[Branch]:
    """`run_*` branches whose snapshot was committed before `cutoff`, by name.

    A branch whose snapshot time is unknown is kept: dropping a branch cannot be undone, keeping it costs a day.
    """
    return sorted(
        (
            branch
            for branch in branches
            if is_run_branch(branch.name) and branch.committed_at is not None and branch.committed_at < cutoff
        ),
        key=lambda branch: branch.name,
    )
