import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './document.ts';

type Operation = {
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
};

describe('OpenAPI document of the review routes', () => {
  const document = buildOpenApiDocument({ version: 'test' }) as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };

  const routes: Array<[string, string, string | null, string]> = [
    ['/api/v1/analyses', 'get', null, 'AnalysisPage'],
    ['/api/v1/analyses/{id}/review', 'post', 'ReviewDecision', 'ReviewedAnalysis'],
    ['/api/v1/analyses/{id}/actions', 'post', 'NewAction', 'ReviewedAnalysis'],
    ['/api/v1/analyses/{id}/actions/{actionId}', 'patch', 'ActionChange', 'ReviewedAnalysis'],
    ['/api/v1/analyses/{id}/actions/{actionId}', 'delete', 'ActionDrop', 'ReviewedAnalysis'],
    ['/api/v1/analyses/{id}/audit', 'get', null, 'AuditTrail'],
  ];

  it.each(routes)('%s %s documents its request and response schemas', (path, method, request, response) => {
    const operation = document.paths[path]?.[method];
    expect(operation).toBeDefined();
    if (request) {
      expect(operation?.requestBody?.content['application/json']?.schema.$ref).toBe(
        `#/components/schemas/${request}`,
      );
      expect(document.components.schemas[request]).toBeDefined();
      expect(operation?.parameters?.find((parameter) => parameter.name === 'If-Match')).toMatchObject({
        in: 'header',
        required: true,
      });
      expect(Object.keys(operation?.responses ?? {})).toEqual(
        expect.arrayContaining(['400', '403', '404', '409', '412', '428']),
      );
    }
    const success = Object.entries(operation?.responses ?? {}).find(([status]) => status.startsWith('2'));
    expect(success?.[1].content?.['application/json']?.schema.$ref).toBe(`#/components/schemas/${response}`);
    expect(document.components.schemas[response]).toBeDefined();
  });

  it('returns the review with every analysis', () => {
    expect(document.components.schemas.ReviewedAnalysis?.properties).toHaveProperty('review');
    const get = document.paths['/api/v1/analyses/{id}']?.get;
    expect(get?.responses['200']?.content?.['application/json']?.schema.$ref).toBe(
      '#/components/schemas/ReviewedAnalysis',
    );
  });
});
