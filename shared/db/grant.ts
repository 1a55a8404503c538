import { sql, type Kysely } from 'kysely';

/** The role sql/000014_application_role creates: read and write the schema's tables, nothing else. */
export const APPLICATION_ROLE = 'bytereview_app';

/**
 * Makes each database user (a function's IAM user, `fn@project.iam`) a member of the
 * application role, so it reads and writes the tables and nothing else. Run by the deploy
 * step after the migrations (`npm run db:grant`); granting twice changes nothing. A user
 * that does not exist yet (Terraform creates them) is an error naming it.
 *
 * @example await grantApplicationRole(db, ['bytereview-fn-api@my-project.iam']);
 */
export async function grantApplicationRole(db: Kysely<any>, users: string[]): Promise<void> {
  for (const user of users) {
    const exists = await sql<{ found: number }>`SELECT 1 AS found FROM pg_roles WHERE rolname = ${user}`.execute(db);
    if (exists.rows.length === 0) throw new Error(`database user "${user}" does not exist: apply terraform/ first (google_sql_user)`);
    await sql`GRANT ${sql.id(APPLICATION_ROLE)} TO ${sql.id(user)}`.execute(db);
  }
}

/**
 * What an administrator runs once, as `postgres`, so the migrator's IAM user can own the
 * schema and create the application role (README, Deploy to Google Cloud).
 */
export function migratorBootstrapSql(migrator: string, database: string): string {
  const user = `"${migrator.replaceAll('"', '""')}"`;
  const db = `"${database.replaceAll('"', '""')}"`;
  return [
    `ALTER ROLE ${user} WITH CREATEROLE;`,
    `ALTER DATABASE ${db} OWNER TO ${user};`,
    `\\connect ${db}`,
    `ALTER SCHEMA public OWNER TO ${user};`,
  ].join('\n');
}
