"""Who saw what: a row each time a moderator opens a member's private record.

Revision ID: 2002
Revises: 2001
Create Date: 2026-12-02 06:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2002'
down_revision = '2001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'record_views',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('moderator_id', sa.Integer(), nullable=True),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('what', sa.String(length=40), nullable=False),
        sa.Column('viewed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['moderator_id'], ['users.id'], name=op.f('fk_record_views_moderator_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_record_views_member_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_record_views')),
    )
    op.create_index('ix_record_views_member', 'record_views', ['member_id', 'viewed_at'])


def downgrade():
    op.drop_index('ix_record_views_member', table_name='record_views')
    op.drop_table('record_views')
