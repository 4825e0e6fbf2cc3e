import { useCallback, useEffect, useState } from 'react';
import { api, dataOf, type ReviewedAnalysis } from './client.ts';

/** An analysis as loaded: the analysis and its ETag, or the failure, and a way to read it again. */
export interface LoadedAnalysis {
  analysis: ReviewedAnalysis | null;
  etag: string | null;
  problem: unknown;
  loading: boolean;
  reload(): Promise<void>;
  /** Replaces the analysis and ETag with those a write answered. */
  replace(analysis: ReviewedAnalysis, etag: string | null): void;
}

/** Loads `GET /api/v1/analyses/{id}` with its ETag. */
export function useAnalysis(id: string): LoadedAnalysis {
  const [analysis, setAnalysis] = useState<ReviewedAnalysis | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      const result = await api.GET('/api/v1/analyses/{id}', { params: { path: { id } } });
      setAnalysis(dataOf(result));
      setEtag(result.response.headers.get('etag'));
      setProblem(null);
    } catch (error) {
      setProblem(error);
    } finally {
      setLoading(false);
    }
  }, [id]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const replace = useCallback((next: ReviewedAnalysis, nextEtag: string | null) => {
    setAnalysis(next);
    if (nextEtag) setEtag(nextEtag);
  }, []);
  return { analysis, etag, problem, loading, reload, replace };
}
