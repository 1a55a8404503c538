-- The application role: what a deployed function's IAM database user may do, granted to
-- each of them by the deploy step (`npm run db:grant`). Read and write the schema's
-- tables and sequences, nothing else: no DDL, no migration bookkeeping, no other schema.
-- Roles are cluster-wide, so it is created only when missing (several databases of one
-- server, e.g. the tests' clones, share it).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bytereview_app') THEN
    CREATE ROLE bytereview_app NOLOGIN;
  END IF;
END
$$;

DO $$
BEGIN
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO bytereview_app', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO bytereview_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bytereview_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO bytereview_app;
REVOKE ALL ON kysely_migration, kysely_migration_lock FROM bytereview_app;

-- Tables and sequences later migrations create (run by the same migrator) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bytereview_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO bytereview_app;
