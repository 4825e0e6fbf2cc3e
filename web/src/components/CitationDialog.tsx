import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { Schema } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

type Citation = Schema<'ConsolidatedAnalysis'>['citations'][number];

interface CitationContextValue {
  open(chunkId: string): void;
  find(chunkId: string): Citation | undefined;
}

const CitationContext = createContext<CitationContextValue>({ open: () => undefined, find: () => undefined });

/** Lets every citation of an analysis open its cited passage in one dialog. */
export function CitationProvider({
  citations,
  children,
}: {
  citations: readonly Citation[];
  children: ReactNode;
}) {
  const { t, label } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [shown, setShown] = useState<Citation | null>(null);
  const byId = useMemo(
    () => new Map(citations.map((citation) => [citation.chunk_id, citation])),
    [citations],
  );
  const find = useCallback((chunkId: string) => byId.get(chunkId), [byId]);
  const open = useCallback(
    (chunkId: string) => {
      const citation = byId.get(chunkId);
      if (citation) setShown(citation);
    },
    [byId],
  );
  useEffect(() => {
    const element = dialog.current;
    if (shown && element && !element.open) element.showModal?.();
  }, [shown]);
  const value = useMemo(() => ({ open, find }), [open, find]);
  return (
    <CitationContext.Provider value={value}>
      {children}
      <dialog
        ref={dialog}
        className="dialog citation-dialog"
        aria-labelledby="citation-title"
        onClose={() => setShown(null)}
      >
        {shown ? (
          <>
            <h2 id="citation-title">{shown.title}</h2>
            <p className="muted">
              {label(shown.doc_type)} · <code>{shown.source_id}</code>
              {shown.section ? ` · ${shown.section}` : ''}
            </p>
            <blockquote className="excerpt">{shown.excerpt}</blockquote>
            <form method="dialog" className="row">
              <button type="submit" autoFocus>
                {t('common.close')}
              </button>
            </form>
          </>
        ) : null}
      </dialog>
    </CitationContext.Provider>
  );
}

/** The citation ids of a claim as buttons that open their passages. */
export function CitationLinks({ ids }: { ids: readonly string[] | undefined }) {
  const { t } = useI18n();
  const { open, find } = useContext(CitationContext);
  if (!ids || ids.length === 0) return null;
  return (
    <span className="citations">
      {ids.map((id) => {
        const citation = find(id);
        return (
          <button
            key={id}
            type="button"
            className="chip"
            onClick={() => open(id)}
            disabled={!citation}
            title={citation?.title ?? id}
          >
            {citation?.source_id ?? id}
            <span className="visually-hidden">
              {' '}
              ({t('analysis.citation')}: {citation?.title ?? id})
            </span>
          </button>
        );
      })}
    </span>
  );
}
