import type { Schema } from '../api/client.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { CitationLinks } from './CitationDialog.tsx';

type Ishikawa = NonNullable<Schema<'ConsolidatedAnalysis'>['root_cause']>['ishikawa'];
type Category = keyof Ishikawa;

const TOP: readonly Category[] = ['man', 'machine', 'method'];
const BOTTOM: readonly Category[] = ['material', 'measurement', 'environment'];

function Branch({
  category,
  causes,
  highlighted,
}: {
  category: Category;
  causes: Ishikawa[Category];
  highlighted: boolean;
}) {
  const { label } = useI18n();
  return (
    <section className={`bone${highlighted ? ' bone-root' : ''}`} aria-label={label(category)}>
      <h3>{label(category)}</h3>
      {causes.length === 0 ? (
        <p className="muted small">—</p>
      ) : (
        <ul>
          {causes.map((cause, index) => (
            <li key={index} className={`cause cause-${cause.status}`}>
              <span className={`badge badge-${cause.status}`}>{label(cause.status)}</span> {cause.cause}
              {cause.evidence ? <span className="muted small"> — {cause.evidence}</span> : null}
              <CitationLinks ids={cause.citations} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The 6M fishbone as a diagram of HTML boxes: three branches above the spine, three below, the
 * effect at the head. It reflows to one column on a narrow screen, so it stays legible.
 */
export function Fishbone({
  ishikawa,
  effect,
  rootCategory,
}: {
  ishikawa: Ishikawa;
  effect: string;
  rootCategory: string | null;
}) {
  return (
    <div className="fishbone">
      <div className="bones bones-top">
        {TOP.map((category) => (
          <Branch
            key={category}
            category={category}
            causes={ishikawa[category]}
            highlighted={rootCategory === category}
          />
        ))}
      </div>
      <div className="spine" aria-hidden="true">
        <span className="spine-line" />
      </div>
      <div className="effect">{effect}</div>
      <div className="bones bones-bottom">
        {BOTTOM.map((category) => (
          <Branch
            key={category}
            category={category}
            causes={ishikawa[category]}
            highlighted={rootCategory === category}
          />
        ))}
      </div>
    </div>
  );
}
