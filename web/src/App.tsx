import { lazy, Suspense, useEffect, useState } from 'react';
import { onUnauthorized, storedApiKey, storeApiKey } from './api/client.ts';
import { ApiKeyDialog } from './components/ApiKeyDialog.tsx';
import { LanguageProvider, useI18n, type Language } from './i18n/i18n.tsx';
import type { MessageKey } from './i18n/messages.ts';
import { useRoute, type Route } from './router.ts';
import { AnalysisScreen } from './screens/AnalysisScreen.tsx';
import { HistoryScreen } from './screens/HistoryScreen.tsx';
import { KnowledgeScreen } from './screens/KnowledgeScreen.tsx';
import { NewReportScreen } from './screens/NewReportScreen.tsx';
import { ReviewScreen } from './screens/ReviewScreen.tsx';

const DashboardScreen = lazy(() => import('./screens/DashboardScreen.tsx'));

const NAVIGATION: { screen: Route['screen']; href: string; label: MessageKey }[] = [
  { screen: 'new', href: '#/', label: 'nav.new' },
  { screen: 'history', href: '#/history', label: 'nav.history' },
  { screen: 'dashboard', href: '#/dashboard', label: 'nav.dashboard' },
  { screen: 'knowledge', href: '#/knowledge', label: 'nav.knowledge' },
];

function Screen({ route, generation }: { route: Route; generation: number }) {
  const { t } = useI18n();
  switch (route.screen) {
    case 'analysis':
      return <AnalysisScreen key={`${route.id}-${generation}`} id={route.id} />;
    case 'review':
      return <ReviewScreen key={`${route.id}-${generation}`} id={route.id} />;
    case 'history':
      return <HistoryScreen key={generation} query={route.query} />;
    case 'dashboard':
      return (
        <Suspense fallback={<p>{t('common.loading')}</p>}>
          <DashboardScreen key={generation} />
        </Suspense>
      );
    case 'knowledge':
      return <KnowledgeScreen key={generation} query={route.query} />;
    default:
      return <NewReportScreen />;
  }
}

function Shell() {
  const { t, language, setLanguage } = useI18n();
  const route = useRoute();
  const [askingKey, setAskingKey] = useState(false);
  const [hasKey, setHasKey] = useState(() => storedApiKey() !== null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => onUnauthorized(() => setAskingKey(true)), []);
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  const current = route.screen === 'review' ? 'analysis' : route.screen;
  return (
    <>
      <a className="skip-link" href="#content">
        {t('app.skip')}
      </a>
      <header className="top">
        <a className="brand" href="#/">
          {t('app.title')}
        </a>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAVIGATION.map((item) => (
              <li key={item.screen}>
                <a href={item.href} aria-current={current === item.screen ? 'page' : undefined}>
                  {t(item.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="top-tools">
          <label className="language">
            <span className="visually-hidden">{t('language.label')}</span>
            <select
              value={language}
              onChange={(event) => setLanguage(event.target.value as Language)}
              aria-label={t('language.label')}
            >
              <option value="en">English</option>
              <option value="zh">中文</option>
            </select>
          </label>
          {hasKey ? (
            <button
              type="button"
              className="link"
              onClick={() => {
                storeApiKey(null);
                setHasKey(false);
              }}
            >
              {t('apiKey.forget')}
            </button>
          ) : null}
        </div>
      </header>
      <main id="content" tabIndex={-1}>
        <Screen route={route} generation={generation} />
      </main>
      <ApiKeyDialog
        open={askingKey}
        onSaved={() => {
          setAskingKey(false);
          setHasKey(true);
          setGeneration((value) => value + 1);
        }}
      />
    </>
  );
}

/** The console: its navigation, language switch and screens. */
export function App({ language }: { language?: Language }) {
  return (
    <LanguageProvider language={language}>
      <Shell />
    </LanguageProvider>
  );
}
