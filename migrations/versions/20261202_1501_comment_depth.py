"""Store each comment's reply depth, so posting can bound how deep a chain of replies goes.

A chain of ~127 replies nested past what orjson (and any reader) accepts made a thread's JSON a 500
for everyone. Posting now reads the parent's depth in the statement it already makes and hangs a
reply to a comment at REPLY_DEPTH_MAX beside it instead (forum/discussion/services/posting.py).
Existing rows get their depth from their chain of parents; reads bound chains older than the rule
as well (forum/discussion/services/threads.py).

Revision ID: 1501
Revises: 1701
Create Date: 2026-12-02 05:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1501'
down_revision = '1701'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('depth', sa.Integer(), nullable=False, server_default='0'))
    op.execute(
        """
        WITH RECURSIVE chain(id, depth) AS (
            SELECT id, 0 FROM comments WHERE parent_id IS NULL
            UNION ALL
            SELECT c.id, chain.depth + 1 FROM comments c JOIN chain ON c.parent_id = chain.id
        )
        UPDATE comments SET depth = (SELECT chain.depth FROM chain WHERE chain.id = comments.id)
        WHERE parent_id IS NOT NULL
        """
    )


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('depth')
