import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** One versioned SQL migration: `NNN_name.sql`, applied in version order. */
export interface Migration {
  version: number;
  /** The file name, e.g. `001_initial.sql`; recorded in `schema_migrations` and named in errors. */
  name: string;
  sql: string;
}

/** The migrations of the AnalysisStore tables, shared by every SQL adapter. */
export const MIGRATIONS_DIRECTORY = fileURLToPath(new URL('./migrations/', import.meta.url));

const MIGRATION_FILE = /^(\d+)_[A-Za-z0-9_-]+\.sql$/;

/**
 * Reads the `NNN_name.sql` files of a folder, sorted by version. Other files are ignored; a
 * `.sql` file with another name, or two files with one version, is an error.
 */
export async function loadMigrations({
  directory = MIGRATIONS_DIRECTORY,
}: { directory?: string } = {}): Promise<Migration[]> {
  const names = (await readdir(directory)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  const byVersion = new Map<number, string>();
  for (const name of names) {
    const match = MIGRATION_FILE.exec(name);
    if (!match?.[1]) {
      throw new Error(`migration file ${name} in ${directory} is not named NNN_name.sql`);
    }
    const version = Number.parseInt(match[1], 10);
    const clash = byVersion.get(version);
    if (clash !== undefined) {
      throw new Error(
        `migration files ${clash} and ${name} in ${directory} have the same version ${version}`,
      );
    }
    byVersion.set(version, name);
    migrations.push({ version, name, sql: await readFile(path.join(directory, name), 'utf8') });
  }
  return migrations.sort((left, right) => left.version - right.version);
}
