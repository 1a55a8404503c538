ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM bytereview_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT, UPDATE ON SEQUENCES FROM bytereview_app;
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bytereview_app;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM bytereview_app;
REVOKE USAGE ON SCHEMA public FROM bytereview_app;

DO $$
BEGIN
  EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM bytereview_app', current_database());
  -- Another database of this server may still grant it something (roles are cluster-wide):
  -- then the role stays, holding nothing here.
  BEGIN
    DROP ROLE bytereview_app;
  EXCEPTION WHEN dependent_objects_still_exist THEN
    NULL;
  END;
END
$$;
