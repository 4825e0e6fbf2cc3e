import { UpstreamError, type InspectionReport } from '../../domain/index.ts';
import type { EvalTarget } from './target.ts';

/** The HTTP target: `POST /api/v1/analyze` on a running service. */
export function createHttpTarget({ baseUrl, apiKey }: { baseUrl: string; apiKey?: string }): EvalTarget {
  const url = new URL('/api/v1/analyze', baseUrl).toString();
  return {
    name: new URL(baseUrl).host,
    model: 'remote',
    async analyze({ report, signal }: { report: InspectionReport; signal: AbortSignal }) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) },
        body: JSON.stringify(report),
        signal,
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok) {
        throw new UpstreamError(
          `HTTP ${response.status} from ${url}: ${JSON.stringify(body).slice(0, 300)}`,
          {
            isRetryable: response.status >= 500 || response.status === 429,
          },
        );
      }
      return body;
    },
    async close() {},
  };
}
