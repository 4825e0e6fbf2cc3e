import { Router } from 'express';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { renderDocsPage } from '../openapi/docs-page.ts';

/** `GET /openapi.json` and `GET /docs`. */
export function docsRoutes({ version }: { version: string }): Router {
  const document = buildOpenApiDocument({ version });
  const page = renderDocsPage(document);
  const router = Router();
  router.get('/openapi.json', (_request, response) => {
    response.json(document);
  });
  router.get('/docs', (_request, response) => {
    response.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    response.type('html').send(page);
  });
  return router;
}
