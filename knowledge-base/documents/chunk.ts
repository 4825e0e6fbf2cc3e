import type { KnowledgeDocument } from './schema.ts';

/** Metadata carried by every chunk and returned with every passage. */
export interface PassageMetadata {
  source_id: string;
  chunk_id: string;
  doc_type: 'past_defect' | 'sop';
  title: string;
  section: string;
  stage: string;
  defect_types: string[];
  facilities: string[];
  product_sku: string | null;
  date: string | null;
  severity: string | null;
  /** Past defects: the confirmed root cause, flattened as Bedrock metadata attributes are. */
  root_cause_category?: string;
  occurrence?: string;
  escape?: string;
  systemic?: string;
  /** Past defects: actions taken, each as `type | owner role | description`. */
  actions?: string[];
  /** Past defects: whether the actions worked (`true`, `false`, `partial`, or `unverified` on a learned record). */
  effective?: string;
  outcome?: string;
  recurrence_of?: string;
  /** SOPs: the owning role and revision. */
  owner_role?: string;
  revision?: string;
}

/** The `effective` of a learned record whose actions nobody has verified yet. */
export const UNVERIFIED = 'unverified';

/** A retrievable piece of a document. */
export interface Chunk {
  chunkId: string;
  sourceId: string;
  /** The passage returned to callers. */
  text: string;
  /** What is indexed: a contextual header (title, section, stage, type) and the passage. */
  indexedText: string;
  metadata: PassageMetadata;
}

/** Chunking limits, in characters. */
export interface ChunkingOptions {
  /** A section up to this size is one chunk. */
  maxChars?: number;
  /** Size a long section's windows aim for. */
  targetChars?: number;
  /** Text repeated from the end of one window at the start of the next. */
  overlapChars?: number;
}

const DEFAULTS: Required<ChunkingOptions> = { maxChars: 1600, targetChars: 1000, overlapChars: 200 };

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'section'
  );
}

function splitSentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?;:])\s+(?=[A-Z0-9(])/).filter((sentence) => sentence.trim().length > 0);
}

/** The tail of a window, cut at a sentence or word boundary, to repeat at the start of the next. */
function overlapTail(text: string, overlapChars: number): string {
  if (overlapChars <= 0 || text.length <= overlapChars) return overlapChars <= 0 ? '' : text;
  const tail = text.slice(-overlapChars);
  const sentenceStart = tail.search(/(?<=[.!?])\s+\S/);
  if (sentenceStart >= 0) return tail.slice(sentenceStart).trim();
  const wordStart = tail.indexOf(' ');
  return (wordStart >= 0 ? tail.slice(wordStart) : tail).trim();
}

/** Splits one section's text into windows of about `targetChars`, each starting with the previous one's tail. */
export function windowSection(text: string, options: ChunkingOptions = {}): string[] {
  const { maxChars, targetChars, overlapChars } = { ...DEFAULTS, ...options };
  if (text.length <= maxChars) return [text];
  const units = text
    .split(/\n\s*\n/)
    .flatMap((paragraph) => (paragraph.length > targetChars ? splitSentences(paragraph) : [paragraph]))
    .flatMap((unit) => {
      if (unit.length <= maxChars) return [unit];
      const pieces: string[] = [];
      for (let start = 0; start < unit.length; start += targetChars)
        pieces.push(unit.slice(start, start + targetChars));
      return pieces;
    });
  const windows: string[] = [];
  let current = '';
  for (const unit of units) {
    if (current.length > 0 && current.length + unit.length + 1 > targetChars) {
      windows.push(current.trim());
      current = `${overlapTail(current, overlapChars)}\n${unit}`;
    } else {
      current = current.length > 0 ? `${current}\n${unit}` : unit;
    }
  }
  if (current.trim().length > 0) windows.push(current.trim());
  return windows;
}

interface Section {
  heading: string;
  content: string;
}

