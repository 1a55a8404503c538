/**
 * `npm run db:grant -- <user> ...`        grants the application role to each database user
 * `npm run db:grant -- --json <file|->`   the users from a JSON map or list (`terraform output -json database_users`)
 * `npm run db:grant -- --bootstrap <migrator user> [database]`  prints the one-time SQL an administrator runs as postgres
 * Connects like `npm run migrate` (DATABASE_URL or CLOUD_SQL_INSTANCE + CLOUD_SQL_IAM_USER: the migrator).
 */
import { readFile } from 'node:fs/promises';
import { loadDatabaseConfig } from './config.js';
import { openDatabase } from './connect.js';
import { grantApplicationRole, migratorBootstrapSql } from './grant.js';

const args = process.argv.slice(2);

async function usersFromArgs(): Promise<string[]> {
  if (args[0] !== '--json') return args;
  const text = args[1] === '-' || !args[1] ? await readStdin() : await readFile(args[1], 'utf8');
  const parsed: unknown = JSON.parse(text);
  const users = Array.isArray(parsed) ? parsed : Object.values(parsed as Record<string, unknown>);
  if (!users.every((u): u is string => typeof u === 'string' && u.length > 0)) throw new Error('--json expects a list or a map of database user names');
  return users;
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

if (args[0] === '--bootstrap') {
  if (!args[1]) throw new Error('usage: npm run db:grant -- --bootstrap <migrator database user> [database]');
  console.log(migratorBootstrapSql(args[1], args[2] ?? 'bytereview'));
} else {
  const users = await usersFromArgs();
  if (users.length === 0) throw new Error('usage: npm run db:grant -- <database user> ... | --json <file|->');
  const handle = await openDatabase(loadDatabaseConfig());
  try {
    await grantApplicationRole(handle.db, users);
    for (const user of users) console.log(`granted bytereview_app to ${user}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  } finally {
    await handle.close();
  }
}
