"""Keep each profile's name skeleton, so a new name that looks like someone else's is found at once.

"Mark Duman" with a Cyrillic а or a zero-width space reads as Mark Duman; the skeleton (Unicode
TR39, case folded, spaces removed: forum/platform/folding.py) is the same for all of them. Existing
profiles get theirs here.

Revision ID: 1502
Revises: 1501
Create Date: 2026-12-02 05:45:00

"""
from alembic import op
import sqlalchemy as sa

from forum.platform.folding import name_skeleton


revision = '1502'
down_revision = '1501'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_skeleton', sa.String(length=500), nullable=True))
        batch_op.create_index('ix_profiles_name_skeleton', ['name_skeleton'], unique=False)
    connection = op.get_bind()
    profiles = sa.table('profiles', sa.column('id', sa.Integer), sa.column('display_name', sa.String),
                        sa.column('name_skeleton', sa.String))
    rows = connection.execute(sa.select(profiles.c.id, profiles.c.display_name)).all()
    for row in rows:
        connection.execute(
            profiles.update().where(profiles.c.id == row.id).values(name_skeleton=name_skeleton(row.display_name)[:500])
        )


def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_name_skeleton')
        batch_op.drop_column('name_skeleton')
