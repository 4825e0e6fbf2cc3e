import { parseArgs } from 'node:util';
import { Facility, loadConfig } from '../../domain/index.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { openConfiguredStore } from '../service.ts';

const USAGE = `Usage: npm run keys:create -- --name <name> [--facility <yangjiang|shenzhen|hongkong>]

Creates an API key and prints it once; only its hash is stored. A key with --facility sees
and submits only that facility's data.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      facility: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.name) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const name = values.name.trim();
  if (name.length < 2 || name.length > 80) throw new Error('--name must have 2 to 80 characters');
  const facility = values.facility === undefined ? null : Facility.parse(values.facility);
  const store = await openConfiguredStore(loadConfig());
  try {
    const { key, stored } = await createApiKey({ store, name, facility, now: () => new Date() });
    console.log(`Created API key ${stored.id} "${name}"${facility ? ` scoped to ${facility}` : ''}.`);
    console.log(`\n  ${key}\n`);
    console.log('Store it now: it is not shown again. Send it in the x-api-key header.');
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
