"""The schema comes only from the migrations, and they agree with the models on both databases."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from forum.platform.database import db


# SQLite's reflection cannot read an index on an expression, so alembic cannot compare that one there
# (PostgreSQL's can, and does): it says so; the test below looks for it by name instead.
@pytest.mark.filterwarnings("ignore:.*expression-based index ix_comments_published")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_models_and_migrations_agree(runner):
    result = runner.invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_the_index_on_an_expression_is_there(app):
    """``ix_comments_published`` (on when a comment was published) on both databases."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'ix_comments_published'"
        else:
            query = "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_comments_published'"
        assert conn.execute(text(query)).scalar() == "ix_comments_published"


def test_migrations_go_down_and_up_again(app):
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert {"articles", "comments", "profiles"} <= set(inspect(db.engine).get_table_names())
