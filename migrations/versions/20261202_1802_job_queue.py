"""Create the job queue's tables on PostgreSQL: procrastinate's schema (the worker's broker).

Procrastinate keeps its jobs in the forum's own database, so a job is deferred in the same
transaction as the change that causes it. Its schema is procrastinate's own SQL, applied here so
that migrations stay the one way the schema changes; ``pyproject.toml`` pins procrastinate to the
3.10 series, whose schema this is. A later procrastinate upgrade comes with a new revision that
applies the migration scripts it ships (``procrastinate.schema.migrations_path``), in order.

SQLite has no job queue: there the forum runs its jobs in-process after each commit.

Revision ID: 1802
Revises: 1801
Create Date: 2026-12-02 02:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '1802'
down_revision = '1801'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    from procrastinate.schema import SchemaManager

    # The schema is plain SQL with its own casts (::jsonb): run it as it is, not as a template.
    op.execute(sa.text(SchemaManager.get_schema().replace(':', r'\:')))


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute(sa.text(
        "DO $$ DECLARE item record; BEGIN "
        "FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename LIKE 'procrastinate\\_%' LOOP "
        "EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', item.tablename); END LOOP; "
        "FOR item IN SELECT p.oid::regprocedure AS signature FROM pg_proc p "
        "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema() "
        "AND p.proname LIKE 'procrastinate\\_%' LOOP "
        "EXECUTE format('DROP ROUTINE IF EXISTS %s CASCADE', item.signature); END LOOP; "
        "FOR item IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate\\_%' AND t.typtype IN ('e', 'c') LOOP "
        "EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', item.typname); END LOOP; END $$"
    ))
