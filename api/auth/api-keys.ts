import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Facility } from '../../domain/index.ts';
import type { AnalysisStore, StoredApiKey } from '../persistence/analysis-store.ts';

/** Who is calling: an API key (possibly scoped to one facility), or anyone when auth is off. */
export interface Principal {
  keyId: string | null;
  name: string;
  facility: Facility | null;
}

/** The principal of every request when `AUTH=off`. */
export const ANONYMOUS: Principal = { keyId: null, name: 'anonymous', facility: null };

const KEY_FORMAT = /^rca_([a-z0-9]{12})_([A-Za-z0-9_-]{32,64})$/;

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/**
 * Creates an API key: `rca_<id>_<secret>`. Only the SHA-256 of the secret is stored; the key
 * is returned once.
 */
export async function createApiKey({
  store,
  name,
  facility,
  now,
  random = randomBytes,
}: {
  store: AnalysisStore;
  name: string;
  facility: Facility | null;
  now: () => Date;
  random?: (size: number) => Buffer;
}): Promise<{ key: string; stored: StoredApiKey }> {
  const id = random(9)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12)
    .padEnd(12, '0');
  const secret = random(32).toString('base64url');
  const stored: StoredApiKey = {
    id,
    name,
    facility,
    secretHash: hashSecret(secret),
    createdAt: now().toISOString(),
    revokedAt: null,
  };
  await store.createApiKey({ key: stored });
  await store.appendAudit({
    entry: {
      at: stored.createdAt,
      actor: 'cli',
      action: 'api_key.created',
      target: id,
      details: { name, facility },
    },
  });
  return { key: `rca_${id}_${secret}`, stored };
}

/** Checks a presented key: looked up by id, secret hashes compared in constant time. */
export async function verifyApiKey({
  store,
  key,
}: {
  store: AnalysisStore;
  key: string;
}): Promise<Principal | null> {
  const match = KEY_FORMAT.exec(key);
  if (!match) return null;
  const [, id = '', secret = ''] = match;
  const stored = await store.getApiKey({ id });
  const expected = Buffer.from(stored?.secretHash ?? hashSecret('no such key'), 'hex');
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const equal = timingSafeEqual(expected, presented);
  if (!stored || !equal || stored.revokedAt !== null) return null;
  return { keyId: stored.id, name: stored.name, facility: stored.facility };
}
