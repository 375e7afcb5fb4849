"""Per-dataset settings from the dataset registry (application-repo/lib/dataset-registry.ts), as the job receives
them in its `--datasets` argument: declared column types, the new-version policy and the quarantine-ratio threshold.

The TypeScript registry validates and serializes the settings; this parser accepts exactly that shape (a shared
fixture, tests/fixtures/datasets-argument.json, is checked by both sides) and refuses anything else with every problem
named, so a hand-edited argument cannot silently change what a run does. A dataset that is not declared keeps the
defaults: inferred types, replace, 0.05.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from file_processor.column_types import is_known_type
from file_processor.table_schema import RESERVED_COLUMN_NAMES

DEFAULT_QUARANTINE_RATIO_THRESHOLD = 0.05
_FIELDS = ("columns", "newVersion", "quarantineRatioThreshold")


class NewVersionPolicy(StrEnum):
    REPLACE = "replace"
    """A newer version of a key replaces the older version's rows (a corrected re-upload)."""
    APPEND = "append"
    """Each version's rows stay; only the same version processed again is replaced."""


class DatasetSettingsError(ValueError):
    """The `--datasets` argument is not what the registry writes; the message names every problem."""


@dataclass(frozen=True)
class DatasetSettings:
    columns: Mapping[str, str] = field(default_factory=dict)
    """Normalized column name to type; wins over inference."""
    new_version: NewVersionPolicy = NewVersionPolicy.REPLACE
    quarantine_ratio_threshold: float = DEFAULT_QUARANTINE_RATIO_THRESHOLD


@dataclass(frozen=True)
class DatasetRegistry:
    datasets: Mapping[str, DatasetSettings] = field(default_factory=dict)

    def settings_for(self, dataset: str) -> DatasetSettings:
        return self.datasets.get(dataset, DatasetSettings())


def parse_datasets_argument(text: str | None) -> DatasetRegistry:
    """An absent or empty argument is an empty registry: every dataset keeps the defaults."""
    if text is None or not text.strip():
        return DatasetRegistry()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise DatasetSettingsError(f"--datasets is not valid JSON: {error}") from error
    if not isinstance(document, Mapping):
        raise DatasetSettingsError(
            f"--datasets: expected a JSON object keyed by dataset, got {type(document).__name__}"
        )
    problems: list[str] = []
    datasets = {name: _parse_dataset(name, raw, problems) for name, raw in document.items()}
    if problems:
        raise DatasetSettingsError("invalid --datasets:\n  " + "\n  ".join(problems))
    return DatasetRegistry(datasets)


def _parse_dataset(name: str, raw: Any, problems: list[str]) -> DatasetSettings:
    path = f"datasets[{name!r}]"
    if not isinstance(raw, Mapping):
        problems.append(f"{path}: expected an object, got {type(raw).__name__}")
        return DatasetSettings()
    unknown = sorted(set(raw) - set(_FIELDS))
    if unknown:
        problems.append(f"{path}: unknown field(s) {', '.join(unknown)} (expected only {', '.join(_FIELDS)})")
    columns: dict[str, str] = {}
    raw_columns = raw.get("columns", {})
    if not isinstance(raw_columns, Mapping):
        problems.append(f"{path}.columns: expected an object of column name to type, got {type(raw_columns).__name__}")
    else:
        for column, type_name in raw_columns.items():
            if column in RESERVED_COLUMN_NAMES:
                problems.append(f"{path}.columns.{column}: the job sets this column itself")
            elif not isinstance(type_name, str) or not is_known_type(type_name):
                problems.append(
                    f"{path}.columns.{column}: got {type_name!r}; expected string, boolean, int, bigint, double, "
                    "date, timestamp or decimal(38,S) with S from 0 to 18"
                )
            else:
                columns[column] = type_name
    policy = raw.get("newVersion", NewVersionPolicy.REPLACE.value)
    if policy not in {item.value for item in NewVersionPolicy}:
        problems.append(f"{path}.newVersion: got {policy!r}; expected 'replace' or 'append'")
        policy = NewVersionPolicy.REPLACE.value
    threshold = raw.get("quarantineRatioThreshold", DEFAULT_QUARANTINE_RATIO_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        problems.append(f"{path}.quarantineRatioThreshold: got {threshold!r}; expected a number from 0 to 1")
        threshold = DEFAULT_QUARANTINE_RATIO_THRESHOLD
    return DatasetSettings(columns, NewVersionPolicy(policy), float(threshold))
