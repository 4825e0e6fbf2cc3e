import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { configSecrets, LOG_REDACT_PATHS, REDACTED, redactSecrets } from '../domain/index.ts';

/**
 * pino's `redact` options of every logger of the service: the secret headers (API key,
 * authorization, cookies) and the credential fields, censored on every line.
 */
export const LOG_REDACTION: NonNullable<LoggerOptions['redact']> = {
  paths: [...LOG_REDACT_PATHS],
  censor: REDACTED,
};

/** Options of {@link createLogger}. */
export interface CreateLoggerOptions {
  level: LoggerOptions['level'];
  /** The configuration, whose secret values (passwords in URLs, keys) are scrubbed from every line. */
  config?: Readonly<Record<string, unknown>>;
  /** Fields bound to every line. */
  base?: Record<string, unknown>;
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

/**
 * The service's structured logger: pino with {@link LOG_REDACTION}, and a last pass over each
 * serialised line that scrubs secrets that ended up inside strings (an error message quoting a
 * connection string or an API key): see {@link redactSecrets}.
 */
export function createLogger({ level, config, base, destination }: CreateLoggerOptions): Logger {
  const known = config ? configSecrets(config) : [];
  const options: LoggerOptions = {
    level,
    redact: LOG_REDACTION,
    hooks: { streamWrite: (line) => redactSecrets(line, known) },
    ...(base ? { base } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
