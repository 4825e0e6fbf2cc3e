import { useEffect, useRef, useState, type DragEvent, type FormEvent } from 'react';
import type { InspectionReport } from '../api/client.ts';
import { streamAnalysis, type AnalysisStreamEvent } from '../api/stream.ts';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { CODES } from '../i18n/vocabulary.ts';
import { MEASUREMENT_FIELDS, outOfSpec } from '../measurements.ts';
import { analysisHref } from '../router.ts';

const SKUS: readonly NonNullable<InspectionReport['product_sku']>[] = [
  'WK-KN-200',
  'WK-KN-150',
  'WK-KN-100',
  'WK-SC-200',
  'WK-CI-200',
  'WK-CI-280',
];

const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const MAX_IMAGE_BYTES = 16 * 1024 * 1024;
const STAGES = ['classification', 'root_cause', 'actions'] as const;
type StageName = (typeof STAGES)[number];
type StageState = 'pending' | 'running' | 'complete' | 'failed' | 'skipped';

interface Progress {
  defectId: string | null;
  stages: Record<StageName, StageState>;
  summary: string | null;
  finished: 'done' | 'failed' | null;
  failure: { step: string; code: string; message: string } | null;
  status: string | null;
}

const INITIAL_PROGRESS: Progress = {
  defectId: null,
  stages: { classification: 'pending', root_cause: 'pending', actions: 'pending' },
  summary: null,
  finished: null,
  failure: null,
  status: null,
};

/** The progress after one streamed event. */
export function advance(progress: Progress, { event, data }: AnalysisStreamEvent): Progress {
  const stages = { ...progress.stages };
  const next = (stage: StageName) => {
    const index = STAGES.indexOf(stage);
    const following = STAGES[index + 1];
    if (following) stages[following] = 'running';
  };
  switch (event) {
    case 'accepted':
      stages.classification = 'running';
      return { ...progress, defectId: data.defect_id, stages };
    case 'classification':
      stages.classification = 'complete';
      next('classification');
      return {
        ...progress,
        stages,
        summary: `${data.defect_type} · ${data.severity} · ${data.recommended_action}`,
      };
    case 'root_cause':
    case 'actions':
      stages[event] = 'complete';
      next(event);
      return { ...progress, stages };
    case 'classification_failed':
    case 'root_cause_failed':
    case 'actions_failed': {
      const stage = event.replace('_failed', '') as StageName;
      stages[stage] = 'failed';
      return { ...progress, stages };
    }
    case 'done':
    case 'failed': {
      for (const stage of STAGES) {
        if (stages[stage] === 'running' || stages[stage] === 'pending') {
          const agent =
            stage === 'classification' ? 'classifier' : stage === 'actions' ? 'corrective_action' : stage;
          const run = data.agents[agent as keyof typeof data.agents];
          stages[stage] =
            run?.status === 'complete' ? 'complete' : run?.status === 'failed' ? 'failed' : 'skipped';
        }
      }
      return {
        ...progress,
        defectId: data.defect_id,
        stages,
        finished: event,
        failure: data.failure ?? null,
        status: data.status,
      };
    }
    default:
      return progress;
  }
}

const STATE_TEXT: Record<StageState, MessageKey> = {
  pending: 'stream.pending',
  running: 'stream.running',
  complete: 'stream.complete',
  failed: 'stream.failedStep',
  skipped: 'stream.skipped',
};

