import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** Where `npm run web:build` writes the console. */
export const WEB_CONSOLE_DIRECTORY = fileURLToPath(new URL('../web/dist', import.meta.url));

/**
 * The console's Content-Security-Policy: its own scripts, styles and fonts only (no inline
 * script or style), photos from the API as blob URLs, and calls to this origin only.
 */
export const WEB_CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built web console at `/` (hashed assets cached for a year, `index.html` never), or
 * nothing when it is not built.
 */
export function webConsoleRoutes(directory: string = WEB_CONSOLE_DIRECTORY): Router {
  const router = Router();
  if (!existsSync(path.join(directory, 'index.html'))) return router;
  router.use(
    express.static(directory, {
      index: 'index.html',
      redirect: false,
      setHeaders: (response, file) => {
        response.setHeader('Content-Security-Policy', WEB_CONSOLE_CSP);
        const immutable = file.startsWith(path.join(directory, 'assets') + path.sep);
        response.setHeader('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  return router;
}
