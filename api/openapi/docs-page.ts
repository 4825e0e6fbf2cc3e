function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

interface Operation {
  summary?: string;
  description?: string;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { description?: string }>;
}

/** A standalone, readable HTML page of the API, generated from the OpenAPI document. */
export function renderDocsPage(document: Record<string, unknown>): string {
  const info = document.info as { title: string; version: string; description: string };
  const paths = document.paths as Record<string, Record<string, Operation>>;
  const sections = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = (operation.parameters ?? [])
        .map(
          (parameter) =>
            `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${escapeHtml(parameter.in)}</td><td>${parameter.required ? 'yes' : 'no'}</td><td>${escapeHtml(parameter.description ?? '')}</td></tr>`,
        )
        .join('');
      const body = operation.requestBody?.content
        ? Object.keys(operation.requestBody.content)
            .map((type) => `<code>${escapeHtml(type)}</code>`)
            .join(', ')
        : '';
      const responses = Object.entries(operation.responses ?? {})
        .map(
          ([status, response]) =>
            `<li><code>${escapeHtml(status)}</code> ${escapeHtml(response.description ?? '')}</li>`,
        )
        .join('');
      return `<section><h2><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h2>
<p>${escapeHtml(operation.summary ?? '')}</p>${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}
${parameters ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr></thead><tbody>${parameters}</tbody></table>` : ''}
${body ? `<p>Body: ${body}</p>` : ''}<ul>${responses}</ul></section>`;
    }),
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}
section{border-top:1px solid #d0d7de;padding:.5rem 0}h2{font-size:1.05rem}code{background:#f6f8fa;padding:0 .25rem;border-radius:3px}
table{border-collapse:collapse;width:100%;font-size:.9rem}td,th{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left}
.method{display:inline-block;min-width:3.5rem;text-align:center;border-radius:3px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#1f6feb}.post{background:#2da44e}
</style></head><body>
<h1>${escapeHtml(info.title)} <small>${escapeHtml(info.version)}</small></h1>
<p>${escapeHtml(info.description)}</p>
<p>Authentication: send the API key in the <code>x-api-key</code> header (required unless the server runs with <code>AUTH=off</code>). Errors are <code>{"error":{"code","message","details","requestId"}}</code>. The machine-readable document is <a href="/openapi.json">/openapi.json</a>.</p>
${sections.join('\n')}
</body></html>`;
}