/** Splits a Markdown body at its `##` headings. Text before the first heading (other than the `#` title) is an "Overview". */
export function splitSections(body: string): Section[] {
  const sections: Section[] = [];
  let heading = 'Overview';
  let lines: string[] = [];
  const flush = (): void => {
    const content = lines.join('\n').trim();
    if (content.length > 0) sections.push({ heading, content });
  };
  for (const line of body.split(/\r?\n/)) {
    const h2 = /^##\s+(.+?)\s*#*\s*$/.exec(line);
    if (h2 && !line.startsWith('###')) {
      flush();
      heading = h2[1] ?? 'Section';
      lines = [];
    } else if (
      /^#\s+/.test(line) &&
      sections.length === 0 &&
      lines.every((existing) => existing.trim() === '')
    ) {
      continue;
    } else {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

function documentMetadata(document: KnowledgeDocument): Omit<PassageMetadata, 'chunk_id' | 'section'> {
  if (document.kind === 'past_defect') {
    const metadata = document.metadata;
    return {
      source_id: metadata.id,
      doc_type: 'past_defect',
      title: metadata.title,
      stage: metadata.stage,
      defect_types: [metadata.defect_type],
      facilities: [metadata.facility],
      product_sku: metadata.product_sku,
      date: metadata.date,
      severity: metadata.severity,
      root_cause_category: metadata.root_cause.category_6m,
      occurrence: metadata.root_cause.occurrence,
      escape: metadata.root_cause.escape,
      systemic: metadata.root_cause.systemic,
      actions: metadata.actions.map(
        (action) => `${action.type} | ${action.owner_role} | ${action.description}`,
      ),
      effective: metadata.effective === undefined ? UNVERIFIED : String(metadata.effective),
      ...(metadata.outcome ? { outcome: metadata.outcome } : {}),
      ...(metadata.recurrence_of ? { recurrence_of: metadata.recurrence_of } : {}),
    };
  }
  const metadata = document.metadata;
  return {
    source_id: metadata.id,
    doc_type: 'sop',
    title: metadata.title,
    stage: metadata.stage,
    defect_types: [...metadata.defect_types],
    facilities: [...metadata.facilities],
    product_sku: null,
    date: metadata.effective_date,
    severity: null,
    owner_role: metadata.owner_role,
    revision: metadata.revision,
  };
}

function contextHeader(metadata: Omit<PassageMetadata, 'chunk_id'>): string {
  const kind = metadata.doc_type === 'sop' ? 'SOP' : 'Past defect';
  const parts = [
    `stage ${metadata.stage.replaceAll('_', ' ')}`,
    `defect ${metadata.defect_types.map((type) => type.replaceAll('_', ' ')).join(', ')}`,
  ];
  if (metadata.product_sku) parts.push(metadata.product_sku);
  return `${metadata.title} | ${metadata.section}\n${kind}: ${parts.join('; ')}`;
}

/**
 * Cuts a document into heading-aware chunks: one per `##` section, long sections into
 * overlapping windows. Every chunk carries the document's metadata and a contextual header.
 */
export function chunkDocument(document: KnowledgeDocument, options: ChunkingOptions = {}): Chunk[] {
  const base = documentMetadata(document);
  const chunks: Chunk[] = [];
  const usedIds = new Set<string>();
  for (const section of splitSections(document.body)) {
    const windows = windowSection(section.content, options);
    windows.forEach((text, index) => {
      let chunkId = `${base.source_id}#${slugify(section.heading)}${windows.length > 1 ? `-${index + 1}` : ''}`;
      while (usedIds.has(chunkId)) chunkId = `${chunkId}-b`;
      usedIds.add(chunkId);
      const metadata: PassageMetadata = { ...base, section: section.heading, chunk_id: chunkId };
      chunks.push({
        chunkId,
        sourceId: base.source_id,
        text,
        indexedText: `${contextHeader(metadata)}\n${text}`,
        metadata,
      });
    });
  }
  return chunks;
}
