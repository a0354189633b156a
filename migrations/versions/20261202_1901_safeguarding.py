"""Safeguarding: cases for comments that say someone may be at risk, on-call moderators, help offered.

- ``safeguarding_cases``: one per comment the detector held or a member reported as "someone may
  be at risk", with the times the dashboard reports (opened, first read by a person, decided) and
  the moderator's outcome.
- ``on_call_moderators``: who is alerted at once.
- ``comments.offered_help``: the writer was shown where to get help now (and still is, with it).
- ``flags.reason`` accepts ``at_risk``.

Revision ID: 1901
Revises: 1802
Create Date: 2026-12-02 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1901'
down_revision = '1802'
branch_labels = None
depends_on = None

OLD_REASONS = ('spam', 'abusive', 'personal_data', 'misinformation', 'other')
NEW_REASONS = ('spam', 'abusive', 'personal_data', 'misinformation', 'at_risk', 'other')


def _reason(values):
    return sa.Enum(*values, name='flag_reason', native_enum=False, create_constraint=True, length=20)


def upgrade():
    op.create_table(
        'safeguarding_cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('comment_id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('signals', sa.String(length=200), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('first_read_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('first_read_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column(
            'outcome',
            sa.Enum('no_concern', 'support_sent', 'referred', name='safeguarding_outcome',
                    native_enum=False, create_constraint=True, length=20),
            nullable=True,
        ),
        sa.Column('referred_to', sa.String(length=200), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('support_sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_safeguarding_cases_comment_id_comments'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['first_read_by_id'], ['users.id'], name=op.f('fk_safeguarding_cases_first_read_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_safeguarding_cases_decided_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguarding_cases')),
        sa.UniqueConstraint('comment_id', name=op.f('uq_safeguarding_cases_comment_id')),
    )
    op.create_index('ix_safeguarding_cases_open', 'safeguarding_cases', ['decided_at', 'opened_at'])
    op.create_table(
        'on_call_moderators',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('since', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_on_call_moderators_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_on_call_moderators')),
    )
    with op.batch_alter_table('comments') as batch:
        batch.add_column(sa.Column('offered_help', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('flags') as batch:
        batch.alter_column('reason', existing_type=_reason(OLD_REASONS), type_=_reason(NEW_REASONS),
                           existing_nullable=False)


def downgrade():
    op.execute("DELETE FROM flags WHERE reason = 'at_risk'")
    with op.batch_alter_table('flags') as batch:
        batch.alter_column('reason', existing_type=_reason(NEW_REASONS), type_=_reason(OLD_REASONS),
                           existing_nullable=False)
    with op.batch_alter_table('comments') as batch:
        batch.drop_column('offered_help')
    op.drop_table('on_call_moderators')
    op.drop_index('ix_safeguarding_cases_open', table_name='safeguarding_cases')
    op.drop_table('safeguarding_cases')
