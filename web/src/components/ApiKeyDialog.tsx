import { useEffect, useRef, useState, type FormEvent } from 'react';
import { storeApiKey } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';

/** Asks once for the API key (when the API answers 401) and keeps it for the browser session. */
export function ApiKeyDialog({ open, onSaved }: { open: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const [key, setKey] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal?.();
    if (!open && element.open) element.close();
  }, [open]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!key.trim()) return;
    storeApiKey(key.trim());
    setKey('');
    onSaved();
  };
  return (
    <dialog ref={dialog} aria-labelledby="api-key-title" className="dialog">
      <form onSubmit={submit}>
        <h2 id="api-key-title">{t('apiKey.title')}</h2>
        <p>{t('apiKey.explain')}</p>
        <label htmlFor="api-key">{t('apiKey.label')}</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          value={key}
          onChange={(event) => setKey(event.target.value)}
          required
        />
        <div className="row">
          <button type="submit" className="primary">
            {t('apiKey.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
