import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU seconds (user + system) used so far by the server backends connected to `database`,
 * read from /proc (the bench runs beside the server). Null where /proc is not readable.
 * The query runs on its own connection, so it is not counted with the bench's statements.
 */
export async function backendCpuSeconds(adminUrl: string, database: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15)
      } catch {
        return null;
      }
    }
    return ticks / 100;
  } finally {
    await client.end();
  }
}
