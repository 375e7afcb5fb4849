"""Header names to column names that Glue, Athena and Parquet accept without quoting.

Athena folds identifiers to lowercase and needs quotes for names with spaces or a leading digit; Glue rejects some
characters; Parquet is case-sensitive while Athena is not. So every CSV header becomes lowercase snake_case ASCII,
unique, never empty, and never equal to a column the job adds itself (its metadata columns).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

MAX_COLUMN_NAME_LENGTH = 128
"""Athena and the Hive metastore accept 128 characters; Glue allows more, so this is the binding limit."""

_CAMEL_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_CAMEL_ACRONYM = re.compile(r"([A-Z]+)([A-Z][a-z])")
_NOT_SNAKE = re.compile(r"[^a-z0-9]+")


def normalize_column_name(header: str, position: int) -> str:
    """One header to snake_case; `position` (1-based) names a header that has nothing usable in it."""
    ascii_text = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii")
    split = _CAMEL_ACRONYM.sub(r"\1_\2", _CAMEL_LOWER_UPPER.sub(r"\1_\2", ascii_text))
    name = _NOT_SNAKE.sub("_", split.lower()).strip("_")
    if not name:
        return f"column_{position}"
    if name[0].isdigit():
        name = f"col_{name}"
    return name[:MAX_COLUMN_NAME_LENGTH].rstrip("_")


def normalize_column_names(headers: Sequence[str], reserved: Iterable[str] = ()) -> list[str]:
    """Normalizes a whole header row; later duplicates (and clashes with `reserved`) get `_2`, `_3`, ... suffixes.

    The first occurrence keeps the plain name so that the common case (no clash) reads naturally in Athena.
    """
    taken = set(reserved)
    names: list[str] = []
    for position, header in enumerate(headers, start=1):
        base = normalize_column_name(header, position)
        name = base
        suffix = 2
        while name in taken:
            tail = f"_{suffix}"
            name = base[: MAX_COLUMN_NAME_LENGTH - len(tail)] + tail
            suffix += 1
        taken.add(name)
        names.append(name)
    return names
