/** Formats a 0..1 rate as a percentage with one decimal; null or non-finite as "n/a". */
export function formatRate(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${(value * 100).toFixed(1)}%`;
}

/** Formats a duration in milliseconds, rounded to whole milliseconds; null as "n/a". */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${Math.round(value)} ms`;
}

/** Formats a plain number with the given decimals; null as "n/a". */
export function formatNumber(value: number | null | undefined, decimals = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return value.toFixed(decimals);
}

/** Formats a token count, rounded to a whole number; null as "n/a". */
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return String(Math.round(value));
}

/** Formats a money amount with four decimals and its currency; null as "n/a". */
export function formatCost(value: number | null | undefined, currency: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'n/a';
  return `${value.toFixed(4)} ${currency}`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Escapes free text for a Markdown table cell: markup characters, pipes and line breaks. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#~]/g, (char) => `\\${char}`)
    .replaceAll('&', '&amp;')
    .replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * Renders text as a Markdown code span safe in a table cell: the fence is longer than any backtick
 * run in the text, pipes are escaped and line breaks become spaces.
 */
export function markdownCode(text: string): string {
  const flat = text.replace(/\s*\r?\n\s*/g, ' ').replaceAll('|', '\\|');
  const longestRun = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (match) => match[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const padded = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}
