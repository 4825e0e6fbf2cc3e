import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, zh, type MessageKey } from './messages.ts';
import { VOCABULARY } from './vocabulary.ts';

/** The console's languages. */
export type Language = 'en' | 'zh';

/** What the console's components need to speak the chosen language. */
export interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  /** The text of a key, with `{name}` placeholders filled. */
  t(key: MessageKey, values?: Record<string, string | number>): string;
  /** The name of an API code (a defect type, a stage, a state…), or the code itself. */
  label(code: string | null | undefined): string;
  /** A date and time in the language's format. */
  formatDateTime(iso: string | null | undefined): string;
  /** A calendar date in the language's format. */
  formatDate(iso: string | null | undefined): string;
  /** A number in the language's format. */
  formatNumber(value: number, options?: Intl.NumberFormatOptions): string;
}

const LANGUAGE_STORAGE = 'rca.language';
const LOCALES: Record<Language, string> = { en: 'en-GB', zh: 'zh-CN' };

function initialLanguage(): Language {
  const stored = localStorage.getItem(LANGUAGE_STORAGE);
  if (stored === 'en' || stored === 'zh') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** Builds the {@link I18n} of a language. */
export function createI18n(language: Language, setLanguage: (language: Language) => void): I18n {
  const messages = language === 'zh' ? zh : en;
  const locale = LOCALES[language];
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  return {
    language,
    setLanguage,
    t(key, values) {
      const text: string = messages[key];
      if (!values) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
    },
    label(code) {
      if (!code) return '—';
      return VOCABULARY[code]?.[language] ?? code;
    },
    formatDateTime(iso) {
      return iso ? dateTime.format(new Date(iso)) : '—';
    },
    formatDate(iso) {
      return iso ? date.format(new Date(iso.length === 10 ? `${iso}T00:00:00` : iso)) : '—';
    },
    formatNumber(value, options) {
      return new Intl.NumberFormat(locale, options).format(value);
    },
  };
}

const I18nContext = createContext<I18n>(createI18n('en', () => undefined));

/** Provides the chosen language (kept in localStorage) to the console. */
export function LanguageProvider({
  children,
  language: fixed,
}: {
  children: ReactNode;
  language?: Language;
}) {
  const [language, setLanguageState] = useState<Language>(() => fixed ?? initialLanguage());
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(LANGUAGE_STORAGE, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const value = useMemo(() => createI18n(language, setLanguage), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/** The console's language and text. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
