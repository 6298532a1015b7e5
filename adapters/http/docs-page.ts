import { errorCodes } from '../../contracts/errors/registry';

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

type Operation = { summary?: string; operationId?: string; security?: unknown[]; responses?: Record<string, { description?: string }> };

/**
 * The human-readable API page: every operation of the OpenAPI document (its summary, whether it
 * needs the client certificate, its answers) and every problem type, each at the anchor its
 * `type` URI names (`/docs#<code>`).
 */
export function renderDocsPage(openapi: Record<string, unknown>): string {
  const info = openapi.info as { title: string; description: string };
  const paths = openapi.paths as Record<string, Record<string, Operation>>;
  const ops = Object.entries(paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const answers = Object.entries(op.responses ?? {}).map(([status, r]) => `<li><code>${esc(status)}</code> ${esc(r.description ?? '')}</li>`).join('');
      const mtls = op.security && op.security.length === 0 ? 'no client certificate needed' : 'mutual TLS';
      return `<section><h3><code>${esc(method.toUpperCase())} ${esc(p)}</code></h3><p>${esc(op.summary ?? '')} — <em>${mtls}</em></p><ul>${answers}</ul></section>`;
    }),
  );
  const codes = Object.entries(errorCodes)
    .map(([code, c]) => `<tr id="${esc(code)}"><td><code>${esc(code)}</code></td><td>${c.http}</td><td>${esc(c.description)}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45}code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse}td{border-top:1px solid #ddd;padding:.2rem .5rem;vertical-align:top}tr:target{background:#ffd}</style>
</head><body>
<h1>${esc(info.title)}</h1>
<p>${esc(info.description)}</p>
<p>The machine-readable description: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, generated from the form declarations).</p>
<h2>Operations</h2>
${ops.join('\n')}
<h2>Problem types</h2>
<p>Every refusal is <code>application/problem+json</code> (RFC 9457) whose <code>type</code> is one of these anchors; a refused document lists every error in <code>errors</code>.</p>
<table><thead><tr><th>code</th><th>HTTP</th><th>meaning</th></tr></thead><tbody>
${codes}
</tbody></table>
</body></html>
`;
}
