import type { DriveFile } from './drive-state.js';

/** A compiled Drive `q`: true when the file matches. */
export type DrivePredicate = (file: DriveFile) => boolean;

/** A `q` the double cannot read; Drive answers these with 400 "Invalid Value". */
export class DriveQueryError extends Error {}

type Token = { kind: 'string' | 'word' | 'op' | 'punct'; text: string };

/**
 * Compiles the Drive v3 search syntax the project uses: `'<id>' in parents`,
 * `trashed = false`, `mimeType = '...'` / `!=`, `name = '...'`, `name contains '...'`,
 * `appProperties has { key='k' and value='v' }` (and `properties has`), combined with
 * `and`, `or`, `not` and parentheses. `resolveId` maps aliases such as `'root'`.
 */
export function compileDriveQuery(q: string, resolveId: (id: string) => string = (id) => id): DrivePredicate {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => {
    const token = tokens[pos++];
    if (!token) throw new DriveQueryError(`Unexpected end of query: ${q}`);
    return token;
  };
  const isWord = (token: Token | undefined, word: string) => token?.kind === 'word' && token.text.toLowerCase() === word;
  const expect = (text: string) => {
    const token = next();
    if (token.text.toLowerCase() !== text) throw new DriveQueryError(`Expected ${text} in query: ${q}`);
  };
  const stringValue = () => {
    const token = next();
    if (token.kind !== 'string') throw new DriveQueryError(`Expected a quoted value in query: ${q}`);
    return token.text;
  };

  const parseOr = (): DrivePredicate => {
    let left = parseAnd();
    while (isWord(peek(), 'or')) {
      pos += 1;
      const a = left, b = parseAnd();
      left = (f) => a(f) || b(f);
    }
    return left;
  };
  const parseAnd = (): DrivePredicate => {
    let left = parseNot();
    while (isWord(peek(), 'and')) {
      pos += 1;
      const a = left, b = parseNot();
      left = (f) => a(f) && b(f);
    }
    return left;
  };
  const parseNot = (): DrivePredicate => {
    if (isWord(peek(), 'not')) {
      pos += 1;
      const inner = parseNot();
      return (f) => !inner(f);
    }
    if (peek()?.text === '(') {
      pos += 1;
      const inner = parseOr();
      expect(')');
      return inner;
    }
    return parseTerm();
  };
  const parseTerm = (): DrivePredicate => {
    const first = next();
    if (first.kind === 'string') {
      expect('in');
      const collection = next().text;
      if (collection !== 'parents') throw new DriveQueryError(`Unsupported collection ${collection}`);
      const id = resolveId(first.text);
      return (f) => f.parents.includes(id);
    }
    if (first.kind !== 'word') throw new DriveQueryError(`Unexpected ${first.text} in query: ${q}`);
    const field = first.text;
    if (isWord(peek(), 'has')) {
      pos += 1;
      if (field !== 'appProperties' && field !== 'properties') throw new DriveQueryError(`Unsupported has on ${field}`);
      expect('{'); expect('key'); expect('='); const key = stringValue();
      expect('and'); expect('value'); expect('='); const value = stringValue(); expect('}');
      return (f) => f[field][key] === value;
    }
    const op = next();
    if (isWord(op, 'contains')) {
      const needle = stringValue().toLowerCase();
      if (field === 'name') return (f) => f.name.toLowerCase().includes(needle);
      if (field === 'fullText') return (f) => `${f.name} ${f.text ?? ''}`.toLowerCase().includes(needle);
      if (field === 'mimeType') return (f) => f.mimeType.includes(needle);
      throw new DriveQueryError(`Unsupported contains on ${field}`);
    }
    if (op.kind !== 'op') throw new DriveQueryError(`Expected an operator after ${field}: ${q}`);
    const valueToken = next();
    const value = valueToken.text;
    const compare = comparator(op.text);
    switch (field) {
      case 'trashed': return (f) => compare(String(f.trashed), value);
      case 'mimeType': return (f) => compare(f.mimeType, value);
      case 'name': return (f) => compare(f.name, value);
      case 'modifiedTime': return (f) => compare(f.modifiedTime, new Date(value).toISOString());
      case 'createdTime': return (f) => compare(f.createdTime, new Date(value).toISOString());
      default: throw new DriveQueryError(`Unsupported field ${field}`);
    }
  };

  if (tokens.length === 0) return () => true;
  const predicate = parseOr();
  if (pos !== tokens.length) throw new DriveQueryError(`Unexpected ${tokens[pos]!.text} in query: ${q}`);
  return predicate;
}

function comparator(op: string): (a: string, b: string) => boolean {
  switch (op) {
    case '=': return (a, b) => a === b;
    case '!=': return (a, b) => a !== b;
    case '<': return (a, b) => a < b;
    case '<=': return (a, b) => a <= b;
    case '>': return (a, b) => a > b;
    case '>=': return (a, b) => a >= b;
    default: throw new DriveQueryError(`Unsupported operator ${op}`);
  }
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) { i += 1; continue; }
    if (c === "'" || c === '"') {
      let text = '';
      i += 1;
      while (i < q.length && q[i] !== c) {
        if (q[i] === '\\' && i + 1 < q.length) i += 1;
        text += q[i];
        i += 1;
      }
      if (i >= q.length) throw new DriveQueryError(`Unterminated string in query: ${q}`);
      i += 1;
      tokens.push({ kind: 'string', text });
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>)/.exec(q.slice(i));
    if (op) { tokens.push({ kind: 'op', text: op[0] }); i += op[0].length; continue; }
    if ('(){}'.includes(c)) { tokens.push({ kind: 'punct', text: c }); i += 1; continue; }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(q.slice(i));
    if (!word) throw new DriveQueryError(`Unexpected character ${c} in query: ${q}`);
    tokens.push({ kind: 'word', text: word[0] });
    i += word[0].length;
  }
  return tokens;
}
