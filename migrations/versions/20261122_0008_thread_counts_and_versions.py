"""Keep each article's public comment count and a thread version; index top-level comments for paging.

The count (approved, undeleted comments) lets the article list and a thread page show it without
counting rows; the version, bumped with every change to a thread, keys caches and ETags. The
partial index lets PostgreSQL read a page of top-level comments in order and stop.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 02:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('comment_count', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('thread_version', sa.Integer(), server_default=sa.text('1'), nullable=False))
    op.execute(
        "UPDATE articles SET comment_count = (SELECT count(*) FROM comments"
        " WHERE comments.article_id = articles.id AND comments.status = 'approved'"
        " AND comments.deleted_at IS NULL)"
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_roots')
        batch_op.create_index(
            'ix_comments_thread_roots',
            ['article_id', 'created_at', 'id'],
            unique=False,
            postgresql_where=sa.text('parent_id IS NULL'),
            sqlite_where=sa.text('parent_id IS NULL'),
        )


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_thread_roots')
        batch_op.create_index('ix_comments_roots', ['article_id', 'parent_id', 'created_at', 'id'], unique=False)
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('thread_version')
        batch_op.drop_column('comment_count')
