import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Clock } from '../../gateway/clock';
import type { HttpLimits } from '../../gateway/config';
import { requireCaller } from './caller';
import { renderDocsPage } from './docs-page';
import { Lifecycle } from './lifecycle';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { buildOpenApi } from './openapi';
import type { HttpPorts } from './ports';
import { problemFor, sendError, sendProblem } from './problem';
import { rateLimit, TokenBuckets } from './rate-limit';
import { healthRouter } from './routes/health';
import { mailboxRouter } from './routes/mailbox';
import { messagesRouter } from './routes/messages';
import { samplesRouter } from './routes/samples';
import { alertsRouter } from './routes/alerts';
import { monthlyRouter } from './routes/monthly';
import { casesRouter } from './routes/cases';
import { complianceRouter } from './routes/compliance';
import { obligationsRouter } from './routes/obligations';

/** What the HTTPS app is built from. */
export interface HttpAppOptions {
  readonly ports: HttpPorts;
  readonly limits: HttpLimits;
  /** Where sample files are stored. */
  readonly samplesDir: string;
  readonly clock: Clock;
  /** Where unexpected errors are logged. @defaultValue console.error */
  readonly log?: (message: string) => void;
  /** The administrators' console (adapters/http/console, `createConsole(…).router`), mounted at /console when given. */
  readonly console?: express.Router;
}

/** The app with its lifecycle (drain) and metrics. */
export interface HttpApp {
  readonly app: Express;
  readonly lifecycle: Lifecycle;
  readonly metrics: HttpMetrics;
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
  length?: number;
}

/**
 * The express 5 app of the agreed electronic interface (issue 5): operations routes open to
 * probes, every `/v1` route behind mutual TLS (the caller is the certificate's institution) and
 * the per-institution rate limit, every refusal as RFC 9457 problem details whose status comes
 * from the one outcome table (contracts/errors).
 */
export function createHttpApp(opts: HttpAppOptions): HttpApp {
  const log = opts.log ?? ((m: string) => console.error(m));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const lifecycle = new Lifecycle(opts.limits.requestTimeoutMs);
  const metrics = createHttpMetrics(opts.ports.gauges);
  const buckets = new TokenBuckets({ perMinute: opts.limits.rateLimitPerMinute, burst: opts.limits.rateLimitBurst }, opts.clock);
  const openapi = buildOpenApi();
  const docs = renderDocsPage(openapi);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.duration.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      end({ route });
      metrics.requests.inc({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });
  app.use(lifecycle.middleware);
  app.use(healthRouter(opts.ports.readiness, metrics));
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get(['/docs', '/'], (_req, res) => {
    res.type('html').send(docs);
  });
  if (opts.console) app.use('/console', opts.console);
  app.use('/v1', requireCaller, rateLimit(buckets));
  app.use(messagesRouter(opts.ports.submit, opts.ports.deliveries, metrics, opts.limits.maxBodyBytes));
  app.use(mailboxRouter(opts.ports.deliveries, { maxWaitSeconds: opts.limits.mailboxMaxWaitSeconds }, opts.limits.maxBodyBytes));
  app.use(samplesRouter(opts.ports.samples, { dir: opts.samplesDir, maxBytes: opts.limits.maxSampleBytes }));
  if (opts.ports.obligations) app.use(casesRouter(opts.ports.obligations), obligationsRouter(opts.ports.obligations), complianceRouter(opts.ports.obligations));
  if (opts.ports.alerts) app.use(alertsRouter(opts.ports.alerts));
  if (opts.ports.monthly) app.use(monthlyRouter(opts.ports.monthly, opts.limits.maxBodyBytes));
  app.use((req: Request, res: Response) => {
    sendProblem(res, problemFor('http.not-found', `no route ${req.method} ${req.path}`));
  });
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const parser = err as BodyParserError;
    if (parser?.type === 'entity.too.large') {
      sendProblem(res, problemFor('http.payload-too-large', `the body is ${parser.length ?? 'more than the limit of'} bytes; the limit is ${parser.limit} bytes`, { limit: parser.limit }));
      return;
    }
    if (typeof parser?.type === 'string' && parser.type.startsWith('request.') ) {
      sendProblem(res, problemFor('http.bad-request', `the request body could not be read (${parser.type})`));
      return;
    }
    sendError(res, err, log);
  });
  return { app, lifecycle, metrics };
}
