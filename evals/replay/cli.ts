import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { readBaseTrainingExamples } from '../../agents/learning/index.ts';
import { loadConfig } from '../../domain/index.ts';
import { formatReplay, readStream, runReplay, STREAM_FILE } from './replay.ts';

const USAGE = `Usage: npm run evals:replay -- [--stream <file>] [--split <share>] [--out <dir>] [--min-lift <points>]

Replays a time-ordered stream of labelled reports through the in-process offline analysis twice,
on fresh temporary copies of the knowledge base: without the learning loop, then with it (a
simulated reviewer corrects each analysis to the gold labels, or confirms it, and the loop learns).
Prints the accuracy of type, stage, 6M category, severity and disposition on the later part of
the stream with and without the loop, and the lift; writes the JSON to <out>/<timestamp>-replay.json.
  --stream <file>      the stream (default ${STREAM_FILE})
  --split <share>      share of the stream before the scored part (default 0.5: the last half is scored)
  --out <dir>          folder of the JSON result (default evals/results)
  --min-lift <points>  exit 1 when the type or the stage lift is below this many percentage points`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      stream: { type: 'string' },
      split: { type: 'string' },
      out: { type: 'string' },
      'min-lift': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const split = Number(values.split ?? 0.5);
  if (!Number.isFinite(split) || split < 0 || split >= 1)
    throw new Error(`--split must be a share from 0 to below 1, got ${values.split}`);
  const minLift = values['min-lift'] === undefined ? null : Number(values['min-lift']);
  if (minLift !== null && !Number.isFinite(minLift))
    throw new Error(`--min-lift must be a number of percentage points, got ${values['min-lift']}`);
  const file = values.stream ?? STREAM_FILE;
  const config = loadConfig();
  const cases = await readStream(file);
  if (cases.length === 0) throw new Error(`${file} has no reports`);
  const baseExamples = await readBaseTrainingExamples({ corpusDir: config.corpusDir });

  const bar = new cliProgress.SingleBar(
    { format: 'replay [{bar}] {value}/{total} {run} {day}', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(cases.length * 2, 0, { run: 'without the loop', day: '' });
  const result = await runReplay({
    file,
    cases,
    split,
    baseExamples,
    corpusDir: config.corpusDir,
    onCase: ({ learning, result: item }) =>
      bar.increment({ run: learning ? 'with the loop' : 'without the loop', day: item.reported_on }),
  });
  bar.stop();
  console.log(formatReplay(result));

  const outDir = values.out ?? path.join('evals', 'results');
  await mkdir(outDir, { recursive: true });
  const outFile = path.join(outDir, `${new Date().toISOString().replaceAll(':', '-')}-replay.json`);
  await writeFile(outFile, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${outFile}`);

  if (minLift !== null) {
    const failing = (['type', 'stage'] as const).filter(
      (metric) => (result.lift[metric] ?? -Infinity) < minLift,
    );
    if (failing.length > 0) {
      console.error(
        `lift below ${minLift} points: ${failing.map((metric) => `${metric} ${result.lift[metric] ?? 'n/a'}`).join(', ')}`,
      );
      return 1;
    }
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
