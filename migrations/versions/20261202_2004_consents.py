"""Consent: what each member agreed to when joining (the privacy notice and house rules, by version).

Revision ID: 2004
Revises: 1601
Create Date: 2026-12-02 12:00:00

"""

from alembic import op
import sqlalchemy as sa


revision = "2004"
down_revision = "1601"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("notice", sa.String(length=40), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_consents_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consents")),
    )
    op.create_index("ix_consents_user", "consents", ["user_id", "notice", "accepted_at"])
    with op.batch_alter_table("registrations") as batch:
        batch.add_column(sa.Column("consented", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("registrations") as batch:
        batch.drop_column("consented")
    op.drop_index("ix_consents_user", table_name="consents")
    op.drop_table("consents")
