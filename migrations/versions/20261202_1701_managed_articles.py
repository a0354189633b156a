"""Make articles managed: a state (draft, published, archived), comments open, closed or hidden, the
byline's description and profile, the original date, a canonical URL, old slugs; the editor access.

`published` and `comments_open` become `state` and `comments_mode` (their values carried over);
`byline` is renamed `byline_name`. Published articles get `published_at` = `created_at`, the list's
order as before. `article_slugs` keeps the slugs a published article had, so old links redirect.

Revision ID: 1701
Revises: 2003
Create Date: 2026-12-02 05:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1701'
down_revision = '2003'
branch_labels = None
depends_on = None

STATE = sa.Enum('draft', 'published', 'archived', name='article_state', native_enum=False, create_constraint=True, length=20)
MODE = sa.Enum('open', 'closed', 'hidden', name='comments_mode', native_enum=False, create_constraint=True, length=20)


def _checks(table):
    return {c['name'] for c in sa.inspect(op.get_bind()).get_check_constraints(table)}


def _set_access_values(values):
    checks = _checks('users')
    listed = ", ".join(f"'{v}'" for v in values)
    with op.batch_alter_table('users', schema=None) as batch_op:
        if 'ck_users_access' in checks:
            batch_op.drop_constraint(op.f('ck_users_access'), type_='check')
        batch_op.create_check_constraint(op.f('ck_users_access'), f"access IN ({listed})")


def upgrade():
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('byline', new_column_name='byline_name', existing_type=sa.String(length=500))
        batch_op.add_column(sa.Column('byline_description', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('byline_profile_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_date', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('original_date_sort', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('canonical_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('state', STATE, nullable=True))
        batch_op.add_column(sa.Column('comments_mode', MODE, nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE articles SET "
        "state = CASE WHEN published THEN 'published' ELSE 'draft' END, "
        "comments_mode = CASE WHEN comments_open THEN 'open' ELSE 'closed' END, "
        "published_at = CASE WHEN published THEN created_at ELSE NULL END"
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('state', existing_type=STATE, nullable=False)
        batch_op.alter_column('comments_mode', existing_type=MODE, nullable=False)
        batch_op.drop_index('ix_articles_listing')
        batch_op.drop_column('published')
        batch_op.drop_column('comments_open')
        batch_op.create_index('ix_articles_listing', ['state', 'published_at', 'id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_articles_byline_profile_id_profiles'), 'profiles', ['byline_profile_id'], ['id'],
            ondelete='SET NULL',
        )
    op.create_table('article_slugs',
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_slugs_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('slug', name=op.f('pk_article_slugs'))
    )
    with op.batch_alter_table('article_slugs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_article_slugs_article_id'), ['article_id'], unique=False)
    _set_access_values(['member', 'moderator', 'editor', 'admin'])


def downgrade():
    op.execute("UPDATE users SET access = 'member' WHERE access = 'editor'")
    _set_access_values(['member', 'moderator', 'admin'])
    with op.batch_alter_table('article_slugs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_article_slugs_article_id'))
    op.drop_table('article_slugs')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('comments_open', sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE articles SET published = (state = 'published'), comments_open = (comments_mode = 'open')"
    )
    checks = _checks('articles')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.alter_column('published', existing_type=sa.Boolean(), nullable=False)
        batch_op.alter_column('comments_open', existing_type=sa.Boolean(), nullable=False)
        batch_op.drop_constraint(batch_op.f('fk_articles_byline_profile_id_profiles'), type_='foreignkey')
        batch_op.drop_index('ix_articles_listing')
        for name in ('ck_articles_article_state', 'ck_articles_comments_mode'):
            if name in checks:
                batch_op.drop_constraint(op.f(name), type_='check')
        batch_op.drop_column('published_at')
        batch_op.drop_column('comments_mode')
        batch_op.drop_column('state')
        batch_op.drop_column('canonical_url')
        batch_op.drop_column('original_date_sort')
        batch_op.drop_column('original_date')
        batch_op.drop_column('byline_profile_id')
        batch_op.drop_column('byline_description')
        batch_op.alter_column('byline_name', new_column_name='byline', existing_type=sa.String(length=500))
        batch_op.create_index('ix_articles_listing', ['published', 'created_at', 'id'], unique=False)
