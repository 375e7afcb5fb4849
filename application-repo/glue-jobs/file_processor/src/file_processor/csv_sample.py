"""Reads the first bytes of a CSV file in Python: its header, a sample of rows, and whether it is text at all.

Spark's own `inferSchema` reads the whole file once to infer and again to load it. Reading a bounded prefix here
instead keeps Spark to one pass over the input, and gives the job what Spark does not: the header exactly as
written (for name normalization), a clear reason when a file is not UTF-8 text, and whether quoted fields span
lines (which decides how Spark must split the file).
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass

UTF8_BOM = b"\xef\xbb\xbf"
DEFAULT_SAMPLE_BYTES = 1024 * 1024


class UnreadableFileError(Exception):
    """The file is not a CSV the job can read at all; it is quarantined whole with this message as the reason."""


@dataclass(frozen=True)
class CsvSample:
    """The header and the complete rows found in the first `sample_bytes` of a file."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    has_quoted_newline: bool
    covers_whole_file: bool
    """True when the prefix is the whole file, so `rows` are all of its rows."""

    @property
    def is_empty(self) -> bool:
        """No header at all: a zero-byte file, or one with only a BOM or blank lines."""
        return not self.header

    def column_values(self, index: int) -> list[str | None]:
        """The sample's values of one column; rows that are too short give None (they will be quarantined)."""
        return [row[index] if index < len(row) else None for row in self.rows]


def parse_csv_sample(prefix: bytes, file_size: int) -> CsvSample:
    """Parses `prefix` (the first bytes of a file of `file_size` bytes) as RFC 4180 CSV in UTF-8.

    A record cut by the end of the prefix is dropped, so every sampled row is complete. Raises
    UnreadableFileError for binary content, invalid UTF-8 or a header that does not fit in the prefix.
    """
    covers_whole_file = len(prefix) >= file_size
    if b"\x00" in prefix:
        raise UnreadableFileError("the file contains NUL bytes: it is binary, not a CSV text file")
    text = _decode_utf8(prefix, final=covers_whole_file)
    if text.startswith("\ufeff"):
        text = text[1:]

    records = [record for record in csv.reader(io.StringIO(text, newline=""), strict=False) if record]
    if not covers_whole_file:
        if len(records) <= 1:
            raise UnreadableFileError(f"no complete header row in the first {len(prefix)} bytes; is this a CSV file?")
        records = records[:-1]
    if not records:
        return CsvSample(header=(), rows=(), has_quoted_newline=False, covers_whole_file=covers_whole_file)

    header, *rows = records
    has_quoted_newline = any("\n" in field or "\r" in field for record in records for field in record)
    return CsvSample(
        header=tuple(header),
        rows=tuple(tuple(row) for row in rows),
        has_quoted_newline=has_quoted_newline,
        covers_whole_file=covers_whole_file,
    )


def _decode_utf8(prefix: bytes, final: bool) -> str:
    """Strict UTF-8; a multi-byte character cut by the end of a partial prefix is not an error."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        return decoder.decode(prefix, final=final)
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"the file is not valid UTF-8 (byte 0x{prefix[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8, with or without BOM"
        ) from error
