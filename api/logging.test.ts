import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino, type DestinationStream } from 'pino';
import { ConfigError, parseConfig } from '../domain/index.ts';
import type { EmbeddedKnowledgeBase } from '../knowledge-base/embedded/embedded-knowledge-base.ts';
import { createApiKey } from './auth/api-keys.ts';
import { createLogger } from './logging.ts';
import {
  corpusKnowledgeBase,
  postJson,
  startTestServer,
  temporaryDirectory,
  type TestServer,
} from './testing/harness.ts';

/** A pino destination that keeps every line, parsed. */
function captureLines(): {
  destination: DestinationStream;
  lines: string[];
  records(): Record<string, unknown>[];
} {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => lines.push(line) },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const COOKIE_SECRET = 'sessionid=Zk9cookieSecretValue12345';
const BEARER_SECRET = 'Bearer eyJhbGciOiJIUzI1NiJ9.bearerSecretValue';

interface Exchange {
  status: number;
  body: string;
}

/** Requests that carry the secrets: accepted, refused, malformed, and to no route. */
async function sendRequests(api: string, apiKey: string): Promise<Exchange[]> {
  const headers = { 'x-api-key': apiKey, cookie: COOKIE_SECRET, authorization: BEARER_SECRET };
  const responses = [
    await fetch(`${api}/defects`, { headers }),
    await fetch(`${api}/stats`, { headers: { ...headers, 'x-api-key': `${apiKey.slice(0, -4)}AAAA` } }),
    await postJson(`${api}/analyze`, { description: 42 }, headers),
    await fetch(`${api}/analyze`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: `{"description": "${apiKey}`,
    }),
    await fetch(`${api}/no-such-route?key=${apiKey}`, { headers }),
    await fetch(`${api}/knowledge/search?q=rust&x-api-key=${apiKey}`, { headers }),
  ];
  return Promise.all(
    responses.map(async (response) => ({ status: response.status, body: await response.text() })),
  );
}

describe('secrets in logs and error bodies', () => {
  let knowledgeBase: EmbeddedKnowledgeBase;
  const data = temporaryDirectory('api-logging-');
  const now = () => new Date('2026-11-22T08:00:00Z');

  beforeAll(async () => {
    knowledgeBase = await corpusKnowledgeBase();
  }, 60_000);

  afterAll(async () => {
    await knowledgeBase.close();
    data.remove();
  });

  describe.each([
    ['the service logger', (destination: DestinationStream) => createLogger({ level: 'info', destination })],
    [
      'an injected logger without redaction',
      (destination: DestinationStream) => pino({ level: 'info' }, destination),
    ],
  ])('with %s', (_name, makeLogger) => {
    const capture = captureLines();
    let server: TestServer;
    let apiKey: string;
    let exchanges: Exchange[];

    beforeAll(async () => {
      server = await startTestServer({
        knowledgeBase,
        dataDir: data.directory,
        auth: 'required',
        logger: makeLogger(capture.destination),
      });
      apiKey = (await createApiKey({ store: server.store, name: 'qa', facility: null, now })).key;
      exchanges = await sendRequests(`${server.baseUrl}/api/v1`, apiKey);
    }, 60_000);

    afterAll(async () => {
      await server.close();
    });

    it('logs every request with its headers censored', () => {
      expect(exchanges.map((exchange) => exchange.status)).toEqual([200, 401, 400, 400, 404, 400]);
      const requests = capture
        .records()
        .map((record) => record.req as { url?: string; headers?: Record<string, unknown> } | undefined)
        .filter((request) => request?.headers !== undefined);
      expect(requests.length).toBeGreaterThanOrEqual(exchanges.length);
      for (const request of requests) {
        expect(request?.headers?.['x-api-key']).toBe('[Redacted]');
        expect(request?.headers?.cookie).toBe('[Redacted]');
        expect(request?.headers?.authorization).toBe('[Redacted]');
      }
    });

    it('never writes the key, the cookie or the bearer token', () => {
      const secret = apiKey.replace(/^rca_[a-z0-9]{12}_/, '');
      const text = capture.lines.join('');
      expect(text.length).toBeGreaterThan(0);
      for (const value of [apiKey, secret, COOKIE_SECRET, 'Zk9cookieSecretValue12345', 'bearerSecretValue'])
        expect(text).not.toContain(value);
    });

    it('never answers with them in an error body', () => {
      const secret = apiKey.replace(/^rca_[a-z0-9]{12}_/, '');
      for (const exchange of exchanges.slice(1)) {
        expect(exchange.body).toContain('"error"');
        for (const value of [secret, 'Zk9cookieSecretValue12345', 'bearerSecretValue'])
          expect(exchange.body).not.toContain(value);
      }
    });
  });

  it('the service logger scrubs config secrets and credentials inside messages', () => {
    const capture = captureLines();
    const config = {
      databaseUrl: 'postgres://rca:S3cr3t-Passw0rd@db.internal:5432/rca',
      modelApiKey: 'sk-model-0123456789abcdef',
    };
    const logger = createLogger({ level: 'info', config, destination: capture.destination });
    logger.info({ config }, 'starting');
    logger.error(
      { err: new Error('connect ECONNREFUSED postgres://rca:S3cr3t-Passw0rd@db.internal:5432/rca') },
      'cannot open the store',
    );
    logger.warn(`the model refused key sk-model-0123456789abcdef`);
    logger.info(
      { event: { headers: { authorization: BEARER_SECRET, 'x-api-key': 'rca_abcdefabcdef_x' } } },
      'event',
    );
    const text = capture.lines.join('');
    expect(capture.lines).toHaveLength(4);
    for (const value of [
      'S3cr3t-Passw0rd',
      'sk-model-0123456789abcdef',
      'bearerSecretValue',
      'rca_abcdefabcdef_x',
    ])
      expect(text).not.toContain(value);
    expect(text).toContain('db.internal');
  });

  it('a configuration error does not quote a password', () => {
    let error: unknown;
    try {
      parseConfig({ DATABASE_URL: 'mysql://rca:S3cr3t-Passw0rd@db.internal/rca' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('DATABASE_URL');
    expect(
      JSON.stringify({ message: (error as ConfigError).message, details: (error as ConfigError).details }),
    ).not.toContain('S3cr3t-Passw0rd');
  });
});
