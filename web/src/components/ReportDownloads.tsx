import { useState } from 'react';
import { api, problemOf } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ProblemNotice } from './ProblemNotice.tsx';

const FORMATS = ['html', 'pdf', 'md'] as const;

/** Buttons that fetch the full RCA report (with the API key) and open it. */
export function ReportDownloads({ id }: { id: string }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const open = async (format: (typeof FORMATS)[number]) => {
    setProblem(null);
    const result = await api.GET('/api/v1/analyses/{id}/report', {
      params: { path: { id }, query: { format } },
      parseAs: 'blob',
    });
    if (!result.response.ok || !result.data) {
      setProblem(problemOf(result.response, result.error));
      return;
    }
    const url = URL.createObjectURL(result.data as Blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = `${id}-rca.${format}`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <span className="report-downloads">
      <span className="muted">{t('analysis.reportLinks')}:</span>
      {FORMATS.map((format) => (
        <button key={format} type="button" className="link" onClick={() => void open(format)}>
          {format.toUpperCase()}
        </button>
      ))}
      <ProblemNotice problem={problem} />
    </span>
  );
}
