import { Router } from 'express';
import type { HttpMetrics } from '../metrics';
import type { ReadinessCheck } from '../ports';
import { problemFor, sendProblem } from '../problem';

/** How long one readiness check may take before it counts as down. @defaultValue 2000 ms */
export const READINESS_TIMEOUT_MS = 2000;

async function run(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check.check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return 'up';
  } catch (e) {
    return `down: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: the process answers (liveness). `GET /readyz`: every service the gateway needs
 * (database, bus) is reachable, else 503 `http.not-ready` naming each one down. `GET /metrics`:
 * the Prometheus exposition. None needs a client certificate, so probes and scrapers can reach them.
 */
export function healthRouter(checks: readonly ReadinessCheck[], metrics: HttpMetrics, timeoutMs = READINESS_TIMEOUT_MS): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(checks.map(async (c) => [c.name, await run(c, timeoutMs)] as const));
    const status = Object.fromEntries(results);
    const down = results.filter(([, r]) => r !== 'up');
    if (down.length > 0) {
      sendProblem(res, problemFor('http.not-ready', down.map(([name, r]) => `${name} ${r}`).join('; '), { checks: status }));
      return;
    }
    res.json({ status: 'ready', checks: status });
  });
  router.get('/metrics', async (_req, res) => {
    const text = await metrics.registry.metrics();
    res.type(metrics.registry.contentType).send(text);
  });
  return router;
}
