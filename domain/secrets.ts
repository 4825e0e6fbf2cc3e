/** What a redacted secret is replaced with, in logs and messages. */
export const REDACTED = '[Redacted]';

const SECRET_HEADERS = ['x-api-key', 'authorization', 'proxy-authorization', 'cookie', 'set-cookie'];
const SECRET_FIELDS = [
  'apiKey',
  'api_key',
  'modelApiKey',
  'password',
  'secret',
  'token',
  'accessToken',
  'secretAccessKey',
  'sessionToken',
  'connectionString',
  'databaseUrl',
  'DATABASE_URL',
  'MODEL_API_KEY',
  'OPENAI_API_KEY',
];

/**
 * The paths pino's `redact` censors on every log line: the secret headers of requests, responses
 * and events (Express requests as pino-http logs them, Lambda and API Gateway events), and the
 * fields that hold credentials or connection strings, at the top level and one level down.
 */
export const LOG_REDACT_PATHS: readonly string[] = [
  ...SECRET_HEADERS.flatMap((header) => [
    `req.headers["${header}"]`,
    `res.headers["${header}"]`,
    `headers["${header}"]`,
    `*.headers["${header}"]`,
    `multiValueHeaders["${header}"]`,
    `*.multiValueHeaders["${header}"]`,
  ]),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
];

/** `rca_<id>_<secret>`: the secret part of an API key. */
const API_KEY = /\b(rca_[a-z0-9]{12}_)[A-Za-z0-9_-]{32,64}/g;
/** The password of a URL with credentials (`postgres://user:password@host`). */
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"'<>]+:)[^\s@"'<>]+@/gi;
/** A bearer or basic credential. */
const AUTHORIZATION = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g;

/**
 * Removes secrets from a text (a log line, an error message): API key secrets, passwords in URLs,
 * bearer and basic credentials, and every known secret value given (e.g. from the config).
 * Values shorter than 8 characters are not searched for, so that they cannot blank common words.
 */
export function redactSecrets(text: string, knownSecrets: readonly string[] = []): string {
  let redacted = text
    .replace(API_KEY, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`)
    .replace(AUTHORIZATION, `$1 ${REDACTED}`);
  for (const secret of knownSecrets) {
    if (secret.length >= 8) redacted = redacted.split(secret).join(REDACTED);
  }
  return redacted;
}

/** A copy of a JSON-like value with {@link redactSecrets} applied to every string in it. */
export function redactStrings(value: unknown, knownSecrets: readonly string[] = []): unknown {
  if (typeof value === 'string') return redactSecrets(value, knownSecrets);
  if (Array.isArray(value)) return value.map((item) => redactStrings(item, knownSecrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactStrings(item, knownSecrets)]),
    );
  }
  return value;
}

/**
 * The secret values of a configuration, to redact wherever they might appear: the password of
 * every URL-valued setting that has one, and every setting whose name says it is a key, token,
 * password or secret.
 */
export function configSecrets(config: Readonly<Record<string, unknown>>): string[] {
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config)) {
    if (typeof value !== 'string' || value === '') continue;
    if (/(api_?key|token|password|secret)$/i.test(name)) secrets.push(value);
    const password = /^[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s@]+)@/i.exec(value)?.[1];
    if (password) secrets.push(password, decodeURIComponentSafe(password));
  }
  return [...new Set(secrets)];
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
