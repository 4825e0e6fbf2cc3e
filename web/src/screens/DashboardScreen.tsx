import type { ChartConfiguration } from 'chart.js';
import { useEffect, useMemo, useState } from 'react';
import { api, dataOf, type Schema } from '../api/client.ts';
import { ChartCanvas } from '../components/ChartCanvas.tsx';
import { ProblemNotice } from '../components/ProblemNotice.tsx';
import { useI18n, type I18n } from '../i18n/i18n.tsx';
import { CODES } from '../i18n/vocabulary.ts';
import { analysisHref } from '../router.ts';

type Stats = Schema<'Stats'>;
const TREND_DAYS = 30;
const COLORS = { bar: '#1f5f99', line: '#b5461a', secondary: '#5b8c3a' };

/** The Pareto of defect types: counts in descending order and their cumulative share. */
export function paretoOf(
  counts: Record<string, number>,
): { code: string; count: number; cumulative: number }[] {
  const entries = Object.entries(counts)
    .filter(([code, count]) => code !== 'none' && count > 0)
    .sort((left, right) => right[1] - left[1]);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  let running = 0;
  return entries.map(([code, count]) => {
    running += count;
    return { code, count, cumulative: total === 0 ? 0 : running / total };
  });
}

/** The number of analyses per day over the last `days` days, oldest first. */
export function dailyCounts(
  createdAt: readonly string[],
  today: Date,
  days: number,
): { day: string; count: number }[] {
  const counts = new Map<string, number>();
  for (let offset = days - 1; offset >= 0; offset -= 1) {
    const day = new Date(today.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
    counts.set(day, 0);
  }
  for (const created of createdAt) {
    const day = created.slice(0, 10);
    if (counts.has(day)) counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  return [...counts].map(([day, count]) => ({ day, count }));
}

function barConfiguration(
  labels: string[],
  data: number[],
  name: string,
  horizontal = false,
): ChartConfiguration {
  return {
    type: 'bar',
    data: { labels, datasets: [{ label: name, data, backgroundColor: COLORS.bar }] },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: false } },
      scales: { [horizontal ? 'x' : 'y']: { beginAtZero: true, ticks: { precision: 0 } } },
    },
  };
}

