"""The Python sample reader: header, complete rows, BOM, CRLF, quoted newlines, and files that are not CSV text."""

from __future__ import annotations

import pytest
from file_processor.csv_sample import UTF8_BOM, CsvSample, UnreadableFileError, parse_csv_sample


def _whole(data: bytes) -> CsvSample:
    return parse_csv_sample(data, len(data))


def test_the_header_and_rows_of_a_whole_small_file_are_read() -> None:
    sample = _whole(b"a,b\n1,2\n3,4\n")

    assert sample.header == ("a", "b")
    assert sample.rows == (("1", "2"), ("3", "4"))
    assert sample.covers_whole_file is True


def test_a_utf8_bom_is_not_part_of_the_first_header() -> None:
    sample = _whole(UTF8_BOM + "id,naïve\r\n1,x\r\n".encode())

    assert sample.header == ("id", "naïve")


def test_crlf_line_ends_are_not_part_of_the_values() -> None:
    sample = _whole(b"a,b\r\n1,2\r\n")

    assert sample.rows == (("1", "2"),)


def test_quoted_fields_keep_embedded_newlines_and_doubled_quotes() -> None:
    sample = _whole(b'id,text\n1,"say ""hi""\nbye"\n')

    assert sample.rows == (("1", 'say "hi"\nbye'),)
    assert sample.has_quoted_newline is True


def test_a_file_without_quoted_newlines_says_so() -> None:
    assert _whole(b'a\n"x, y"\n').has_quoted_newline is False


def test_the_record_cut_by_the_end_of_a_partial_prefix_is_dropped() -> None:
    data = b"a,b\n1,2\n3,4\n55,66\n"

    sample = parse_csv_sample(data[:15], len(data))  # ends inside "55,66"

    assert sample.rows == (("1", "2"), ("3", "4"))
    assert sample.covers_whole_file is False


def test_a_multibyte_character_cut_by_the_prefix_is_not_an_encoding_error() -> None:
    data = "a\né\né\n".encode()

    sample = parse_csv_sample(data[:5], len(data))

    assert sample.header == ("a",)


def test_blank_lines_are_not_rows() -> None:
    assert _whole(b"a\n\n1\n\n").rows == (("1",),)


def test_an_empty_or_bom_only_file_has_no_header() -> None:
    assert _whole(b"").is_empty
    assert _whole(UTF8_BOM).is_empty


def test_latin1_text_is_unreadable_with_the_offending_byte_named() -> None:
    with pytest.raises(UnreadableFileError, match=r"not valid UTF-8 \(byte 0xfc at offset 6\)"):
        _whole("name\nM\u00fcller\n".encode("latin-1"))


def test_binary_content_is_unreadable() -> None:
    with pytest.raises(UnreadableFileError, match="NUL bytes"):
        _whole(b"PK\x03\x04\x00\x00binary")


def test_a_header_longer_than_the_prefix_is_unreadable() -> None:
    data = b"x" * 100 + b"\n1\n"

    with pytest.raises(UnreadableFileError, match="no complete header row in the first 50 bytes"):
        parse_csv_sample(data[:50], len(data))


def test_column_values_of_short_rows_are_none() -> None:
    sample = _whole(b"a,b\n1\n2,3\n")

    assert sample.column_values(1) == [None, "3"]
