"""Add moderation: decisions on comments, rule hits, reports, sanctions, notes, banned words, notifications, the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21 21:37:43.788426

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('before', sa.Text(), nullable=True),
    sa.Column('after', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_log_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
    sa.UniqueConstraint('entry_hash', name=op.f('uq_audit_log_entry_hash'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor', ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_log_comment', ['comment_id'], unique=False)
        batch_op.create_index('ix_audit_log_member', ['member_id'], unique=False)

    op.create_table('banned_words',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_banned_words_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_banned_words')),
    sa.UniqueConstraint('word', name=op.f('uq_banned_words_word'))
    )
    op.create_table('member_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_member_notes_author_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_member_notes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_member_notes'))
    )
    with op.batch_alter_table('member_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_member_notes_user_id'), ['user_id'], unique=False)

    op.create_table('sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('suspension', 'ban', name='sanction_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sanctions_created_by_id_users')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_sanctions_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sanctions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sanctions'))
    )
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sanctions_user_id'), ['user_id'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('flagger_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('spam', 'abusive', 'personal_data', 'misinformation', 'other', name='flag_reason', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('status', sa.Enum('open', 'dismissed', 'upheld', name='flag_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_flags_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['flagger_id'], ['users.id'], name=op.f('fk_flags_flagger_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_flags_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flags')),
    sa.UniqueConstraint('comment_id', 'flagger_id', name='uq_flags_comment_flagger')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_open', ['status', 'comment_id'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_notifications_comment_id_comments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user_unread', ['user_id', 'read_at'], unique=False)

    op.create_table('rule_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=40), nullable=False),
    sa.Column('matched', sa.String(length=500), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comments.id'], name=op.f('fk_rule_hits_comment_id_comments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_hits'))
    )
    with op.batch_alter_table('rule_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_hits_comment_id'), ['comment_id'], unique=False)

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reject_reason', sa.Enum('off_topic', 'abusive', 'personal_data', 'spam', 'other', name='reject_reason', native_enum=False, create_constraint=True, length=20), nullable=True))
        batch_op.add_column(sa.Column('decision_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('redacted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('hidden_by_flags_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('held_because', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.create_index('ix_comments_queue', ['status', 'created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_comments_decided_by_id_users'), 'users', ['decided_by_id'], ['id'])
        batch_op.create_check_constraint(
            op.f('ck_comments_rejection_has_reason'),
            "status NOT IN ('rejected', 'removed') OR reject_reason IS NOT NULL OR deleted_at IS NOT NULL",
        )
        batch_op.create_check_constraint(
            op.f('ck_comments_decision_has_time'), '(decided_by_id IS NULL) = (decided_at IS NULL)'
        )

    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('verification_method', sa.String(length=300), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_profiles_verified_by_id_users'), 'users', ['verified_by_id'], ['id'], use_alter=True)



def downgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_profiles_verified_by_id_users'), type_='foreignkey')
        batch_op.drop_column('verification_method')
        batch_op.drop_column('verified_at')
        batch_op.drop_column('verified_by_id')

    # The enum's own CHECK exists where the backend created one (SQLite's table rebuild does).
    checks = {c['name'] for c in sa.inspect(op.get_bind()).get_check_constraints('comments')}
    with op.batch_alter_table('comments', schema=None) as batch_op:
        if 'ck_comments_reject_reason' in checks:
            batch_op.drop_constraint(batch_op.f('ck_comments_reject_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_comments_decision_has_time'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_comments_rejection_has_reason'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_comments_decided_by_id_users'), type_='foreignkey')
        batch_op.drop_index('ix_comments_queue')
        batch_op.drop_column('version')
        batch_op.drop_column('held_because')
        batch_op.drop_column('hidden_by_flags_at')
        batch_op.drop_column('redacted_at')
        batch_op.drop_column('decision_note')
        batch_op.drop_column('reject_reason')
        batch_op.drop_column('decided_at')
        batch_op.drop_column('decided_by_id')

    with op.batch_alter_table('rule_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_hits_comment_id'))

    op.drop_table('rule_hits')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user_unread')

    op.drop_table('notifications')
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_open')

    op.drop_table('flags')
    with op.batch_alter_table('sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sanctions_user_id'))

    op.drop_table('sanctions')
    with op.batch_alter_table('member_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_member_notes_user_id'))

    op.drop_table('member_notes')
    op.drop_table('banned_words')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_member')
        batch_op.drop_index('ix_audit_log_comment')
        batch_op.drop_index('ix_audit_log_actor')

    op.drop_table('audit_log')
