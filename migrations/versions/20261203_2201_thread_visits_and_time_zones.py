"""What's new since a member's last visit, and each member's time zone.

`thread_visits`: per member and article, when they last read the thread (`seen_at`, written at most
every few minutes) and the start of the visit before this one (`since`): comments published after
`since` are marked "New". `users.time_zone`: the zone a member reads times in (NULL: the site's
default, Europe/London), kept in step with the digest's zone in the notification settings.

Revision ID: 2201
Revises: 2101
Create Date: 2026-12-03 08:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "2201"
down_revision = "2101"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "thread_visits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("since", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_thread_visits_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["articles.id"], name=op.f("fk_thread_visits_article_id_articles"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "article_id", name=op.f("pk_thread_visits")),
    )
    op.create_index("ix_thread_visits_article", "thread_visits", ["article_id"], unique=False)
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))
    # The zone a member chose for their digest is theirs for pages too (one setting, kept in step).
    op.execute(
        "UPDATE users SET time_zone = (SELECT s.time_zone FROM notification_settings s WHERE s.user_id = users.id)"
        " WHERE EXISTS (SELECT 1 FROM notification_settings s"
        " WHERE s.user_id = users.id AND s.time_zone <> 'Europe/London')"
    )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("time_zone")
    op.drop_index("ix_thread_visits_article", table_name="thread_visits")
    op.drop_table("thread_visits")
