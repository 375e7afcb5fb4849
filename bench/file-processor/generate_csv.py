"""Writes the benchmark's CSVs: realistic mixed types, quoted fields with commas and doubled quotes, no quoted newline.

Deterministic (fixed seeds), so every run measures the same bytes. Two inputs:
- `large PATH --megabytes N`: one file of about N MB. Bad rows sit after the job's 1 MiB sample, one malformed and
  one mistyped per million rows, so the benchmark exercises the quarantine path too.
- `burst DIR --files N --rows R`: N files of R rows each (`orders-00001.csv`, ...), the same columns and kinds of
  values, order ids continuing from file to file; no bad rows (a burst of ordinary uploads).
No field holds a newline: the large file is the "one large CSV without quoted newlines" case, read split by line.
An input already on disk is reused when it is complete (same size target, same number of files).
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HEADER = "order_id,customer_id,amount,discount_rate,is_gift,order_date,ordered_at,customer_name,country\n"
COUNTRIES = ["DE", "FR", "NL", "IT", "ES", '"Côte d\'Ivoire"', '"United Kingdom, The"', "PL"]
NAMES = ["Anna", "Bob", "Chloé", '"Dan ""the man"""', '"Müller, Eva"', "Farid", "Grace", "Håkon"]
LARGE_SEED = 7
BURST_SEED = 11


@dataclass(frozen=True)
class _Values:
    """Pre-drawn values (4096 of each), indexed by the row number: generating stays fast and deterministic."""

    amounts: list[str]
    ratios: list[str]
    times: list[str]

    @classmethod
    def draw(cls, seed: int) -> _Values:
        rng = random.Random(seed)
        amounts = [f"{rng.randint(0, 99999)}.{rng.randint(0, 99):02d}" for _ in range(4096)]
        ratios = [repr(round(rng.random(), 4)) for _ in range(4096)]
        times = [
            f"{h:02d}:{m:02d}:{s:02d}"
            for h, m, s in ((rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)) for _ in range(4096))
        ]
        return cls(amounts, ratios, times)


def _row(number: int, values: _Values, bad_rows: bool) -> str:
    """Row `number` (1-based) as a CSV line; with `bad_rows`, rows 500,000 and 750,000 of each million are bad."""
    day = 1 + number % 28
    if bad_rows and number % 1_000_000 == 500_000:
        return f"{number},malformed row with too few fields\n"
    amount = "not-a-number" if bad_rows and number % 1_000_000 == 750_000 else values.amounts[number & 4095]
    return (
        f"{number},{4_000_000_000 + number % 100_000},{amount},{values.ratios[number & 4095]},"
        f"{'true' if number & 8 else 'false'},2026-11-{day:02d},2026-11-{day:02d}T{values.times[number & 4095]}Z,"
        f"{NAMES[number & 7]},{COUNTRIES[(number >> 3) & 7]}\n"
    )


def generate(path: Path, target_bytes: int, seed: int = LARGE_SEED) -> tuple[int, int]:
    """Returns (rows, bytes) written; stops at the first block of 10,000 rows that ends past `target_bytes`."""
    values = _Values.draw(seed)
    rows = written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8", newline="\n", buffering=8 * 1024 * 1024) as file:
        written += file.write(HEADER)
        while written < target_bytes:
            text = "".join(_row(number, values, bad_rows=True) for number in range(rows + 1, rows + 10_001))
            rows += 10_000
            written += len(text.encode("utf-8"))
            file.write(text)
    partial.replace(path)  # a run interrupted while writing never leaves a file that looks complete
    return rows, written


def burst_files(folder: Path, files: int) -> list[Path]:
    return [folder / f"orders-{index:05d}.csv" for index in range(1, files + 1)]


def generate_burst(folder: Path, files: int, rows_per_file: int, seed: int = BURST_SEED) -> list[Path]:
    """Writes `files` CSVs of `rows_per_file` rows each into `folder` (emptied first); returns their paths."""
    values = _Values.draw(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.csv"):
        stale.unlink()
    paths = burst_files(folder, files)
    numbers: Iterator[int] = iter(range(1, files * rows_per_file + 1))
    for path in paths:
        lines = [HEADER, *(_row(next(numbers), values, bad_rows=False) for _ in range(rows_per_file))]
        path.write_text("".join(lines), encoding="utf-8", newline="\n")
    return paths


def _burst_is_complete(folder: Path, files: int) -> bool:
    expected = burst_files(folder, files)
    return sorted(folder.glob("*.csv")) == expected and all(path.stat().st_size > len(HEADER) for path in expected)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    kinds = parser.add_subparsers(dest="kind", required=True)
    large = kinds.add_parser("large", help="one file of about --megabytes MB")
    large.add_argument("path", type=Path)
    large.add_argument("--megabytes", type=int, default=1100, help="target size in MB (10^6 bytes)")
    burst = kinds.add_parser("burst", help="--files small files in one folder")
    burst.add_argument("folder", type=Path)
    burst.add_argument("--files", type=int, default=1000)
    burst.add_argument("--rows", type=int, default=50, help="rows per file")
    args = parser.parse_args()

    if args.kind == "large":
        path: Path = args.path
        if path.exists() and path.stat().st_size >= args.megabytes * 1_000_000:
            print(f"reusing {path} ({path.stat().st_size / 1e9:.2f} GB)")
            return
        rows, size = generate(path, args.megabytes * 1_000_000)
        print(f"generated {path}: {rows} rows, {size / 1e9:.3f} GB")
        return
    folder: Path = args.folder
    if _burst_is_complete(folder, args.files):
        print(f"reusing {folder} ({args.files} files)")
        return
    generate_burst(folder, args.files, args.rows)
    print(f"generated {folder}: {args.files} files of {args.rows} rows")


if __name__ == "__main__":
    main()
