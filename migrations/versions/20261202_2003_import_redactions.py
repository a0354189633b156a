"""Personal data taken out of imported comments: where, by which rule (never the data itself).

Revision ID: 2003
Revises: 2002
Create Date: 2026-12-02 06:25:00

"""
from alembic import op
import sqlalchemy as sa


revision = '2003'
down_revision = '2002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'import_redactions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.String(length=40), nullable=False),
        sa.Column('label', sa.String(length=60), nullable=False),
        sa.Column('start', sa.Integer(), nullable=False),
        sa.Column('source_start', sa.Integer(), nullable=False),
        sa.Column('source_end', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('restored_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('restored_by_id', sa.Integer(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_import_redactions_comment_id_comments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['restored_by_id'], ['users.id'], name=op.f('fk_import_redactions_restored_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_import_redactions')),
    )
    op.create_index(op.f('ix_import_redactions_comment_id'), 'import_redactions', ['comment_id'])


def downgrade():
    op.drop_index(op.f('ix_import_redactions_comment_id'), table_name='import_redactions')
    op.drop_table('import_redactions')
