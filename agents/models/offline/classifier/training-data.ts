import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { parseDocument } from '../../../../knowledge-base/documents/parse.ts';
import {
  Category6M,
  ClassifiedType,
  ProductSku,
  ProductionStage,
  readJsonLines,
} from '../../../../domain/index.ts';

/** One labelled training report. */
export const TrainingExample = z
  .object({
    id: z.string().min(1),
    text: z.string().min(1),
    product_sku: ProductSku.nullable().optional(),
    types: z.array(ClassifiedType).min(1),
    stage: ProductionStage.nullable(),
    category_6m: Category6M.nullable(),
    language: z.enum(['en', 'zh', 'mixed']),
    style: z.string().optional(),
    /** A statement of a cause only (from the corpus's confirmed root causes), for the 6M head. */
    cause_only: z.boolean().optional(),
  })
  .strip();
export type TrainingExample = z.infer<typeof TrainingExample>;

/** The folder of the training reports, apart from every evaluation set. */
export const TRAINING_DATA_DIR = new URL('../training/data/', import.meta.url);

/** Reads the training reports (`*.jsonl`); a bad line is a ValidationError naming the file and line. */
export async function readTrainingReports(
  directory: string | URL = TRAINING_DATA_DIR,
): Promise<TrainingExample[]> {
  const folder = directory instanceof URL ? directory.pathname : directory;
  const files = (await readdir(folder)).filter((name) => name.endsWith('.jsonl')).sort();
  const examples: TrainingExample[] = [];
  for (const name of files) examples.push(...(await readJsonLines(path.join(folder, name), TrainingExample)));
  return examples;
}

function section(body: string, heading: string): string {
  const match = new RegExp(`^## ${heading}\\s*\\n([\\s\\S]*?)(?=^## |$(?![\\s\\S]))`, 'm').exec(body);
  return match?.[1]?.trim() ?? '';
}

/**
 * The corpus's confirmed past defects as training examples: each record's description (type,
 * stage, 6M), and its confirmed occurrence cause alone (6M only).
 */
export async function readCorpusExamples(corpusDir: string): Promise<TrainingExample[]> {
  const folder = path.join(corpusDir, 'past-defects');
  const examples: TrainingExample[] = [];
  for (const name of (await readdir(folder)).filter((file) => file.endsWith('.md')).sort()) {
    const file = path.join(folder, name);
    const document = parseDocument({ file, source: await readFile(file, 'utf8') });
    if (document.kind !== 'past_defect') continue;
    const metadata = document.metadata;
    const description = section(document.body, 'Description');
    if (description)
      examples.push({
        id: `corpus-${metadata.id}`,
        text: description,
        product_sku: metadata.product_sku,
        types: [metadata.defect_type],
        stage: metadata.stage,
        category_6m: metadata.root_cause.category_6m,
        language: 'en',
        style: 'corpus',
      });
    examples.push({
      id: `corpus-cause-${metadata.id}`,
      text: metadata.root_cause.occurrence,
      product_sku: metadata.product_sku,
      types: [metadata.defect_type],
      stage: metadata.stage,
      category_6m: metadata.root_cause.category_6m,
      language: 'en',
      style: 'corpus_cause',
      cause_only: true,
    });
  }
  return examples;
}

/** A digest of the training examples, recorded in the model so that a stale model is noticed. */
export function trainingDigest(examples: readonly TrainingExample[]): string {
  const hash = createHash('sha256');
  for (const example of examples) hash.update(JSON.stringify(example)).update('\n');
  return hash.digest('hex').slice(0, 16);
}
