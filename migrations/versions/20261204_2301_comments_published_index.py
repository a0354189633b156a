"""What is new in a thread since a member's last visit, found by an index (issue 23).

Every member's thread page counts the comments published since their previous visit and finds the
first (discussion/services/thread_marks.py ``news_columns``): published is
``coalesce(decided_at, created_at)``. Without an index on it, both read every comment of the
thread; with it, only the new ones.

Revision ID: 2301
Revises: 2202
Create Date: 2026-12-04 02:30:00

"""

from alembic import op
import sqlalchemy as sa


revision = "2301"
down_revision = "2202"
branch_labels = None
depends_on = None


COLUMNS = ["article_id", sa.text("coalesce(decided_at, created_at)")]


def upgrade():
    if op.get_bind().dialect.name == "postgresql":  # built without stopping posts meanwhile
        with op.get_context().autocommit_block():
            op.create_index("ix_comments_published", "comments", COLUMNS, postgresql_concurrently=True)
    else:
        op.create_index("ix_comments_published", "comments", COLUMNS)


def downgrade():
    op.drop_index("ix_comments_published", table_name="comments")
