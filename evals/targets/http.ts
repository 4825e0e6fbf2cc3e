import { z } from 'zod';
import { UpstreamError, type InspectionReport } from '../../domain/index.ts';
import type { EvalTarget } from './target.ts';

const QuestionAnswer = z.object({
  answer: z.string(),
  citations: z.array(z.object({ chunk_id: z.string() }).passthrough()),
});

const POLL_INTERVAL_MS = 500;

/**
 * The HTTP target: `POST /api/v1/analyze` on a running service (polling `GET /api/v1/analyses/:id`
 * while the analysis is pending), and `POST /api/v1/analyses/:id/questions` for follow-ups. The
 * questions about one case share the analysis's stored session, as they would for a user.
 */
export function createHttpTarget({ baseUrl, apiKey }: { baseUrl: string; apiKey?: string }): EvalTarget {
  const headers = { 'content-type': 'application/json', ...(apiKey ? { 'x-api-key': apiKey } : {}) };
  async function call(url: string, init: { method: string; body?: string; signal: AbortSignal }) {
    const response = await fetch(url, { ...init, headers });
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      throw new UpstreamError(`HTTP ${response.status} from ${url}: ${JSON.stringify(body).slice(0, 300)}`, {
        isRetryable: response.status >= 500 || response.status === 429,
      });
    }
    return body;
  }
  const pendingId = (body: unknown): string | null => {
    const parsed = z.object({ defect_id: z.string(), status: z.literal('pending') }).safeParse(body);
    return parsed.success ? parsed.data.defect_id : null;
  };
  return {
    name: new URL(baseUrl).host,
    model: 'remote',
    async analyze({ report, signal }: { report: InspectionReport; signal: AbortSignal }) {
      let body = await call(new URL('/api/v1/analyze', baseUrl).toString(), {
        method: 'POST',
        body: JSON.stringify(report),
        signal,
      });
      for (let id = pendingId(body); id !== null; id = pendingId(body)) {
        await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
        signal.throwIfAborted();
        body = await call(new URL(`/api/v1/analyses/${encodeURIComponent(id)}`, baseUrl).toString(), {
          method: 'GET',
          signal,
        });
      }
      return body;
    },
    async ask({ analysis, question, signal }) {
      const url = new URL(`/api/v1/analyses/${encodeURIComponent(analysis.defect_id)}/questions`, baseUrl);
      const body = await call(url.toString(), { method: 'POST', body: JSON.stringify({ question }), signal });
      const parsed = QuestionAnswer.safeParse(body);
      if (!parsed.success) {
        throw new UpstreamError(`unexpected answer from ${url.toString()}: ${parsed.error.message}`, {
          isRetryable: false,
          cause: parsed.error,
        });
      }
      return {
        answer: parsed.data.answer,
        citations: parsed.data.citations.map((citation) => citation.chunk_id),
      };
    },
    async close() {},
  };
}
