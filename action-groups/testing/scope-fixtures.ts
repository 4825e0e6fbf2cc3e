import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ConcreteDefectType,
  Facility,
  ProductionStage,
  ProductSku,
  type Facility as FacilityCode,
} from '../../domain/index.ts';
import { parseDocument } from '../../knowledge-base/documents/parse.ts';
import type { DefectOccurrence } from '../recurrence/defect-history.ts';
import { TEST_CORPUS_DIR, TEST_NOW } from './context.ts';

const DAY = 86_400_000;

/** Recent history of one facility (or of none): every concrete type, at every stage, in turn. */
function historyOf(facility: FacilityCode | null, code: string): DefectOccurrence[] {
  return ConcreteDefectType.options.flatMap((defectType, index) =>
    [0, 1].map((copy) => ({
      defectId: `DEF-202611${String(10 + copy).padStart(2, '0')}-${code}${String(index).padStart(6, '0')}`,
      detectedAt: new Date(TEST_NOW.getTime() - (index + copy * 20 + 1) * DAY),
      defectType,
      stage: ProductionStage.options[index % ProductionStage.options.length] ?? null,
      facility,
      productSku: ProductSku.options[index % ProductSku.options.length] ?? null,
      confirmed: true,
    })),
  );
}

/** Confirmed history of every facility and of none, for the scoping tests of every tool surface. */
export const SCOPED_HISTORY: readonly DefectOccurrence[] = [
  ...historyOf('yangjiang', 'A1'),
  ...historyOf('shenzhen', 'B2'),
  ...historyOf('hongkong', 'C3'),
  ...historyOf(null, 'D4'),
];

/** The facilities of every document of the test corpus, by document id. */
function corpusFacilities(): Map<string, readonly string[]> {
  const facilities = new Map<string, readonly string[]>();
  for (const folder of ['past-defects', 'sops']) {
    const directory = path.join(TEST_CORPUS_DIR, folder);
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.md'))) {
      const document = parseDocument({ file, source: readFileSync(path.join(directory, file), 'utf8') });
      facilities.set(
        document.metadata.id,
        document.kind === 'past_defect' ? [document.metadata.facility] : document.metadata.facilities,
      );
    }
  }
  return facilities;
}

/** What a caller scoped to one facility may and may not see (see {@link scopedIds}). */
export interface ScopedIds {
  /** Defect ids (history and past-defect records) of other facilities: never in an output. */
  forbidden: string[];
  /** Defect ids of the facility. */
  allowed: string[];
  /** The documents it may be handed as sources. */
  sources: Set<string>;
}

/**
 * The ids of {@link SCOPED_HISTORY} and the corpus that a caller scoped to `facility` must never
 * see, those it may, and the documents it may be handed as sources. SOP ids are not forbidden in
 * text (an SOP of the facility may name another); the SOPs handed out as sources are checked.
 */
export function scopedIds(facility: FacilityCode): ScopedIds {
  const forbidden: string[] = [];
  const allowed: string[] = [];
  const sources = new Set<string>();
  for (const occurrence of SCOPED_HISTORY)
    (occurrence.facility === facility ? allowed : forbidden).push(occurrence.defectId);
  for (const [id, facilities] of corpusFacilities()) {
    if (facilities.includes(facility)) sources.add(id);
    if (id.startsWith('DEF-')) (facilities.includes(facility) ? allowed : forbidden).push(id);
  }
  return { forbidden, allowed, sources };
}

/** Every `source_id` in an output. */
export function sourceIds(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) sourceIds(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'source_id' && typeof item === 'string') found.push(item);
      else sourceIds(item, found);
    }
  }
  return found;
}

/** Whether a JSON text names an id as a whole id (not as the prefix of a longer one). */
export function mentions(text: string, id: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9])`).test(text);
}

/** What {@link inputsFromJsonSchema} reads of a JSON Schema. */
interface JsonSchemaNode {
  type?: unknown;
  enum?: readonly unknown[];
  properties?: Record<string, JsonSchemaNode>;
  required?: readonly string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

/** A report text naming several defects, stages and measurements, for tool inputs and queries. */
export const TEXT =
  'rust spots and pitting on the blade after salt spray, pores in the bolster weld, a cracked handle ' +
  'and scratches after glazing; hardness 52 HRC, edge angle 19 degrees';

/**
 * Inputs for a tool, derived from its input JSON Schema so that a new tool is covered without
 * writing them: variant `n` fills every field with the n-th value of each enum (so every facility
 * a tool can be asked about is asked), and one more variant gives only the required fields.
 */
export function inputsFromJsonSchema(schema: JsonSchemaNode): Record<string, unknown>[] {
  const widestEnum = (node: JsonSchemaNode): number =>
    Math.max(
      node.enum?.length ?? 1,
      ...Object.values(node.properties ?? {}).map((child) => widestEnum(child)),
    );
  const valueOf = (node: JsonSchemaNode, variant: number, requiredOnly: boolean): unknown => {
    if (node.enum) return node.enum[variant % node.enum.length];
    switch (node.type) {
      case 'object': {
        const entries = Object.entries(node.properties ?? {}).filter(
          ([name]) => !requiredOnly || (node.required ?? []).includes(name),
        );
        return Object.fromEntries(
          entries.map(([name, child]) => [name, valueOf(child, variant, requiredOnly)]),
        );
      }
      case 'string':
        return TEXT.slice(0, node.maxLength ?? TEXT.length);
      case 'number':
      case 'integer':
        return node.maximum ?? node.minimum ?? 1;
      case 'boolean':
        return variant % 2 === 0;
      case 'array':
        return [];
      default:
        return TEXT;
    }
  };
  const variants = widestEnum(schema);
  return [
    ...Array.from({ length: variants }, (_, variant) => valueOf(schema, variant, false)),
    valueOf(schema, 0, true),
  ] as Record<string, unknown>[];
}

/** The facilities a scoped key can have. */
export const FACILITIES: readonly FacilityCode[] = Facility.options;
