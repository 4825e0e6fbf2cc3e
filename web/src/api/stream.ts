import { authHeaders, problemOf, reportUnauthorized, type Schema } from './client.ts';

/** The events of a streamed analysis, with the shapes the API documents for them. */
export type AnalysisStreamEvent =
  | { event: 'accepted'; data: Schema<'AnalysisAcceptedEvent'> }
  | { event: 'classification'; data: NonNullable<Schema<'ConsolidatedAnalysis'>['classification']> }
  | { event: 'root_cause'; data: unknown }
  | { event: 'actions'; data: unknown }
  | {
      event: 'classification_failed' | 'root_cause_failed' | 'actions_failed';
      data: { code: string; message: string };
    }
  | { event: 'done' | 'failed'; data: Schema<'ConsolidatedAnalysis'> };

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Splits a server-sent event stream into its `event`/`data` messages as they arrive. */
export function createEventParser(onMessage: (message: { event: string; data: string }) => void) {
  let buffer = '';
  return (chunk: string): void => {
    buffer += chunk.replace(/\r\n?/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length > 0) onMessage({ event, data: data.join('\n') });
      boundary = buffer.indexOf('\n\n');
    }
  };
}

/**
 * Submits a report with `Accept: text/event-stream` and calls `onEvent` for each stage as it
 * completes. A refused report (400, 413, 429, …) throws its {@link ApiProblem}.
 */
export async function streamAnalysis({
  report,
  image,
  onEvent,
  signal,
}: {
  report: Schema<'InspectionReport'>;
  image?: File | null;
  onEvent: (event: AnalysisStreamEvent) => void;
  signal?: AbortSignal;
}): Promise<void> {
  let body: BodyInit;
  const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
  if (image) {
    const form = new FormData();
    form.set('report', JSON.stringify(report));
    form.set('image', image);
    body = form;
  } else {
    body = JSON.stringify(report);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(new URL('/api/v1/analyze', location.origin), {
    method: 'POST',
    headers,
    body,
    signal,
  });
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    if (response.status === 401) reportUnauthorized();
    const text = await response.text();
    throw problemOf(response, parseJson(text));
  }
  const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
  if (!reader) return;
  const parse = createEventParser(({ event, data }) => {
    onEvent({ event, data: JSON.parse(data) } as AnalysisStreamEvent);
  });
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parse(value);
  }
}