function CountsTable({ rows, i18n, caption }: { rows: [string, number][]; i18n: I18n; caption: string }) {
  return (
    <details className="chart-data">
      <summary>{caption}</summary>
      <table>
        <tbody>
          {rows.map(([code, count]) => (
            <tr key={code}>
              <th scope="row">{i18n.label(code)}</th>
              <td>{i18n.formatNumber(count)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The Dashboard: counts, the Pareto of defect types, the trend, stages, facilities, recurring causes. */
export default function DashboardScreen() {
  const i18n = useI18n();
  const { t, label, formatNumber, formatDate } = i18n;
  const [facility, setFacility] = useState('');
  const [stats, setStats] = useState<Stats | null>(null);
  const [createdAt, setCreatedAt] = useState<string[]>([]);
  const [problem, setProblem] = useState<unknown>(null);
  const today = useMemo(() => new Date(), []);

  useEffect(() => {
    let live = true;
    const scope = facility ? { facility: facility as Stats['facility'] & string } : {};
    const since = new Date(today.getTime() - (TREND_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    (async () => {
      try {
        const loaded = dataOf(await api.GET('/api/v1/stats', { params: { query: scope } }));
        const days: string[] = [];
        let cursor: string | null = null;
        for (let page = 0; page < 5; page += 1) {
          const result: Schema<'AnalysisPage'> = dataOf(
            await api.GET('/api/v1/analyses', {
              params: { query: { ...scope, since, limit: 200, ...(cursor ? { cursor } : {}) } },
            }),
          );
          days.push(...result.items.map((item) => item.created_at));
          cursor = result.next_cursor;
          if (!cursor) break;
        }
        if (live) {
          setStats(loaded);
          setCreatedAt(days);
          setProblem(null);
        }
      } catch (error) {
        if (live) setProblem(error);
      }
    })();
    return () => {
      live = false;
    };
  }, [facility, today]);

  const pareto = useMemo(() => paretoOf(stats?.by_type ?? {}), [stats]);
  const trend = useMemo(() => dailyCounts(createdAt, today, TREND_DAYS), [createdAt, today]);
  const stages = useMemo(
    () => Object.entries(stats?.by_stage ?? {}).sort((left, right) => right[1] - left[1]),
    [stats],
  );
  const facilities = useMemo(() => Object.entries(stats?.by_facility ?? {}), [stats]);

  const paretoChart = useMemo<ChartConfiguration>(
    () => ({
      type: 'bar',
      data: {
        labels: pareto.map((row) => label(row.code)),
        datasets: [
          {
            type: 'bar',
            label: t('dashboard.count'),
            data: pareto.map((row) => row.count),
            backgroundColor: COLORS.bar,
            yAxisID: 'y',
            order: 2,
          },
          {
            type: 'line',
            label: t('dashboard.cumulative'),
            data: pareto.map((row) => Math.round(row.cumulative * 1000) / 10),
            borderColor: COLORS.line,
            backgroundColor: COLORS.line,
            yAxisID: 'percent',
            order: 1,
          },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, ticks: { precision: 0 } },
          percent: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } },
        },
      },
    }),
    [pareto, label, t],
  );
  const trendChart = useMemo<ChartConfiguration>(
    () => ({
      type: 'line',
      data: {
        labels: trend.map((row) => formatDate(row.day)),
        datasets: [
          {
            label: t('dashboard.total'),
            data: trend.map((row) => row.count),
            borderColor: COLORS.bar,
            backgroundColor: COLORS.bar,
            tension: 0.2,
          },
        ],
      },
      options: {
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    }),
    [trend, formatDate, t],
  );
  const stageChart = useMemo(
    () =>
      barConfiguration(
        stages.map(([code]) => label(code)),
        stages.map(([, count]) => count),
        t('dashboard.count'),
        true,
      ),
    [stages, label, t],
  );
  const facilityChart = useMemo(
    () =>
      barConfiguration(
        facilities.map(([code]) => label(code)),
        facilities.map(([, count]) => count),
        t('dashboard.count'),
      ),
    [facilities, label, t],
  );

  return (
    <div className="screen screen-dashboard">
      <header className="screen-header">
        <h1>{t('dashboard.title')}</h1>
        <div>
          <label htmlFor="dashboard-facility">{t('report.facility')}</label>
          <select
            id="dashboard-facility"
            value={facility}
            onChange={(event) => setFacility(event.target.value)}
          >
            <option value="">{t('common.all')}</option>
            {CODES.facilities.map((code) => (
              <option key={code} value={code}>
                {label(code)}
              </option>
            ))}
          </select>
        </div>
      </header>
      <ProblemNotice problem={problem} />
      {!stats ? (
        problem ? null : (
          <p>{t('common.loading')}</p>
        )
      ) : (
        <>
          <div className="tiles">
            <div className="tile">
              <span className="tile-value">{formatNumber(stats.total_analyses)}</span>
              <span>{t('dashboard.total')}</span>
            </div>
            <div className="tile">
              <span className="tile-value">{formatNumber(stats.defects_detected)}</span>
              <span>{t('dashboard.defects')}</span>
            </div>
            <div className="tile">
              <span className="tile-value">
                {formatNumber(stats.defect_rate, { style: 'percent', maximumFractionDigits: 1 })}
              </span>
              <span>{t('dashboard.rate')}</span>
            </div>
            <div className="tile">
              <span className="tile-value">{formatNumber(stats.confirmed_analyses)}</span>
              <span>{t('dashboard.confirmed')}</span>
            </div>
          </div>
          <div className="chart-grid">
            <section className="card" aria-labelledby="pareto-title">
              <h2 id="pareto-title">{t('dashboard.pareto')}</h2>
              {pareto.length === 0 ? (
                <p className="muted">{t('dashboard.noData')}</p>
              ) : (
                <ChartCanvas configuration={paretoChart} label={t('dashboard.pareto')} />
              )}
              <CountsTable
                rows={pareto.map((row) => [row.code, row.count])}
                i18n={i18n}
                caption={t('dashboard.count')}
              />
            </section>
            <section className="card" aria-labelledby="trend-title">
              <h2 id="trend-title">{t('dashboard.trend')}</h2>
              <ChartCanvas configuration={trendChart} label={t('dashboard.trend')} />
              <CountsTable
                rows={trend.filter((row) => row.count > 0).map((row) => [row.day, row.count])}
                i18n={i18n}
                caption={t('dashboard.count')}
              />
            </section>
            <section className="card" aria-labelledby="stage-title">
              <h2 id="stage-title">{t('dashboard.stage')}</h2>
              {stages.length === 0 ? (
                <p className="muted">{t('dashboard.noData')}</p>
              ) : (
                <ChartCanvas configuration={stageChart} label={t('dashboard.stage')} height={320} />
              )}
              <CountsTable rows={stages} i18n={i18n} caption={t('dashboard.count')} />
            </section>
            <section className="card" aria-labelledby="facility-title">
              <h2 id="facility-title">{t('dashboard.facility')}</h2>
              {facilities.length === 0 ? (
                <p className="muted">{t('dashboard.noData')}</p>
              ) : (
                <ChartCanvas configuration={facilityChart} label={t('dashboard.facility')} />
              )}
              <CountsTable rows={facilities} i18n={i18n} caption={t('dashboard.count')} />
            </section>
          </div>
          <section className="card" aria-labelledby="recurring-title">
            <h2 id="recurring-title">{t('dashboard.recurring')}</h2>
            {stats.top_root_causes.length === 0 ? (
              <p className="muted">{t('dashboard.noData')}</p>
            ) : (
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('analysis.stage')}</th>
                      <th scope="col">{t('analysis.type')}</th>
                      <th scope="col">{t('analysis.category')}</th>
                      <th scope="col">{t('dashboard.count')}</th>
                      <th scope="col">{t('dashboard.examples')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.top_root_causes.map((cause) => (
                      <tr key={`${cause.stage}-${cause.defect_type}-${cause.category_6m}`}>
                        <td>{label(cause.stage)}</td>
                        <td>{label(cause.defect_type)}</td>
                        <td>{label(cause.category_6m)}</td>
                        <td>{formatNumber(cause.count)}</td>
                        <td>
                          {cause.example_defect_ids.map((id) => (
                            <a key={id} href={analysisHref(id)} className="mono example-link">
                              {id}
                            </a>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </div>
  );
}
