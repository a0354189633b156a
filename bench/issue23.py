"""Issue 23's run of record: every benchmark its targets name, one after the other, on a quiet machine.

    .venv/bin/python bench/issue23.py [--baseline c9f2d00] [--quick]

Runs bench/member_page.py, bench/mixed_load.py, bench/queue_json.py, bench/posting.py,
bench/peer_xtd.py and bench/recycling.py in turn (each with the options below), prints what each
printed, and keeps it all, with the machine and the load average before and after each script, in
bench/results/record-<date>-<HHMM>-issue23.md (a second record the same day is kept beside the
first). ``--baseline``: the commit before issue 23 (the member page's and the mixed load's "today").
``--quick``: shorter runs, to try the harness (not a record).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scripts(baseline: str, quick: bool) -> list[tuple[str, list[str]]]:
    """Each script with the options of the record (shorter with ``quick``)."""
    if quick:
        return [
            ("member page", ["member_page.py", "--duration", "2", "--runs", "1", "--baseline", baseline]),
            ("mixed load", ["mixed_load.py", "--duration", "6", "--runs", "1", "--baseline", baseline]),
            ("moderation queue JSON", ["queue_json.py", "--runs", "1", "--duration", "2"]),
            ("posting", ["posting.py", "--floors", "--sqlite", "--blocks", "4"]),
            ("peer: django-comments-xtd", ["peer_xtd.py", "--duration", "2", "--runs", "1", "--blocks", "4"]),
            ("worker recycling", ["recycling.py", "--rounds", "1", "--block", "5", "--soak", "0"]),
        ]
    return [
        ("member page", ["member_page.py", "--duration", "5", "--runs", "5", "--baseline", baseline]),
        ("mixed load", ["mixed_load.py", "--duration", "20", "--runs", "3", "--baseline", baseline]),
        ("moderation queue JSON", ["queue_json.py", "--runs", "5", "--duration", "5"]),
        ("posting", ["posting.py", "--floors", "--sqlite"]),
        ("peer: django-comments-xtd", ["peer_xtd.py"]),
        ("worker recycling", ["recycling.py", "--rounds", "2", "--soak", "60"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--baseline", default="c9f2d00")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, check=True, capture_output=True, text=True
    ).stdout.strip()
    started = datetime.now(UTC)
    lines = [
        f"# Issue 23: run of record, {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"`.venv/bin/python bench/issue23.py --baseline {args.baseline}{' --quick' if args.quick else ''}` "
        f"at commit {commit}; {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.platform()}. Load average (1, 5, 15 minutes) before and after each script.",
        "",
    ]
    for title, argv in scripts(args.baseline, args.quick):
        before = os.getloadavg()
        clock = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(HERE / argv[0]), *argv[1:]], cwd=HERE.parent, capture_output=True, text=True
        )
        after = os.getloadavg()
        output = "\n".join(
            line for line in done.stdout.splitlines() if not line.startswith(("INFO ", "Preparing worktree"))
        )
        lines += [
            f"## {title}",
            "",
            f"`bench/{' '.join(argv)}`: {time.monotonic() - clock:.0f} s; load average before "
            f"{before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}"
            + ("" if done.returncode == 0 else f"; **exited {done.returncode}**: {done.stderr[-2000:]}"),
            "",
            output,
            "",
        ]
        print("\n".join(lines[-5:]), flush=True)
    out = HERE / "results" / f"record-{started:%Y-%m-%d-%H%M}-issue23{'-quick' if args.quick else ''}.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
