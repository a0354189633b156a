"""Tell each app worker, the moment anything the moderation queue shows changes, that its copies are stale.

The API's queue a worker kept (forum/moderation/http/queue_copies.py) shows comments, their articles,
their authors' profiles, accounts and sanctions, rule hits, reports, held edits, appeals and
safeguarding cases. On PostgreSQL a trigger on each of those tables sends ``NOTIFY forum_members,
'queue'`` once per statement that changes rows (for articles, profiles and accounts: a column the
queue shows), delivered at its commit whoever wrote it (a transaction's identical notices are
delivered once), on the channel the workers already LISTEN on
for members' pages (migration 2302). SQLite has neither: there every read builds the queue.

Revision ID: 2303
Revises: 2302
Create Date: 2026-12-04 20:30:00

"""

from alembic import op


revision = "2303"
down_revision = "2302"
branch_labels = None
depends_on = None

# Each table, and the columns whose update the queue shows (None: any change to a row). An article's
# stored counts and thread version, an account's last login, move on every post and every login and
# are nowhere in the queue: they send nothing.
WATCHED = (
    ("comments", None),
    ("articles", ("slug", "title")),
    ("profiles", ("display_name", "job_title", "organisation", "role", "role_source")),
    ("users", ("profile_id",)),
    ("sanctions", None),
    ("rule_hits", None),
    ("flags", None),
    ("held_edits", None),
    ("appeals", None),
    ("safeguarding_cases", None),
)

FUNCTION = """
CREATE OR REPLACE FUNCTION forum_queue_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('forum_members', 'queue');
  RETURN NULL;
END $$
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, columns in WATCHED:
        update = "UPDATE" if columns is None else f"UPDATE OF {', '.join(columns)}"
        op.execute(
            f"CREATE TRIGGER forum_queue_changed AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION forum_queue_changed()"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _ in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS forum_queue_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS forum_queue_changed()")
