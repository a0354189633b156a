"""Show the query plans behind a request: EXPLAIN (ANALYZE, BUFFERS) of every SELECT it runs.

    .venv/bin/python bench/plans.py DATABASE_URL PATH [PATH ...]

The request runs through the app as an anonymous reader (Flask's test client, no Redis), its
statements are recorded with their parameters, then each SELECT is explained on the same database.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event

from forum import create_app
from forum.platform.database import db


def plans(database_url: str, paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Return, per path, each SELECT it ran with its plan (text) and execution time in ms."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": None, "RATELIMIT_ENABLED": False})
    logging.disable(logging.INFO)
    out: dict[str, list[dict[str, Any]]] = {}
    with app.app_context():
        captured: list[tuple[str, Any]] = []

        def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
            if statement.lstrip().upper().startswith(("SELECT", "WITH")):
                captured.append((statement, params))

        event.listen(db.engine, "before_cursor_execute", record)
        client = app.test_client()
        for path in paths:
            captured.clear()
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code}")
            statements = list(captured)
            event.remove(db.engine, "before_cursor_execute", record)
            rows = []
            with db.engine.connect() as conn:
                for statement, params in statements:
                    plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, params).scalars().all()
                    text = "\n".join(plan)
                    took = next((line.split(":")[1].strip() for line in plan if line.startswith("Execution Time")), "")
                    rows.append({"sql": _short(statement), "plan": text, "execution": took})
            event.listen(db.engine, "before_cursor_execute", record)
            out[path] = rows
    return out


def _short(statement: str) -> str:
    """Shorten a long IN (...) list of parameters so the plan stays readable."""
    first = statement.find("%(")
    if statement.count("%(") > 12 and first >= 0:
        return " ".join(statement.split())[:600] + " ..."
    return " ".join(statement.split())


def markdown(found: dict[str, list[dict[str, Any]]]) -> str:
    """Format the plans for docs/performance.md."""
    parts = []
    for path, rows in found.items():
        parts.append(f"#### `GET {path}`\n")
        for i, row in enumerate(rows, 1):
            parts.append(f"Query {i} ({row['execution']}): `{row['sql'][:300]}`\n\n```\n{row['plan']}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    print(markdown(plans(sys.argv[1], sys.argv[2:])))
