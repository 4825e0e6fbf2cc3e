import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema.ts';

/** A schema of the API's OpenAPI document, by name. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** An analysis as the API returns it: the machine's analysis with its review. */
export type ReviewedAnalysis = Schema<'ReviewedAnalysis'>;
/** The machine's consolidated analysis. */
export type ConsolidatedAnalysis = Schema<'ConsolidatedAnalysis'>;
/** An inspection report as the console submits it. */
export type InspectionReport = Schema<'InspectionReport'>;
/** The API's error body. */
export type ErrorBody = Schema<'Error'>;

const KEY_STORAGE = 'rca.apiKey';

/** The API key kept for this browser session only (sessionStorage), or null. */
export function storedApiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

/** Keeps (or, with null, forgets) the API key for this browser session. */
export function storeApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
}

/** The listeners told when the API answers 401, so that the console asks for a key. */
const unauthorizedListeners = new Set<() => void>();

/** Calls `listener` whenever the API refuses the key (or its absence); returns the unsubscriber. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Tells the listeners that the API refused the key. */
export function reportUnauthorized(): void {
  for (const listener of unauthorizedListeners) listener();
}

/** The headers every API call carries: the stored API key, when there is one. */
export function authHeaders(): Record<string, string> {
  const key = storedApiKey();
  return key ? { 'x-api-key': key } : {};
}

const authentication: Middleware = {
  onRequest({ request }) {
    const key = storedApiKey();
    if (key) request.headers.set('x-api-key', key);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) reportUnauthorized();
    return response;
  },
};

/** The typed client of the API, generated from its OpenAPI document. */
export const api = createClient<paths>({
  baseUrl: globalThis.location?.origin ?? 'http://localhost',
  // Looked up at each call, so that a test can stand in for the network.
  fetch: (request) => globalThis.fetch(request),
});
api.use(authentication);

/** A failed API call: its HTTP status and the API's code, message and request id. */
export class ApiProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;

  constructor({
    status,
    code,
    message,
    requestId,
  }: {
    status: number;
    code: string;
    message: string;
    requestId: string | null;
  }) {
    super(message);
    this.name = 'ApiProblem';
    this.status = status;
    this.code = code;
    this.requestId = requestId;
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && 'message' in error;
}

/** The {@link ApiProblem} of a failed response and its body (the API's error shape, or anything). */
export function problemOf(response: Response, body: unknown): ApiProblem {
  if (isErrorBody(body)) {
    return new ApiProblem({
      status: response.status,
      code: body.error.code,
      message: body.error.message,
      requestId: body.error.requestId,
    });
  }
  return new ApiProblem({
    status: response.status,
    code: 'http_error',
    message: response.statusText || `HTTP ${response.status}`,
    requestId: response.headers.get('x-request-id'),
  });
}

/**
 * The data of an openapi-fetch result, or throws its {@link ApiProblem}: the console's screens
 * handle a failure in one place.
 */
export function dataOf<Data>(result: { data?: Data; error?: unknown; response: Response }): Data {
  if (result.response.ok && result.data !== undefined) return result.data;
  throw problemOf(result.response, result.error);
}
