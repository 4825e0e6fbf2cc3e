import { useEffect, useState } from 'react';

/** A screen of the console and its parameters, read from the URL's hash. */
export type Route =
  | { screen: 'new' }
  | { screen: 'analysis'; id: string }
  | { screen: 'review'; id: string }
  | { screen: 'history'; query: URLSearchParams }
  | { screen: 'dashboard' }
  | { screen: 'knowledge'; query: URLSearchParams };

/** The route of a hash such as `#/analyses/DEF-20261122-3FA2B91C/review`. */
export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  if (parts[0] === 'analyses' && parts[1]) {
    return parts[2] === 'review' ? { screen: 'review', id: parts[1] } : { screen: 'analysis', id: parts[1] };
  }
  if (parts[0] === 'history') return { screen: 'history', query };
  if (parts[0] === 'dashboard') return { screen: 'dashboard' };
  if (parts[0] === 'knowledge') return { screen: 'knowledge', query };
  return { screen: 'new' };
}

/** The hash link of an analysis (or of its review). */
export function analysisHref(id: string, review = false): string {
  return `#/analyses/${encodeURIComponent(id)}${review ? '/review' : ''}`;
}

/** The current route, following hash changes. */
export function useRoute(): Route {
  const [hash, setHash] = useState(() => window.location.hash);
  useEffect(() => {
    const onChange = () => setHash(window.location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return parseRoute(hash);
}

/** Goes to a hash route. */
export function navigate(hash: string): void {
  window.location.hash = hash;
}
