"""Writes the benchmark's CSV: realistic mixed types, quoted fields with commas and doubled quotes, a few bad rows.

Deterministic (a fixed seed), so every run measures the same bytes. Bad rows sit after the job's 1 MiB sample, one
malformed and one mistyped per million rows, so the benchmark exercises the quarantine path too.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

HEADER = "order_id,customer_id,amount,discount_rate,is_gift,order_date,ordered_at,customer_name,country\n"
COUNTRIES = ["DE", "FR", "NL", "IT", "ES", '"Côte d\'Ivoire"', '"United Kingdom, The"', "PL"]
NAMES = ["Anna", "Bob", "Chloé", '"Dan ""the man"""', '"Müller, Eva"', "Farid", "Grace", "Håkon"]


def generate(path: Path, target_bytes: int, seed: int = 7) -> tuple[int, int]:
    """Returns (rows, bytes) written; stops at the first row boundary past `target_bytes`."""
    rng = random.Random(seed)
    amounts = [f"{rng.randint(0, 99999)}.{rng.randint(0, 99):02d}" for _ in range(4096)]
    ratios = [repr(round(rng.random(), 4)) for _ in range(4096)]
    times = [
        f"{h:02d}:{m:02d}:{s:02d}"
        for h, m, s in ((rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)) for _ in range(4096))
    ]
    rows = written = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n", buffering=8 * 1024 * 1024) as file:
        written += file.write(HEADER)
        chunk: list[str] = []
        while written < target_bytes:
            for _ in range(10_000):
                rows += 1
                day = 1 + rows % 28
                if rows % 1_000_000 == 500_000:
                    chunk.append(f"{rows},malformed row with too few fields\n")
                    continue
                amount = "not-a-number" if rows % 1_000_000 == 750_000 else amounts[rows & 4095]
                chunk.append(
                    f"{rows},{4_000_000_000 + rows % 100_000},{amount},{ratios[rows & 4095]},"
                    f"{'true' if rows & 8 else 'false'},2026-11-{day:02d},2026-11-{day:02d}T{times[rows & 4095]}Z,"
                    f"{NAMES[rows & 7]},{COUNTRIES[(rows >> 3) & 7]}\n"
                )
            text = "".join(chunk)
            written += len(text.encode("utf-8"))
            file.write(text)
            chunk.clear()
    return rows, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", type=Path)
    parser.add_argument("--megabytes", type=int, default=1100, help="target size in MB (10^6 bytes)")
    args = parser.parse_args()
    if args.path.exists() and args.path.stat().st_size >= args.megabytes * 1_000_000:
        print(f"reusing {args.path} ({args.path.stat().st_size / 1e9:.2f} GB)")
        return
    rows, size = generate(args.path, args.megabytes * 1_000_000)
    print(f"generated {args.path}: {rows} rows, {size / 1e9:.2f} GB")


if __name__ == "__main__":
    main()
