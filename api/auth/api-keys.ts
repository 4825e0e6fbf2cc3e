import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Facility } from '../../domain/index.ts';
import type { AnalysisStore, StoredApiKey } from '../persistence/analysis-store.ts';

/** Who is calling: an API key (possibly scoped to one facility), or anyone when auth is off. */
export interface Principal {
  keyId: string | null;
  name: string;
  facility: Facility | null;
  /** May only read (GET, HEAD, OPTIONS). */
  readOnly: boolean;
  /** Every analysis it submits belongs to an evaluation run. */
  evaluation: boolean;
  /**
   * The evaluation run this request belongs to (the `X-Evaluation-Run` header, or the key's own
   * run for an evaluation key); absent for production requests.
   */
  evaluationRun?: string;
}

/** The principal of every request when `AUTH=off`. */
export const ANONYMOUS: Principal = {
  keyId: null,
  name: 'anonymous',
  facility: null,
  readOnly: false,
  evaluation: false,
};

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
  readOnly = false,
  evaluation = false,
  now,
  random = randomBytes,
}: {
  store: AnalysisStore;
  name: string;
  facility: Facility | null;
  readOnly?: boolean;
  evaluation?: boolean;
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
    readOnly,
    evaluation,
  };
  await store.createApiKey({ key: stored });
  await store.appendAudit({
    entry: {
      at: stored.createdAt,
      actor: 'cli',
      action: 'api_key.created',
      target: id,
      details: { name, facility, readOnly, evaluation },
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
  return {
    keyId: stored.id,
    name: stored.name,
    facility: stored.facility,
    readOnly: stored.readOnly,
    evaluation: stored.evaluation,
  };
}

/**
 * Revokes a key: it stops working at once. Recorded in the audit log.
 *
 * @throws NotFoundError when there is no such key
 */
export async function revokeApiKey({
  store,
  id,
  actor,
  now,
}: {
  store: AnalysisStore;
  id: string;
  actor: string;
  now: () => Date;
}): Promise<StoredApiKey> {
  const at = now().toISOString();
  const revoked = await store.revokeApiKey({ id, at });
  await store.appendAudit({
    entry: { at, actor, action: 'api_key.revoked', target: id, details: { name: revoked.name } },
  });
  return revoked;
}
