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
 * What an administrator runs once, as `postgres` connected to the application database,
 * before the first migration (README, Deploy to Google Cloud): the migrator's IAM user
 * may create in the schema and grant on the database, and administers the application
 * role, which `postgres` creates because an IAM user cannot be given CREATEROLE.
 */
export function migratorBootstrapSql(migrator: string, database: string): string {
  const user = `"${migrator.replaceAll('"', '""')}"`;
  const db = `"${database.replaceAll('"', '""')}"`;
  return [
    `GRANT ALL ON DATABASE ${db} TO ${user} WITH GRANT OPTION;`,
    `GRANT ALL ON SCHEMA public TO ${user};`,
    `CREATE ROLE ${APPLICATION_ROLE} NOLOGIN;`,
    `GRANT ${APPLICATION_ROLE} TO ${user} WITH ADMIN OPTION;`,
  ].join('\n');
}
