"""Load the benchmark thread into Isso's SQLite database with Isso's own storage layer.

Runs in Isso's virtual environment: ``bench/.isso-venv/bin/python bench/isso_load.py DB URI N``.
"""

from __future__ import annotations

import sqlite3
import sys
import time

from isso import config
from isso.db import SQLite3
from workload import thread


def main(path: str, uri: str, n: int) -> None:
    """Insert the N-comment workload under ``uri`` unless it is there already."""
    try:
        with sqlite3.connect(path) as conn:
            if conn.execute("SELECT 1 FROM threads WHERE uri = ?", (uri,)).fetchone():
                return
    except sqlite3.Error:
        pass
    conf = config.load(config.default_file())
    conf.set("general", "dbpath", path)
    store = SQLite3(path, conf)
    store.threads.new(uri, f"Benchmark {uri}")
    ids: list[int] = []
    base = time.time() - n
    for spec in thread(n):
        parent = ids[spec.parent] if spec.parent is not None else None
        row = store.comments.add(uri, {"parent": parent, "created": base + spec.index, "mode": 1,
                                       "remote_addr": "127.0.0.1", "text": spec.body,
                                       "author": f"Bench {spec.author}", "email": None, "website": None,
                                       "notification": 0})
        ids.append(row["id"])


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