function StreamProgress({ progress }: { progress: Progress }) {
  const { t, label } = useI18n();
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    section.current?.scrollIntoView?.({ block: 'start' });
  }, []);
  return (
    <section ref={section} className="card" aria-labelledby="progress-title" aria-live="polite">
      <h2 id="progress-title">{t('stream.title')}</h2>
      <ol className="stages">
        <li className="stage stage-complete">
          <span className="stage-name">{t('stream.accepted')}</span>
          <span>{progress.defectId ?? '…'}</span>
        </li>
        {STAGES.map((stage) => (
          <li key={stage} className={`stage stage-${progress.stages[stage]}`} data-stage={stage}>
            <span className="stage-name">{t(`stream.${stage}`)}</span>
            <span className="stage-state">{t(STATE_TEXT[progress.stages[stage]])}</span>
          </li>
        ))}
      </ol>
      {progress.summary ? (
        <p className="muted">{progress.summary.split(' · ').map(label).join(' · ')}</p>
      ) : null}
      {progress.failure ? (
        <div className="notice notice-error" role="alert">
          <strong>{progress.finished === 'failed' ? t('stream.failed') : t('stream.partial')}</strong>
          <p>
            {label(progress.failure.step)}: {progress.failure.message} <code>{progress.failure.code}</code>
          </p>
        </div>
      ) : null}
      {progress.finished && progress.defectId ? (
        <p>
          {progress.finished === 'done' && !progress.failure ? <strong>{t('stream.done')}. </strong> : null}
          <a className="button primary" href={analysisHref(progress.defectId)}>
            {t('stream.open')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function PhotoInput({ photo, onPhoto }: { photo: File | null; onPhoto: (photo: File | null) => void }) {
  const { t } = useI18n();
  const [dragging, setDragging] = useState(false);
  const [rejected, setRejected] = useState(false);
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!photo) {
      setPreview(null);
      return;
    }
    const url = URL.createObjectURL(photo);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [photo]);
  const accept = (file: File | undefined) => {
    if (!file) return;
    const valid = IMAGE_TYPES.includes(file.type) && file.size <= MAX_IMAGE_BYTES;
    setRejected(!valid);
    onPhoto(valid ? file : null);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    accept(event.dataTransfer.files[0]);
  };
  return (
    <fieldset className="photo">
      <legend>{t('report.photo')}</legend>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        {preview ? (
          <img src={preview} alt={photo?.name ?? ''} className="preview" />
        ) : (
          <p>{t('report.photoDrop')}</p>
        )}
        <div className="row">
          <label className="button">
            {t('report.photoChoose')}
            <input
              type="file"
              accept={IMAGE_TYPES.join(',')}
              className="visually-hidden"
              onChange={(event) => accept(event.target.files?.[0])}
            />
          </label>
          <label className="button">
            {t('report.photoCamera')}
            <input
              type="file"
              accept="image/*"
              capture="environment"
              className="visually-hidden"
              onChange={(event) => accept(event.target.files?.[0])}
            />
          </label>
          {photo ? (
            <button type="button" onClick={() => onPhoto(null)}>
              {t('report.photoRemove')}
            </button>
          ) : null}
        </div>
        <p className="muted small">{t('report.photoTypes')}</p>
        {rejected ? (
          <p className="error-text" role="alert">
            {t('report.photoRejected')}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}

/** The New report screen: the inspector's report, then the analysis streaming in stage by stage. */
export function NewReportScreen() {
  const { t, label, language } = useI18n();
  const [description, setDescription] = useState('');
  const [sku, setSku] = useState('');
  const [facility, setFacility] = useState('');
  const [batch, setBatch] = useState('');
  const [shift, setShift] = useState('');
  const [measurements, setMeasurements] = useState<Record<string, string>>({});
  const [photo, setPhoto] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!description.trim() && !photo) {
      setProblem(t('report.needText'));
      return;
    }
    const measured: Record<string, number> = {};
    for (const [key, value] of Object.entries(measurements)) {
      if (value.trim() !== '' && Number.isFinite(Number(value))) measured[key] = Number(value);
    }
    const report: InspectionReport = {
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(sku ? { product_sku: sku as NonNullable<InspectionReport['product_sku']> } : {}),
      ...(facility ? { facility: facility as InspectionReport['facility'] } : {}),
      ...(batch.trim() ? { batch_id: batch.trim() } : {}),
      ...(shift.trim() ? { shift: shift.trim() } : {}),
      ...(Object.keys(measured).length > 0 ? { measurements: measured } : {}),
    };
    setBusy(true);
    setProblem(null);
    setProgress(INITIAL_PROGRESS);
    abort.current = new AbortController();
    try {
      await streamAnalysis({
        report,
        image: photo,
        signal: abort.current.signal,
        onEvent: (streamed) => setProgress((current) => advance(current ?? INITIAL_PROGRESS, streamed)),
      });
    } catch (error) {
      if (!(error instanceof DOMException && error.name === 'AbortError')) {
        setProblem(error);
        setProgress(null);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="screen screen-new">
      <h1>{t('report.title')}</h1>
      <form className="card report-form" onSubmit={submit} noValidate>
        <label htmlFor="description">{t('report.description')}</label>
        <textarea
          id="description"
          rows={4}
          value={description}
          maxLength={8000}
          aria-describedby="description-hint"
          onChange={(event) => setDescription(event.target.value)}
        />
        <p id="description-hint" className="muted small">
          {t('report.descriptionHint')}
        </p>
        <div className="grid-4">
          <div>
            <label htmlFor="sku">{t('report.sku')}</label>
            <select id="sku" value={sku} onChange={(event) => setSku(event.target.value)}>
              <option value="">{t('report.any')}</option>
              {SKUS.map((code) => (
                <option key={code} value={code}>
                  {code}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="facility">{t('report.facility')}</label>
            <select id="facility" value={facility} onChange={(event) => setFacility(event.target.value)}>
              <option value="">{t('report.any')}</option>
              {CODES.facilities.map((code) => (
                <option key={code} value={code}>
                  {label(code)}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="batch">{t('report.batch')}</label>
            <input
              id="batch"
              value={batch}
              maxLength={64}
              onChange={(event) => setBatch(event.target.value)}
            />
          </div>
          <div>
            <label htmlFor="shift">{t('report.shift')}</label>
            <input
              id="shift"
              value={shift}
              maxLength={32}
              onChange={(event) => setShift(event.target.value)}
            />
          </div>
        </div>
        <fieldset className="measurements">
          <legend>{t('report.measurements')}</legend>
          <div className="grid-measure">
            {MEASUREMENT_FIELDS.map((field) => {
              const raw = measurements[field.key] ?? '';
              const value = Number(raw);
              const bad = raw.trim() !== '' && Number.isFinite(value) && outOfSpec(field, value);
              return (
                <div key={field.key} className={bad ? 'measure out-of-spec' : 'measure'}>
                  <label htmlFor={`m-${field.key}`}>
                    {field.label[language]} <span className="muted">({field.unit})</span>
                  </label>
                  <input
                    id={`m-${field.key}`}
                    type="number"
                    inputMode="decimal"
                    step="any"
                    value={raw}
                    aria-describedby={`m-${field.key}-spec`}
                    aria-invalid={bad || undefined}
                    onChange={(event) =>
                      setMeasurements({ ...measurements, [field.key]: event.target.value })
                    }
                  />
                  <span id={`m-${field.key}-spec`} className="muted small">
                    {field.spec ? `${t('report.spec')}: ${field.spec}` : '\u00a0'}
                    {bad ? ` · ${t('report.outOfSpec')}` : ''}
                  </span>
                </div>
              );
            })}
          </div>
        </fieldset>
        <PhotoInput photo={photo} onPhoto={setPhoto} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('report.submitting') : t('report.submit')}
          </button>
        </div>
      </form>
      <ProblemNotice problem={problem} />
      {progress ? <StreamProgress progress={progress} /> : null}
    </div>
  );
}
