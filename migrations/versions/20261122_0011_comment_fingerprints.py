"""Store a digest of each comment's normalised text, so the repeated-text rule is one indexed lookup.

The policy compared a new comment with every text its author posted in the last minutes, fetched
and normalised in Python; now it asks whether a row of theirs with the same digest exists in that
window, straight from (author_id, fingerprint), however much they post. Older rows keep NULL: the
window is minutes long.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 05:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fingerprint', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_comments_author_fingerprint', ['author_id', 'fingerprint'], unique=False)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_author_fingerprint')
        batch_op.drop_column('fingerprint')
