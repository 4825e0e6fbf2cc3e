import type { Passage } from '../knowledge-base/knowledge-base.ts';
import type { QuotedPassage } from './process-windows/schema.ts';

/** Shortens a text to at most `max` characters, cutting at a word boundary and marking the cut. */
export function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** Whether a passage's section heading is the named SOP section (case-insensitive prefix match). */
export function isSection(section: string, name: string): boolean {
  return section.trim().toLowerCase().startsWith(name.toLowerCase());
}

/** A retrieved passage as tools quote it: citable by its chunk id. */
export function quotePassage(passage: Passage): QuotedPassage {
  return {
    chunk_id: passage.metadata.chunk_id,
    source_id: passage.metadata.source_id,
    title: passage.metadata.title,
    section: passage.metadata.section,
    text: passage.content.text,
    score: passage.score,
  };
}

/**
 * Orders passages so that those of the preferred section come first, each group keeping the
 * retrieval order (best score first).
 */
export function preferSection(passages: readonly Passage[], sectionName: string): Passage[] {
  const preferred = passages.filter((passage) => isSection(passage.metadata.section, sectionName));
  const others = passages.filter((passage) => !isSection(passage.metadata.section, sectionName));
  return [...preferred, ...others];
}
