import { vi } from 'vitest';
import fixture from './analysis.fixture.json';
import type { ReviewedAnalysis } from '../api/client.ts';

/** A complete analysis as the API returns it, recorded from the offline model. */
export const ANALYSIS = fixture as unknown as ReviewedAnalysis;

/** One answer of the fake API. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Server-sent events to stream instead of a JSON body. */
  events?: { event: string; data: unknown }[];
}

/** A request the fake API received. */
export interface FakeRequest {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/**
 * Stands in for the network: `routes` answers each `METHOD /path` (the first matching prefix of
 * the path and query); every request is recorded.
 */
export function fakeApi(routes: Record<string, FakeAnswer | ((request: FakeRequest) => FakeAnswer)>) {
  const requests: FakeRequest[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    const recorded: FakeRequest = {
      method: request.method,
      path: url.pathname + url.search,
      headers: request.headers,
      body: request.method === 'GET' ? '' : await request.clone().text(),
    };
    requests.push(recorded);
    const key = Object.keys(routes).find((route) => {
      const [method, path] = route.split(' ');
      return method === recorded.method && path !== undefined && recorded.path.startsWith(path);
    });
    const route = key ? routes[key] : undefined;
    const answer: FakeAnswer =
      typeof route === 'function'
        ? route(recorded)
        : (route ?? {
            status: 404,
            body: { error: { code: 'not_found', message: 'no route', requestId: 'req-test' } },
          });
    if (answer.events) {
      const text = answer.events
        .map(({ event, data }) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
        .join('');
      return new Response(text, {
        status: 200,
        headers: { 'content-type': 'text/event-stream', ...answer.headers },
      });
    }
    return new Response(JSON.stringify(answer.body ?? {}), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/json', ...answer.headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return { requests, fetch };
}
