"""Thanks and official responses (issue 22, "Taking part").

`comment_thanks`: one row per member who said a comment helped them (at most one each);
`comments.thanks_count` keeps their number in the transaction of each change, so reads never count
rows (and a notice to the author at most once a day per comment: an index on notifications finds the
last one). `comments.official_at`: when a verified member of the publisher's staff marked their own
comment as the organisation's official response (NULL: not one), with a partial index so a
thread's official responses are found without reading its comments.

Revision ID: 2202
Revises: 2201
Create Date: 2026-12-03 08:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "2202"
down_revision = "2201"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "comment_thanks",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_comment_thanks_comment_id_comments"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_comment_thanks_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("comment_id", "user_id", name=op.f("pk_comment_thanks")),
    )
    # A member's thanks on one page of a thread: by member, then comment.
    op.create_index("ix_comment_thanks_user", "comment_thanks", ["user_id", "comment_id"], unique=False)
    # "Told about this comment lately?": at most one thanks notice per comment a day.
    op.create_index(
        "ix_notifications_comment_kind", "notifications", ["comment_id", "kind", "created_at"], unique=False
    )
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("thanks_count", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("official_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index(
            "ix_comments_official",
            ["article_id", "created_at", "id"],
            unique=False,
            postgresql_where=sa.text("official_at IS NOT NULL"),
            sqlite_where=sa.text("official_at IS NOT NULL"),
        )


def downgrade():
    with op.batch_alter_table("comments") as batch:
        batch.drop_index("ix_comments_official")
        batch.drop_column("official_at")
        batch.drop_column("thanks_count")
    op.drop_index("ix_notifications_comment_kind", table_name="notifications")
    op.drop_index("ix_comment_thanks_user", table_name="comment_thanks")
    op.drop_table("comment_thanks")
