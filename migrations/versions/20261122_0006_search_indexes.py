"""Index comment and article text for full-text search on PostgreSQL.

SQLite searches with LIKE and has no such index. The expressions must stay identical to
forum/services/search.py's COMMENT_DOCUMENT and ARTICLE_DOCUMENT, or the planner will not use them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 02:30:00

"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(
        "CREATE INDEX ix_comments_search ON comments USING gin (to_tsvector('english', body))"
    )
    op.execute(
        "CREATE INDEX ix_articles_search ON articles "
        "USING gin (to_tsvector('english', title || ' ' || body))"
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP INDEX IF EXISTS ix_articles_search')
    op.execute('DROP INDEX IF EXISTS ix_comments_search')
