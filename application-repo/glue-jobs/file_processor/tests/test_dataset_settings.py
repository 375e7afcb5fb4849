"""The `--datasets` argument: what the TypeScript registry writes is read as it was meant, anything else refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from file_processor.dataset_settings import (
    DEFAULT_QUARANTINE_RATIO_THRESHOLD,
    DatasetSettings,
    DatasetSettingsError,
    NewVersionPolicy,
    parse_datasets_argument,
)

FIXTURE = Path(__file__).parent / "fixtures" / "datasets-argument.json"


def test_the_argument_the_registry_writes_is_read_with_every_setting() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    document = json.loads(text)

    registry = parse_datasets_argument(text)

    assert set(registry.datasets) == set(document)
    for name, raw in document.items():
        settings = registry.settings_for(name)
        assert dict(settings.columns) == raw["columns"]
        assert settings.new_version.value == raw["newVersion"]
        assert settings.quarantine_ratio_threshold == raw["quarantineRatioThreshold"]


def test_a_dataset_that_is_not_declared_keeps_inference_replace_and_the_default_threshold() -> None:
    registry = parse_datasets_argument('{"orders": {"newVersion": "append"}}')

    assert registry.settings_for("clicks") == DatasetSettings()
    assert registry.settings_for("clicks").new_version == NewVersionPolicy.REPLACE
    assert registry.settings_for("clicks").quarantine_ratio_threshold == DEFAULT_QUARANTINE_RATIO_THRESHOLD
    assert registry.settings_for("orders").new_version == NewVersionPolicy.APPEND


@pytest.mark.parametrize("text", [None, "", "   "])
def test_an_absent_argument_is_an_empty_registry(text: str | None) -> None:
    assert parse_datasets_argument(text).datasets == {}


def test_every_problem_of_a_bad_argument_is_named_at_once() -> None:
    bad = {
        "orders": {
            "columns": {"amount": "money", "processed_at": "string", "ok": "decimal(38,19)"},
            "newVersion": "merge",
            "quarantineRatioThreshold": 1.5,
            "colums": {},
        }
    }

    with pytest.raises(DatasetSettingsError) as raised:
        parse_datasets_argument(json.dumps(bad))

    message = str(raised.value)
    for expected in (
        "datasets['orders']: unknown field(s) colums",
        "datasets['orders'].columns.amount: got 'money'",
        "datasets['orders'].columns.processed_at: the job sets this column itself",
        "datasets['orders'].columns.ok: got 'decimal(38,19)'",
        "datasets['orders'].newVersion: got 'merge'; expected 'replace' or 'append'",
        "datasets['orders'].quarantineRatioThreshold: got 1.5; expected a number from 0 to 1",
    ):
        assert expected in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "--datasets is not valid JSON"),
        ("[1, 2]", "expected a JSON object keyed by dataset, got list"),
        ('{"orders": 3}', "datasets['orders']: expected an object, got int"),
    ],
)
def test_an_argument_that_is_not_a_registry_is_refused_with_what_was_found(text: str, expected: str) -> None:
    with pytest.raises(DatasetSettingsError, match=expected.replace("[", r"\[").replace("]", r"\]")):
        parse_datasets_argument(text)
