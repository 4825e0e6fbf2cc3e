/**
 * Text helpers shared by the report renderers: sanitising, escaping, wrapping and formatting.
 * Every helper is pure and deterministic.
 */

/** Removes code points that XML 1.0 and HTML forbid (control characters, lone surrogates, non-characters). */
export function sanitizeText(value: string): string {
  let result = '';
  for (const character of value) {
    const code = character.codePointAt(0) ?? 0;
    const allowedControl = code === 0x09 || code === 0x0a || code === 0x0d;
    if (code < 0x20 && !allowedControl) continue;
    if (code >= 0x7f && code <= 0x9f) continue;
    if (code >= 0xd800 && code <= 0xdfff) continue;
    if (code === 0xfffe || code === 0xffff) continue;
    result += character;
  }
  return result;
}

const MARKUP_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for XML and HTML, in element content and in quoted attribute values alike. */
export function escapeMarkup(value: string): string {
  return sanitizeText(value).replace(/[&<>"']/g, (character) => MARKUP_ENTITIES[character] ?? character);
}

/**
 * Escapes user text for inline Markdown: characters that start emphasis, links, code, HTML or
 * table cells are backslash-escaped, `&`, `<` and `>` become entities, a leading heading or list
 * marker is escaped, and line breaks become spaces.
 */
export function escapeMarkdown(value: string): string {
  return sanitizeText(value)
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (character) => `\\${character}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

/**
 * Wraps text into lines of at most `width` characters, breaking at whitespace; a word longer
 * than the width is split. Always returns at least one line.
 */
export function wrapText({ text, width }: { text: string; width: number }): string[] {
  const words = sanitizeText(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    let rest = word;
    while (rest.length > width) {
      if (current) {
        lines.push(current);
        current = '';
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (!rest) continue;
    if (!current) current = rest;
    else if (current.length + 1 + rest.length <= width) current = `${current} ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** A code of the fixed vocabulary as words with a capital first letter: `rust_spot` becomes "Rust spot". */
export function humanize(code: string): string {
  const words = code.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A 0..1 share as a whole percentage: 0.862 becomes "86 %". */
export function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

/** An ISO date-time as "YYYY-MM-DD HH:MM UTC". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The calendar date `days` after an ISO date (YYYY-MM-DD), in UTC. */
export function addDays({ date, days }: { date: string; days: number }): string {
  const value = new Date(`${date}T00:00:00Z`);
  value.setUTCDate(value.getUTCDate() + days);
  return value.toISOString().slice(0, 10);
}

/** A number of days: "1 day", "14 days". */
export function formatDays(count: number): string {
  return `${count} ${count === 1 ? 'day' : 'days'}`;
}
