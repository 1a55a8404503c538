import type { GmailMessage } from './gmail-state.js';

/** A compiled Gmail search: true when the message matches. */
export type GmailPredicate = (m: GmailMessage) => boolean;

/** The result of compiling `q`: the predicate, and whether spam/trash are searched too. */
export interface GmailSearch {
  matches: GmailPredicate;
  includesSpamTrash: boolean;
}

/**
 * A faithful-enough Gmail search: `from:`, `to:`, `subject:` (word or "phrase"),
 * `rfc822msgid:`, `has:attachment`, `filename:pdf` / `filename:report.zip`, `in:inbox|sent|anywhere`,
 * `label:`, `is:unread`, `after:` / `before:` (YYYY/MM/DD or epoch seconds),
 * `newer_than:` / `older_than:` (`2d`, `3m`, `1y`), free words and "phrases" (subject, body,
 * sender, recipients, attachment names), `-term` negation, `OR` and `{a b}` alternatives.
 * Every other term must hold (implicit AND). Matching is case-insensitive substring matching,
 * looser than Gmail's word matching.
 */
export function compileGmailQuery(q: string): GmailSearch {
  const tokens = tokenize(q);
  let includesSpamTrash = false;
  const terms: GmailPredicate[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.toUpperCase() === 'OR' || token.toUpperCase() === 'AND') continue;
    if (/^in:(anywhere|spam|trash)$/i.test(token)) includesSpamTrash = true;
    let predicate = compileToken(token);
    while (tokens[i + 1]?.toUpperCase() === 'OR' && tokens[i + 2] !== undefined) {
      const left = predicate, right = compileToken(tokens[i + 2]!);
      predicate = (m) => left(m) || right(m);
      i += 2;
    }
    terms.push(predicate);
  }
  return { matches: (m) => terms.every((t) => t(m)), includesSpamTrash };
}

function compileToken(token: string): GmailPredicate {
  if (token.startsWith('-') && token.length > 1) {
    const inner = compileToken(token.slice(1));
    return (m) => !inner(m);
  }
  if (token.startsWith('{') && token.endsWith('}')) {
    const alternatives = tokenize(token.slice(1, -1)).map(compileToken);
    return (m) => alternatives.some((a) => a(m));
  }
  if (token.startsWith('(') && token.endsWith(')')) {
    const all = tokenize(token.slice(1, -1)).map(compileToken);
    return (m) => all.every((a) => a(m));
  }
  const colon = token.indexOf(':');
  const operator = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
  const value = unquote(colon > 0 ? token.slice(colon + 1) : token).toLowerCase();
  const has = (text: string) => text.toLowerCase().includes(value);
  switch (operator) {
    case 'from': return (m) => has(m.from);
    case 'to': return (m) => has(m.to);
    case 'subject': return (m) => has(m.subject);
    // Exact Message-ID match, with or without the angle brackets (the export's send-once check).
    case 'rfc822msgid': return (m) => m.messageId.replace(/^<|>$/g, '').toLowerCase() === value.replace(/^<|>$/g, '');
    case 'has':
      if (value === 'attachment') return (m) => m.attachments.length > 0;
      return () => false;
    case 'filename':
      return (m) => m.attachments.some((a) => {
        const name = a.filename.toLowerCase();
        return name === value || name.endsWith(`.${value}`) || name.includes(value);
      });
    case 'in':
      if (value === 'anywhere') return () => true;
      return (m) => m.labelIds.some((l) => l.toLowerCase() === value);
    case 'label': return (m) => m.labelIds.some((l) => l.toLowerCase() === value.replace(/-/g, ' ') || l.toLowerCase() === value);
    case 'is':
      if (value === 'read') return (m) => !m.labelIds.includes('UNREAD');
      if (value === 'starred') return (m) => m.labelIds.includes('STARRED');
      return (m) => m.labelIds.includes(value.toUpperCase());
    case 'after': return (m) => m.internalDate >= parseDate(value);
    case 'before': return (m) => m.internalDate < parseDate(value);
    case 'newer_than': return (m) => m.internalDate >= Date.now() - parseAge(value);
    case 'older_than': return (m) => m.internalDate < Date.now() - parseAge(value);
    case '':
      return (m) => [m.subject, m.text, m.from, m.to, ...m.attachments.map((a) => a.filename)].some(has);
    default:
      // An operator the double does not know: treat the whole token as free text, as Gmail does.
      return (m) => [m.subject, m.text].some((t) => t.toLowerCase().includes(token.toLowerCase()));
  }
}

function tokenize(q: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < q.length) {
    if (/\s/.test(q[i]!)) { i += 1; continue; }
    let token = '';
    let depth = 0;
    let quoted = false;
    while (i < q.length && (quoted || depth > 0 || !/\s/.test(q[i]!))) {
      const c = q[i]!;
      if (c === '"') quoted = !quoted;
      else if (!quoted && (c === '{' || c === '(')) depth += 1;
      else if (!quoted && (c === '}' || c === ')')) depth -= 1;
      token += c;
      i += 1;
    }
    tokens.push(token);
  }
  return tokens;
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function parseDate(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const [y, mo, d] = value.split(/[/-]/).map(Number);
  return new Date(y!, (mo ?? 1) - 1, d ?? 1).getTime();
}

function parseAge(value: string): number {
  const match = /^(\d+)([dmy])$/.exec(value);
  if (!match) return 0;
  const days = { d: 1, m: 30, y: 365 }[match[2] as 'd' | 'm' | 'y'];
  return Number(match[1]) * days * 24 * 3600_000;
}
