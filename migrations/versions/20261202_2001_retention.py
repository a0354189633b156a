"""Retention: mark what the retention policy purged (a refused comment's text, an earlier text).

Revision ID: 2001
Revises: 1901
Create Date: 2026-12-02 06:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2001'
down_revision = '1901'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments') as batch:
        batch.add_column(sa.Column('text_purged_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('comment_revisions') as batch:
        batch.add_column(sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('comment_revisions') as batch:
        batch.drop_column('purged_at')
    with op.batch_alter_table('comments') as batch:
        batch.drop_column('text_purged_at')
