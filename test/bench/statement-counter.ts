import type pg from 'pg';

/**
 * Counts every statement a pg pool's clients execute (BEGIN and COMMIT included), by
 * wrapping each client's `query` when the pool connects it. `byKind` groups them by a
 * short signature (verb + table) to show where the statements go.
 */
export function createStatementCounter(pool: pg.Pool): { readonly total: number; reset(): void; byKind(): Record<string, number> } {
  let total = 0;
  let kinds = new Map<string, number>();
  pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      total++;
      const first = args[0];
      const text = typeof first === 'string' ? first : (first as { text?: string } | undefined)?.text ?? '';
      const head = text.slice(0, 160); // the signature is worked out when reporting, not per statement
      kinds.set(head, (kinds.get(head) ?? 0) + 1);
      return original(...args);
    };
  });
  return {
    get total() {
      return total;
    },
    reset() {
      total = 0;
      kinds = new Map();
    },
    byKind() {
      const grouped = new Map<string, number>();
      for (const [head, n] of kinds) grouped.set(signature(head), (grouped.get(signature(head)) ?? 0) + n);
      return Object.fromEntries([...grouped.entries()].sort((a, b) => b[1] - a[1]));
    },
  };
}

function signature(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  const verb = (/^\w+/.exec(t)?.[0] ?? '?').toLowerCase();
  const table =
    /^(?:update|insert into|delete from)\s+"?(\w+)"?/i.exec(t)?.[1] ??
    /\bfrom\s+"?(\w+)"?/i.exec(t)?.[1] ??
    '';
  return table ? `${verb} ${table}` : verb;
}
