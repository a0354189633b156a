"""Keep the number of published articles, so the article list's total is read, not counted.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 03:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'site_counters',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_site_counters')),
    )
    op.execute(
        "INSERT INTO site_counters (name, value)"
        " SELECT 'published_articles', count(*) FROM articles WHERE published"
    )


def downgrade():
    op.drop_table('site_counters')
