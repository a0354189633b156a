"""Seeds as the pages had them: no invented dates, the list by original date, inferred roles.

`comments.imported_at` and `articles.imported_at`: when the seed loader brought them in (the pages
record no comment dates, so such a comment shows none). `articles.listed_at`: the list's order, the
original date where known. `role_source` gains 'inferred' (a role guessed from a job title, not
stated on the page). Rows loaded before this revision are marked as imported here; the next
`flask seed` corrects their roles' sources and their articles' dates from the seed text.

Revision ID: 2101
Revises: 2005
Create Date: 2026-12-02 20:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "2101"
down_revision = "2005"
branch_labels = None
depends_on = None

OLD_SOURCES = ("declared", "source", "verified")
NEW_SOURCES = ("declared", "source", "inferred", "verified")
SEEDED = "SELECT id FROM profiles WHERE source_key LIKE 'seed:%'"


def _rebuild_check(table, name, column, values):
    """Replace an enum's CHECK (where the backend created one) with one listing ``values``."""
    checks = {c["name"] for c in sa.inspect(op.get_bind()).get_check_constraints(table)}
    if name not in checks:
        return
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(name), type_="check")
        batch_op.create_check_constraint(op.f(name), f"{column} IN ({', '.join(repr(v) for v in values)})")


def upgrade():
    _rebuild_check("profiles", "ck_profiles_role_source", "role_source", NEW_SOURCES)
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_index("ix_articles_listing")
        batch.create_index("ix_articles_listing", ["state", "listed_at", "id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":  # search finds an article by its byline too
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute(
            "CREATE INDEX ix_articles_search ON articles USING gin "
            "(to_tsvector('english', title || ' ' || coalesce(byline_name, '') || ' ' || body))"
        )
    op.execute(f"UPDATE comments SET imported_at = created_at WHERE author_id IN ({SEEDED})")
    op.execute("UPDATE articles SET listed_at = published_at")
    # An article with imported comments came from the seeds; the next `flask seed` dates it.
    op.execute(
        "UPDATE articles SET imported_at = created_at WHERE id IN "
        "(SELECT article_id FROM comments WHERE imported_at IS NOT NULL)"
    )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_articles_search")
        op.execute(
            "CREATE INDEX ix_articles_search ON articles USING gin (to_tsvector('english', title || ' ' || body))"
        )
    with op.batch_alter_table("articles") as batch:
        batch.drop_index("ix_articles_listing")
        batch.create_index("ix_articles_listing", ["state", "published_at", "id"], unique=False)
        batch.drop_column("listed_at")
        batch.drop_column("imported_at")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("imported_at")
    op.execute("UPDATE profiles SET role_source = 'source' WHERE role_source = 'inferred'")
    _rebuild_check("profiles", "ck_profiles_role_source", "role_source", OLD_SOURCES)
