import { access } from 'node:fs/promises';
import { glob } from 'tinyglobby';
import { ConfigError } from '../domain/index.ts';
import { readCases, type EvalCase } from './case.ts';
import { readFollowUps, type FollowUp } from './followups/follow-up.ts';

/** An evaluation set: its cases and, optionally, follow-up questions about them. */
export interface EvalSetDefinition {
  /** The key used by --set and by `--min <key>:metric=value`. */
  key: string;
  /** The name shown in reports. */
  name: string;
  description: string;
  caseFiles: string[];
  followUpFiles: string[];
}

/** The held-out set: written by someone who has not read the model or the other sets; scored, never tuned on. */
export const HELD_OUT_SET: EvalSetDefinition = {
  key: 'heldout',
  name: 'held-out',
  description: 'new reports nobody tuned on (evals/heldout)',
  caseFiles: ['evals/heldout/heldout*.jsonl'],
  followUpFiles: ['evals/heldout/followups*.jsonl'],
};

/** The development set: the tuned cases and the old holdout (used to decide, so no longer held out). */
export const DEVELOPMENT_SET: EvalSetDefinition = {
  key: 'development',
  name: 'development',
  description:
    'tuned cases (evals/cases), the old holdout (evals/holdout), shop-floor reports, earlier held-out sets and development sets written blind (evals/development)',
  caseFiles: [
    'evals/cases/cases.jsonl',
    'evals/holdout/holdout.jsonl',
    'evals/development/shop-floor.jsonl',
    'evals/development/heldout-*.jsonl',
    'evals/development/devset-*.jsonl',
  ],
  followUpFiles: ['evals/followups/development.jsonl', 'evals/development/followups-*.jsonl'],
};

/** The sets `npm run evals` knows, in report order: held-out first. */
export const EVAL_SETS: readonly EvalSetDefinition[] = [HELD_OUT_SET, DEVELOPMENT_SET];

/** The values --set accepts. */
export const SET_CHOICES = ['heldout', 'development', 'all'] as const;

/**
 * The sets a run evaluates: with `--cases`, one set named `cases` of the matching files (and the
 * `--followups` file, if given); else the sets `--set` picks (`all` by default: held-out first).
 */
export function chooseSets({
  set,
  casesGlob,
  followUpsFile,
}: {
  set: string;
  casesGlob: string | undefined;
  followUpsFile: string | undefined;
}): EvalSetDefinition[] {
  if (casesGlob !== undefined) {
    return [
      {
        key: 'cases',
        name: 'cases',
        description: `cases from ${casesGlob}`,
        caseFiles: [casesGlob],
        followUpFiles: followUpsFile === undefined ? [] : [followUpsFile],
      },
    ];
  }
  if (!(SET_CHOICES as readonly string[]).includes(set))
    throw new ConfigError(`--set must be one of ${SET_CHOICES.join(', ')}, got ${set}`);
  const chosen = set === 'all' ? [...EVAL_SETS] : EVAL_SETS.filter((definition) => definition.key === set);
  return followUpsFile === undefined
    ? chosen
    : chosen.map((definition) => ({ ...definition, followUpFiles: [followUpsFile] }));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** A set's cases and follow-ups, read from its files. */
export interface LoadedSet {
  definition: EvalSetDefinition;
  files: string[];
  cases: EvalCase[];
  followUps: FollowUp[];
}

/**
 * Reads a set's cases (the files or globs of its definition) and follow-ups. Returns null when
 * none of its case files exists yet (e.g. the held-out set being written); a follow-up file that
 * does not exist is skipped.
 */
export async function loadSet(definition: EvalSetDefinition): Promise<LoadedSet | null> {
  const files = (await Promise.all(definition.caseFiles.map((pattern) => glob(pattern)))).flat().sort();
  if (files.length === 0) return null;
  const cases = (await Promise.all(files.map((file) => readCases(file)))).flat();
  const followUps: FollowUp[] = [];
  const followUpFiles = (await Promise.all(definition.followUpFiles.map((pattern) => glob(pattern))))
    .flat()
    .sort();
  for (const file of followUpFiles) {
    if (await exists(file)) followUps.push(...(await readFollowUps(file)));
  }
  return { definition, files, cases, followUps };
}
