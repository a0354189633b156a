"""Held edits, appeals, the "always pre-moderate" sanction and two more decision reasons.

`held_edits`: an edit by a pre-moderated member waiting for a moderator (readers keep the approved text).
`appeals`: an author's one appeal against a rejection or take-down, decided by another moderator.
The reject_reason list gains safeguarding and impersonation; sanction kinds gain premoderation:
their CHECK constraints are rebuilt where the backend has them.

Revision ID: 1601
Revises: 1502
Create Date: 2026-12-02 05:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1601'
down_revision = '1502'
branch_labels = None
depends_on = None

OLD_REASONS = ('off_topic', 'abusive', 'personal_data', 'spam', 'other')
NEW_REASONS = ('off_topic', 'abusive', 'personal_data', 'safeguarding', 'impersonation', 'spam', 'other')
OLD_KINDS = ('suspension', 'ban')
NEW_KINDS = ('suspension', 'ban', 'premoderation')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _rebuild_check(table, name, column, values):
    """Replace an enum's CHECK (where the backend created one) with one listing ``values``."""
    checks = {c['name'] for c in sa.inspect(op.get_bind()).get_check_constraints(table)}
    if name not in checks:
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_='check')
        batch_op.create_check_constraint(op.f(name), _in(column, values))


def upgrade():
    _rebuild_check('comments', 'ck_comments_reject_reason', 'reject_reason', NEW_REASONS)
    _rebuild_check('sanctions', 'ck_sanctions_sanction_kind', 'kind', NEW_KINDS)
    op.create_table('held_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('held_because', sa.String(length=500), nullable=True),
    sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='edit_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.Enum(*NEW_REASONS, name='reject_reason', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_held_edits_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_held_edits_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_held_edits'))
    )
    with op.batch_alter_table('held_edits', schema=None) as batch_op:
        batch_op.create_index('ix_held_edits_comment', ['comment_id', 'status'], unique=False)
        batch_op.create_index('ix_held_edits_queue', ['status', 'created_at'], unique=False)

    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'upheld', 'dismissed', name='appeal_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('appealed_decider_id', sa.Integer(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['appealed_decider_id'], ['users.id'], name=op.f('fk_appeals_appealed_decider_id_users')),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_appeals_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_appeals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_appeals_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_appeals_comment_id'))
    )
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.create_index('ix_appeals_queue', ['status', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('appeals', schema=None) as batch_op:
        batch_op.drop_index('ix_appeals_queue')
    op.drop_table('appeals')
    with op.batch_alter_table('held_edits', schema=None) as batch_op:
        batch_op.drop_index('ix_held_edits_queue')
        batch_op.drop_index('ix_held_edits_comment')
    op.drop_table('held_edits')
    op.execute("DELETE FROM sanctions WHERE kind = 'premoderation'")
    op.execute("UPDATE comments SET reject_reason = 'other' WHERE reject_reason IN ('safeguarding', 'impersonation')")
    _rebuild_check('sanctions', 'ck_sanctions_sanction_kind', 'kind', OLD_KINDS)
    _rebuild_check('comments', 'ck_comments_reject_reason', 'reject_reason', OLD_REASONS)
