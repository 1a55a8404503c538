import { GoogleApiError } from './http.js';

/** A parsed `fields` selector: each name maps to its sub-selector, or `true` for the whole value. */
export type FieldSelector = Map<string, FieldSelector | true>;

/**
 * Parses Google's partial-response `fields` syntax (`id,name,files(id,parents),nextPageToken`,
 * `*`). Returns undefined for `*` (everything).
 */
export function parseFields(fields: string): FieldSelector | undefined {
  let pos = 0;
  const parseList = (): FieldSelector | undefined => {
    const selector: FieldSelector = new Map();
    let all = false;
    while (pos < fields.length && fields[pos] !== ')') {
      const match = /^\s*([A-Za-z0-9_*/]+)\s*/.exec(fields.slice(pos));
      if (!match) throw new Error(`Invalid field selection ${fields}`);
      pos += match[0].length;
      const name = match[1]!;
      let sub: FieldSelector | true = true;
      if (fields[pos] === '(') {
        pos += 1;
        sub = parseList() ?? true;
        if (fields[pos] !== ')') throw new Error(`Invalid field selection ${fields}`);
        pos += 1;
      }
      if (name === '*') all = true;
      else addPath(selector, name.split('/'), sub);
      while (fields[pos] === ',' || fields[pos] === ' ') pos += 1;
    }
    return all ? undefined : selector;
  };
  return parseList();
}

function addPath(selector: FieldSelector, path: string[], sub: FieldSelector | true): void {
  const [head, ...rest] = path;
  if (rest.length === 0) {
    selector.set(head!, sub);
    return;
  }
  let child = selector.get(head!);
  if (child === true) return;
  if (!child) selector.set(head!, (child = new Map()));
  addPath(child, rest, sub);
}

/** Keeps only the selected fields of a resource (arrays are filtered element by element). */
export function selectFields(value: unknown, selector: FieldSelector | undefined): unknown {
  if (!selector || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => selectFields(item, selector));
  const out: Record<string, unknown> = {};
  for (const [name, sub] of selector) {
    const field = (value as Record<string, unknown>)[name];
    if (field !== undefined) out[name] = sub === true ? field : selectFields(field, sub);
  }
  return out;
}

/** Applies `fields` (or the method's default) to an answer, with Google's 400 on a bad selector. */
export function withFields(value: unknown, fields: string | undefined, fallback: string): unknown {
  let selector;
  try {
    selector = parseFields(fields ?? fallback);
  } catch {
    throw new GoogleApiError(400, 'invalidParameter', 'Invalid field selection ' + fields);
  }
  return selectFields(value, selector);
}
