"""Erasure: a comment whose author erased their account keeps its place, marked, with no text.

Revision ID: 2005
Revises: 2004
Create Date: 2026-12-02 12:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2005'
down_revision = '2004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments') as batch:
        batch.add_column(sa.Column('author_erased_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('comments') as batch:
        batch.drop_column('author_erased_at')
