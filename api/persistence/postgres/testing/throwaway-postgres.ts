/**
 * Starts and stops a throwaway PostgreSQL server from the Debian `postgresql` package, for the
 * integration tests: a fresh cluster in a temporary folder, listening on 127.0.0.1 on a free
 * port with trust authentication, removed when stopped.
 */
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** The Debian package that provides `initdb` and `pg_ctl`. */
export const POSTGRES_DEBIAN_PACKAGE = 'postgresql';
/** Where the Debian packages install the server binaries, one folder per major version. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** The superuser of the throwaway cluster; it logs in without a password. */
const SUPERUSER = 'postgres';
/** The OS account that runs the server when the tests run as root (initdb refuses root). */
const SERVICE_ACCOUNT = 'postgres';
/** Attempts to find a free port that is still free when the server binds it. */
const START_ATTEMPTS = 3;

/** A running throwaway server. */
export interface ThrowawayPostgres {
  /** Connection string of the server's `postgres` database, as the superuser. */
  adminUrl: string;
  /** Connection string of another database on the same server. */
  urlOf(database: string): string;
  /**
   * Creates a database and returns its connection string. Its default collation is ICU `en-US`
   * when the server supports it (as on Aurora, whose default is en_US.UTF-8), so that tests see
   * a linguistic default collation rather than "C".
   */
  createDatabase(name: string): Promise<string>;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

/** The folder holding `initdb` and `pg_ctl`: the newest Debian version, else the PATH. */
export async function findPostgresBinaries(): Promise<string> {
  if (existsSync(DEBIAN_POSTGRES_ROOT)) {
    const versions = readdirSync(DEBIAN_POSTGRES_ROOT)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .filter((name) => existsSync(path.join(DEBIAN_POSTGRES_ROOT, name, 'bin', 'initdb')))
      .sort((left, right) => Number.parseFloat(right) - Number.parseFloat(left));
    const newest = versions[0];
    if (newest !== undefined) return path.join(DEBIAN_POSTGRES_ROOT, newest, 'bin');
  }
  try {
    const { stdout } = await run('sh', ['-c', 'command -v initdb']);
    const found = stdout.trim();
    if (found !== '' && existsSync(path.join(path.dirname(found), 'pg_ctl'))) return path.dirname(found);
  } catch {
    // not on the PATH either
  }
  throw new Error(
    `PostgreSQL server binaries (initdb, pg_ctl) not found in ${DEBIAN_POSTGRES_ROOT}/*/bin or on the PATH. ` +
      `The PostgreSQL integration tests start their own server: install the Debian package ` +
      `"${POSTGRES_DEBIAN_PACKAGE}" (apt-get install -y ${POSTGRES_DEBIAN_PACKAGE}).`,
  );
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address !== null && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe server'));
      });
    });
  });
}

/** Numeric uid and gid of an OS account, or null when it does not exist. */
async function accountIds(account: string): Promise<{ uid: number; gid: number } | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', account]), run('id', ['-g', account])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return null;
  }
}

function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Initialises a cluster in a new temporary folder and starts it on a free port of 127.0.0.1,
 * with its socket in that folder. Run as root, the binaries run as the `postgres` account
 * through `runuser`, and the folder belongs to that account.
 *
 * @throws Error naming the Debian package when the binaries are missing, or with the server
 *   log when it does not start
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = await findPostgresBinaries();
  const asRoot = process.getuid?.() === 0;
  let owner: { uid: number; gid: number } | null = null;
  if (asRoot) {
    owner = await accountIds(SERVICE_ACCOUNT);
    if (owner === null) {
      throw new Error(
        `running as root, the PostgreSQL server must run as the "${SERVICE_ACCOUNT}" account, which ` +
          `does not exist: install the Debian package "${POSTGRES_DEBIAN_PACKAGE}", which creates it`,
      );
    }
  }
  const directory = mkdtempSync(path.join(tmpdir(), 'rca-pg-'));
  const dataDirectory = path.join(directory, 'data');
  const logFile = path.join(directory, 'postgres.log');
  if (owner !== null) chownSync(directory, owner.uid, owner.gid);
  chmodSync(directory, 0o700);

  /** Runs a server binary, as the service account when the tests run as root. */
  const server = async (binary: string, args: string[]) => {
    const executable = path.join(bin, binary);
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', SERVICE_ACCOUNT, '--', executable, ...args]]
      : [executable, args];
    try {
      return await run(command, commandArgs, { cwd: directory });
    } catch (cause) {
      const output =
        cause instanceof Error && 'stderr' in cause && typeof cause.stderr === 'string'
          ? cause.stderr.trim()
          : '';
      throw new Error(`${binary} ${args.join(' ')} failed: ${output}\n${tail(logFile)}`, { cause });
    }
  };

  try {
    await server('initdb', [
      '--pgdata',
      dataDirectory,
      '--username',
      SUPERUSER,
      '--auth',
      'trust',
      '--encoding',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    let port = 0;
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort();
      const options = [
        `-p ${port}`,
        `-k ${directory}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        '-c max_connections=200',
      ].join(' ');
      try {
        await server('pg_ctl', [
          '--pgdata',
          dataDirectory,
          '--log',
          logFile,
          '--wait',
          '--timeout',
          '60',
          '-o',
          options,
          'start',
        ]);
        break;
      } catch (error) {
        if (attempt >= START_ATTEMPTS) throw error;
      }
    }
    const urlOf = (database: string) => `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`;
    const adminUrl = urlOf('postgres');
    return {
      adminUrl,
      urlOf,
      async createDatabase(name) {
        if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
        const client = new Client({ connectionString: adminUrl });
        await client.connect();
        try {
          try {
            await client.query(
              `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`,
            );
          } catch {
            await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
          }
        } finally {
          await client.end();
        }
        return urlOf(name);
      },
      async stop() {
        try {
          await server('pg_ctl', ['--pgdata', dataDirectory, '--wait', '--mode', 'fast', 'stop']);
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await server('pg_ctl', ['--pgdata', dataDirectory, '--mode', 'immediate', 'stop']).catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
