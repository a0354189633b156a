"""Index comments by author and time, so posting checks a member's recent comments without reading all of them.

The moderation policy looks at a member's ten latest decided comments and at what they posted in
the last minutes; with this index both read a handful of rows however many the member has written.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 03:00:00

"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index('ix_comments_author_recent', ['author_id', 'created_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_recent')
