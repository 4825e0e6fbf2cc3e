import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, dataOf, type Schema } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { CitationLinks, CitationProvider } from './CitationDialog.tsx';
import { ProblemNotice } from './ProblemNotice.tsx';

/** One stored exchange of the follow-up conversation. */
type Exchange = Schema<'QuestionExchange'>;

/** The follow-up chat of an analysis: its stored history, and a question box. */
export function FollowUpChat({ id }: { id: string }) {
  const { t, formatDateTime, label } = useI18n();
  const [exchanges, setExchanges] = useState<Exchange[]>([]);
  const [question, setQuestion] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let live = true;
    api
      .GET('/api/v1/analyses/{id}/questions', { params: { path: { id } } })
      .then((result) => {
        if (live) setExchanges(dataOf(result).questions);
      })
      .catch((error: unknown) => live && setProblem(error));
    return () => {
      live = false;
    };
  }, [id]);
  const ask = async (event: FormEvent) => {
    event.preventDefault();
    if (question.trim().length < 3) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await api.POST('/api/v1/analyses/{id}/questions', {
        params: { path: { id } },
        body: { question: question.trim() },
      });
      const exchange = dataOf(result);
      setExchanges((current) => [...current, exchange]);
      setQuestion('');
      requestAnimationFrame(() => end.current?.scrollIntoView?.({ block: 'nearest' }));
    } catch (error) {
      setProblem(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card chat" aria-labelledby="chat-title">
      <h2 id="chat-title">{t('chat.title')}</h2>
      <div className="chat-log" role="log" aria-live="polite" tabIndex={0} aria-labelledby="chat-title">
        {exchanges.length === 0 ? <p className="muted">{t('chat.empty')}</p> : null}
        {exchanges.map((exchange) => (
          <div key={exchange.id} className="exchange">
            <p className="bubble bubble-question">
              <span className="who">{t('chat.you')}</span> {exchange.question}
            </p>
            <div className="bubble bubble-answer">
              <span className="who">{label(exchange.agent)}</span>
              <p className="pre-line">{exchange.answer}</p>
              <CitationProvider citations={exchange.citations}>
                <CitationLinks ids={exchange.citations.map((citation) => citation.chunk_id)} />
              </CitationProvider>
              <span className="muted small">{formatDateTime(exchange.asked_at)}</span>
            </div>
          </div>
        ))}
        <div ref={end} />
      </div>
      <form onSubmit={ask} className="chat-form">
        <label htmlFor="question" className="visually-hidden">
          {t('chat.label')}
        </label>
        <input
          id="question"
          value={question}
          placeholder={t('chat.label')}
          minLength={3}
          maxLength={2000}
          onChange={(event) => setQuestion(event.target.value)}
        />
        <button type="submit" className="primary" disabled={busy || question.trim().length < 3}>
          {busy ? t('chat.asking') : t('chat.ask')}
        </button>
      </form>
      <ProblemNotice problem={problem} />
    </section>
  );
}
