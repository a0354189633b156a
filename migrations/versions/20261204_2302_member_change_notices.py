"""Tell each app worker, the moment a member's own rows change, that their kept pages are stale (issue 23).

A member's thread page a worker kept (forum/discussion/web/member_pages.py) depends on the member's
session, account, profile, sanctions, notifications, visits, follows, thanks and own comments. On
PostgreSQL a trigger on each of those tables sends ``NOTIFY forum_members, '<account id>'`` in the
transaction that changes a row (delivered at its commit, whoever wrote it: a view, a job, a script,
psql), and every worker LISTENs (discussion/services/member_watch.py). SQLite has neither: there
each kept page is checked by one statement instead.

Revision ID: 2302
Revises: 2301
Create Date: 2026-12-04 03:00:00

"""

from alembic import op


revision = "2302"
down_revision = "2301"
branch_labels = None
depends_on = None

# Each table, the column that names the member, and whether it holds a profile's id (then the
# account with that profile is told).
WATCHED = (
    ("user_sessions", "user_id", False),
    ("users", "id", False),
    ("profiles", "id", True),
    ("sanctions", "user_id", False),
    ("notifications", "user_id", False),
    ("thread_visits", "user_id", False),
    ("follows", "user_id", False),
    ("comment_thanks", "user_id", False),
    ("comments", "author_id", True),
)

FUNCTION = """
CREATE OR REPLACE FUNCTION forum_member_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed jsonb[] := ARRAY[]::jsonb[];
  one jsonb;
  member text;
BEGIN
  IF TG_OP <> 'INSERT' THEN changed := changed || to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN changed := changed || to_jsonb(NEW); END IF;
  FOREACH one IN ARRAY changed LOOP
    member := one ->> TG_ARGV[0];
    CONTINUE WHEN member IS NULL;
    IF TG_NARGS > 1 THEN
      FOR member IN SELECT id::text FROM users WHERE profile_id = member::integer LOOP
        PERFORM pg_notify('forum_members', member);
      END LOOP;
    ELSE
      PERFORM pg_notify('forum_members', member);
    END IF;
  END LOOP;
  RETURN NULL;
END $$
"""


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    for table, column, profile in WATCHED:
        arguments = f"'{column}', 'profile'" if profile else f"'{column}'"
        op.execute(
            f"CREATE TRIGGER forum_member_changed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION forum_member_changed({arguments})"
        )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, _, _ in WATCHED:
        op.execute(f"DROP TRIGGER IF EXISTS forum_member_changed ON {table}")
    op.execute("DROP FUNCTION IF EXISTS forum_member_changed()")
