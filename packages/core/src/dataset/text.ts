// Line-oriented text parsing with errors that name the file and 1-based line.

/** One line of a text file with its 1-based number. */
export interface Line {
  readonly text: string;
  readonly number: number;
}

/** All lines (LF or CRLF), numbered from 1. */
export function lines(text: string): Line[] {
  return text.split(/\r?\n/).map((t, i) => ({ text: t, number: i + 1 }));
}

/** Whitespace-separated fields of a line; none for a blank line. */
export function fields(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/** `file line N` — the prefix of every error about that line. */
export function where(file: string, line: number): string {
  return `${file} line ${line}`;
}

/** Parses a finite number, or throws naming the place, field and token. */
export function parseNumber(token: string | undefined, at: string, field: string): number {
  const v = token === undefined || token.trim() === '' ? NaN : Number(token);
  if (!Number.isFinite(v)) throw new Error(`${at}: ${field} is "${token ?? ''}", expected a finite number`);
  return v;
}

/** Parses a non-negative integer (ids, sizes, counts). */
export function parseInteger(token: string | undefined, at: string, field: string): number {
  const v = parseNumber(token, at, field);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${at}: ${field} is "${token ?? ''}", expected a non-negative integer`);
  return v;
}

/** Parses one number per name, from `tokens[start]` on, naming the field in errors. */
export function parseNumbers(tokens: readonly string[], start: number, names: readonly string[], at: string): number[] {
  return names.map((name, k) => parseNumber(tokens[start + k], at, name));
}

/** Joins a root and a relative path with '/', leaving the path alone when the root is empty. */
export function joinPath(root: string, rel: string): string {
  if (root === '') return rel;
  const clean = rel.replace(/^\.\//, '');
  return root.endsWith('/') || root.endsWith('\\') ? root + clean : `${root}/${clean}`;
}
