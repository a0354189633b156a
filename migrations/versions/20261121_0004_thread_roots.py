"""Record each reply's top-level comment, so a page of a long thread loads in a fixed number of queries.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 21:58:52.519038

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('root_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_comments_root_id', ['root_id'], unique=False)
        batch_op.create_index('ix_comments_roots', ['article_id', 'parent_id', 'created_at', 'id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_root_id_comments'), 'comments', ['root_id'], ['id'], ondelete='CASCADE')

    # Backfill: walk each reply up to its top-level comment (plain SQL, no app models).
    bind = op.get_bind()
    comments = sa.table('comments', sa.column('id', sa.Integer), sa.column('parent_id', sa.Integer),
                        sa.column('root_id', sa.Integer))
    parents = dict(bind.execute(sa.select(comments.c.id, comments.c.parent_id)).all())

    def root_of(comment_id):
        seen = set()
        while parents.get(comment_id) is not None and comment_id not in seen:
            seen.add(comment_id)
            comment_id = parents[comment_id]
        return comment_id

    updates = [{'cid': cid, 'rid': root_of(cid)} for cid, parent in parents.items() if parent is not None]
    if updates:
        bind.execute(comments.update().where(comments.c.id == sa.bindparam('cid')).values(root_id=sa.bindparam('rid')),
                     updates)


def downgrade():
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comments_root_id_comments'), type_='foreignkey')
        batch_op.drop_index('ix_comments_roots')
        batch_op.drop_index('ix_comments_root_id')
        batch_op.drop_column('root_id')

