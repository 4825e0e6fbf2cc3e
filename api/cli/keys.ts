import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { Facility, ValidationError, loadConfig } from '../../domain/index.ts';
import { createApiKey, revokeApiKey } from '../auth/api-keys.ts';
import type { AnalysisStore } from '../persistence/analysis-store.ts';

const USAGE = `Usage:
  npm run keys:create -- --name <name> [--facility <yangjiang|shenzhen|hongkong>] [--read-only] [--evaluation]
  npm run keys:list
  npm run keys:revoke -- --id <key id>

create  creates an API key and prints it once; only its hash is stored. A key with --facility
        sees and submits only that facility's data; a --read-only key may only read; every
        analysis of an --evaluation key belongs to an evaluation run and stays out of history,
        stats, recurrence counts and the learning loop.
list    lists the keys (id, name, scope, flags, created, revoked), never their secrets.
revoke  revokes a key at once; it stays listed as revoked.`;

/** Where a keys command writes. */
export interface KeysOutput {
  log(line: string): void;
}

/**
 * Runs `create`, `list` or `revoke` against a store; returns the exit code. Bad arguments are a
 * ValidationError naming the option.
 */
export async function runKeysCommand({
  command,
  args,
  store,
  output,
  now = () => new Date(),
}: {
  command: string | undefined;
  args: string[];
  store: AnalysisStore;
  output: KeysOutput;
  now?: () => Date;
}): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      facility: { type: 'string' },
      'read-only': { type: 'boolean', default: false },
      evaluation: { type: 'boolean', default: false },
      id: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    output.log(USAGE);
    return 0;
  }
  switch (command) {
    case 'create': {
      const name = values.name?.trim() ?? '';
      if (name.length < 2 || name.length > 80)
        throw new ValidationError('--name must have 2 to 80 characters');
      const parsedFacility = values.facility === undefined ? undefined : Facility.safeParse(values.facility);
      if (parsedFacility && !parsedFacility.success) {
        throw new ValidationError(`--facility must be one of ${Facility.options.join(', ')}`);
      }
      const facility = parsedFacility?.data ?? null;
      const { key, stored } = await createApiKey({
        store,
        name,
        facility,
        readOnly: values['read-only'],
        evaluation: values.evaluation,
        now,
      });
      const flags = [stored.readOnly ? 'read-only' : '', stored.evaluation ? 'evaluation' : ''].filter(
        Boolean,
      );
      output.log(
        `Created API key ${stored.id} "${name}"${facility ? ` scoped to ${facility}` : ''}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}.`,
      );
      output.log(`\n  ${key}\n`);
      output.log('Store it now: it is not shown again. Send it in the x-api-key header.');
      return 0;
    }
    case 'list': {
      const keys = await store.listApiKeys();
      if (keys.length === 0) {
        output.log('No API keys yet: npm run keys:create -- --name <name>');
        return 0;
      }
      output.log(['id', 'name', 'facility', 'flags', 'created', 'revoked'].join('\t'));
      for (const key of keys) {
        const flags = [key.readOnly ? 'read-only' : '', key.evaluation ? 'evaluation' : ''].filter(Boolean);
        output.log(
          [
            key.id,
            key.name,
            key.facility ?? 'all',
            flags.join(',') || '-',
            key.createdAt,
            key.revokedAt ?? '-',
          ].join('\t'),
        );
      }
      return 0;
    }
    case 'revoke': {
      if (!values.id) throw new ValidationError('--id is required: the key id from npm run keys:list');
      const revoked = await revokeApiKey({ store, id: values.id, actor: 'cli', now });
      output.log(`Revoked API key ${revoked.id} "${revoked.name}" at ${revoked.revokedAt ?? ''}.`);
      return 0;
    }
    default:
      output.log(USAGE);
      return 2;
  }
}

async function main(): Promise<number> {
  const [command, ...args] = process.argv.slice(2);
  const { openConfiguredStore } = await import('../service.ts');
  const store = await openConfiguredStore(loadConfig());
  try {
    return await runKeysCommand({ command, args, store, output: { log: (line) => console.log(line) } });
  } finally {
    await store.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
