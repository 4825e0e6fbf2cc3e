import { ApiProblem } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';

const PLAIN_MESSAGES: Record<number, MessageKey> = {
  409: 'errors.409',
  412: 'errors.412',
  429: 'errors.429',
  503: 'errors.503',
};

/** A failure stated plainly: what the API said, its status and request id. */
export function ProblemNotice({ problem }: { problem: unknown }) {
  const { t } = useI18n();
  if (!problem) return null;
  if (problem instanceof ApiProblem) {
    const plain = PLAIN_MESSAGES[problem.status];
    return (
      <div className="notice notice-error" role="alert">
        <strong>{plain ? t(plain) : t('common.error')}</strong>
        <p>
          {problem.message} <span className="muted">(HTTP {problem.status})</span>
        </p>
        {problem.requestId ? (
          <p className="muted small">
            {t('common.requestId')}: <code>{problem.requestId}</code>
          </p>
        ) : null}
      </div>
    );
  }
  const message = problem instanceof TypeError ? t('errors.network') : String(problem);
  return (
    <div className="notice notice-error" role="alert">
      <strong>{t('common.error')}</strong>
      <p>{message}</p>
    </div>
  );
}
