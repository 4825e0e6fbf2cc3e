import { useEffect, useState } from 'react';
import { api, problemOf } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ProblemNotice } from './ProblemNotice.tsx';

/** The photo of a report, fetched with the API key and shown from a blob URL (the CSP allows no other). */
export function PhotoCard({ id, description }: { id: string; description: string | undefined }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    let created: string | null = null;
    api
      .GET('/api/v1/analyses/{id}/image', { params: { path: { id } }, parseAs: 'blob' })
      .then((result) => {
        if (!live) return;
        if (!result.response.ok || !result.data) {
          setProblem(problemOf(result.response, result.error));
          return;
        }
        created = URL.createObjectURL(result.data as Blob);
        setUrl(created);
      })
      .catch((error: unknown) => live && setProblem(error));
    return () => {
      live = false;
      if (created) URL.revokeObjectURL(created);
    };
  }, [id]);
  return (
    <section className="card photo-card" aria-labelledby="photo-title">
      <h2 id="photo-title">{t('analysis.photo')}</h2>
      {url ? (
        <img src={url} alt={description ? `${t('analysis.photo')}: ${description}` : t('analysis.photo')} />
      ) : null}
      <ProblemNotice problem={problem} />
    </section>
  );
}
