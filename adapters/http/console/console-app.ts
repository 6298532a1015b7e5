import { timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { codeInfo, type ErrorCode } from '../../../contracts/errors/registry';
import { isInstitutionCode } from '../../../gateway/signing/institution';
import { checkSignIn } from './accounts';
import { auditConsole } from './audit';
import { beijing, html, type Raw } from './html';
import { langOf, pick, type Lang, type Text } from './i18n';
import { CONSOLE_CSS, layout } from './layout';
import { resolveConsoleOptions, type ConsoleOptions, type ResolvedConsoleOptions } from './options';
import type { ConsolePage, PageContext, PageResult } from './page';
import { multipartForms, type UploadLocals } from './multipart';
import { WRITING_ROLES } from './roles';
import { createSession, destroySession, loadSession, parseCookies, SESSION_COOKIE, sessionCookie, type ConsoleSession, type SessionUser } from './sessions';
import { SignInThrottle } from './sign-in-throttle';

/** What the console knows about a request once its middleware ran. */
interface ConsoleLocals {
  lang: Lang;
  session?: ConsoleSession;
  token?: string;
}

const T = {
  signIn: { zh: '登录', en: 'Sign in' },
  username: { zh: '用户名', en: 'User name' },
  password: { zh: '密码', en: 'Password' },
  withCert: { zh: '使用客户端证书登录（单位管理员）', en: 'Sign in with the client certificate (institution administrator)' },
  failed: { zh: '用户名或密码错误。', en: 'Wrong user name or password.' },
  locked: { zh: '该账户因连续输错密码已被锁定，至北京时间 {until} 解锁；在此之前正确的密码也会被拒绝。如需提前解锁，请联系网关管理员（mmgw console-user passwd）。', en: 'This account is locked after {max} wrong passwords in a row until {until} (Beijing time); until then even the right password is refused. A gateway administrator can unlock it earlier (mmgw console-user passwd).' },
  noCert: { zh: '未提供受信任的客户端证书，或证书的 CN 不是单位代码。', en: 'No trusted client certificate was presented, or its CN is not an institution code.' },
  csrf: { zh: '表单的安全令牌缺失或与本会话不符（可能是伪造的请求）。未做任何更改。请重新打开页面后再提交。', en: 'The form\'s security token is missing or does not match this session (a forged request?). Nothing was changed. Open the page again and resubmit.' },
  forbidden: { zh: '无权访问：', en: 'Forbidden: ' },
  notFound: { zh: '没有这个页面。', en: 'There is no such page.' },
  error: { zh: '出错了', en: 'Error' },
  notChanged: { zh: '未做任何更改。', en: 'Nothing was changed.' },
  sessionExpired: { zh: '会话已过期，请重新登录。', en: 'The session has expired; sign in again.' },
  throttled: { zh: '来自此地址的登录失败次数过多（{minutes} 分钟内 {count} 次），北京时间 {until} 之前拒绝来自此地址的一切登录，无论密码是否正确。', en: 'Too many failed sign-ins from this address ({count} within {minutes} minutes): every sign-in from it is refused until {until} (Beijing time), whatever the password.' },
} as const;

const fill = (text: string, values: Record<string, string | number>): string => text.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));

function sameToken(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string') return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const actorOf = (user: SessionUser | null | undefined): string => user?.username ?? 'anonymous';

/**
 * The administrators' console (issue 8, item 3), mounted at /console: server-rendered HTML,
 * Chinese first with an English switch, no script. Sign-in with a local account (scrypt) or the
 * client certificate of the TLS connection (its CN institution → institution administrator);
 * sessions in the database (cookie HttpOnly, SameSite=Strict, Secure over TLS); a CSRF
 * synchronizer token bound to the session on every POST; roles checked per page; every request
 * audited in the hash-chained audit log. Pages are registered with `register`.
 */
export class ConsoleApp {
  readonly router: Router;
  readonly options: ResolvedConsoleOptions;
  private readonly pages = new Map<string, ConsolePage>();
  private readonly order: ConsolePage[] = [];
  /** The pages whose path has `:name` segments, with the pattern each path compiles to. */
  private readonly patterns: { readonly page: ConsolePage; readonly re: RegExp; readonly names: readonly string[] }[] = [];
  /** The per-address count of failed sign-ins (429 beyond the limit). */
  private readonly throttle: SignInThrottle;

  constructor(options: ConsoleOptions) {
    this.options = resolveConsoleOptions(options);
    this.throttle = new SignInThrottle({ maxFailed: this.options.maxFailedSignInsPerAddress, windowMinutes: this.options.addressWindowMinutes }, this.options.clock);
    this.router = this.build();
  }

  /** Adds a page (see ConsolePage); a second page on the same path is a programming error. */
  register(page: ConsolePage): this {
    if (!page.path.startsWith('/') || page.path === '/' || page.path.startsWith('/login') || page.path.startsWith('/assets') || page.path === '/logout') {
      throw new Error(`console page path ${page.path} must start with / and not be /, /login…, /logout or /assets…`);
    }
    if (this.pages.has(page.path)) throw new Error(`console page ${page.path} is registered already`);
    const names = [...page.path.matchAll(/\/:([A-Za-z]\w*)/g)].map((m) => m[1]!);
    if (names.length > 0) {
      if (page.nav !== false) throw new Error(`console page ${page.path} has parameters and cannot be in the navigation: give it nav: false`);
      const re = new RegExp(`^${page.path.split('/').map((seg) => (seg.startsWith(':') ? '([^/]+)' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`);
      this.patterns.push({ page, re, names });
    }
    this.pages.set(page.path, page);
    this.order.push(page);
    return this;
  }

  private get ds() {
    return this.options.dataSource;
  }

  private now(): Date {
    return this.options.clock.now();
  }

  private build(): Router {
    const r = express.Router();
    r.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 500 }));
    r.use(multipartForms(this.options.maxUploadBytes));
    r.use((req: Request, res: Response, next: NextFunction) => {
      res.set({
        'Content-Security-Policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': 'no-store',
        'X-Frame-Options': 'DENY',
      });
      const cookies = parseCookies(req.headers.cookie);
      const locals = res.locals as ConsoleLocals;
      locals.lang = langOf(req, res, cookies, this.options.language);
      locals.token = cookies[SESSION_COOKIE];
      loadSession(this.ds, locals.token, this.now()).then((s) => {
        if (s) locals.session = s;
        next();
      }, next);
    });
    r.get('/assets/console.css', (_req, res) => {
      res.set('Cache-Control', 'public, max-age=3600').type('text/css').send(CONSOLE_CSS);
    });
    r.get('/login', (req, res, next) => void this.showSignIn(req, res).catch(next));
    r.post('/login', (req, res, next) => void this.signIn(req, res).catch(next));
    r.post('/login/certificate', (req, res, next) => void this.signInWithCertificate(req, res).catch(next));
    r.post('/logout', (req, res, next) => void this.signOut(req, res).catch(next));
    r.get('/', (req, res) => {
      const s = (res.locals as ConsoleLocals).session;
      const first = s?.user ? this.order.find((p) => p.nav !== false && p.roles.includes(s.user!.role)) : undefined;
      res.redirect(303, first ? `/console${first.path}` : '/console/login');
    });
    r.use((req, res, next) => void this.dispatch(req, res).catch(next));
    r.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
      if (res.headersSent) {
        next(err);
        return;
      }
      this.options.log?.(`mmgw console: ${req.method} ${req.path}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      this.fail(req, res, 500, { zh: '服务器内部错误；未做任何更改。', en: 'Internal error; nothing was changed.' });
    });
    return r;
  }

  private secure(req: Request): boolean {
    return (req.socket as TLSSocket).encrypted === true;
  }

  private setSession(req: Request, res: Response, token: string | null): void {
    res.append('Set-Cookie', token === null ? sessionCookie('', this.secure(req), 0) : sessionCookie(token, this.secure(req)));
  }

  private lang(res: Response): Lang {
    return (res.locals as ConsoleLocals).lang;
  }

  private nav(user: SessionUser) {
    return this.order.filter((p) => p.nav !== false && p.roles.includes(user.role)).map((p) => ({ path: p.path, title: p.title }));
  }

  private render(req: Request, res: Response, status: number, title: Text, body: Raw, current?: string): void {
    const session = (res.locals as ConsoleLocals).session;
    const user = session?.user ?? null;
    res.status(status).type('html').send(layout({
      lang: this.lang(res), title, body, url: req.originalUrl, user, ...(user && { nav: this.nav(user), csrf: session!.csrf }), ...(current && { current }),
    }));
  }

  private fail(req: Request, res: Response, status: number, message: Text): void {
    const t = (x: Text) => pick(this.lang(res), x);
    this.render(req, res, status, T.error, html`<p class="error" role="alert">${t(message)}</p>`);
  }

  // --- sign-in -------------------------------------------------------------------------------

  private async showSignIn(req: Request, res: Response, message?: { status: number; text: string }): Promise<void> {
    const locals = res.locals as ConsoleLocals;
    if (locals.session?.user && message === undefined) {
      res.redirect(303, '/console/');
      return;
    }
    if (!locals.session) {
      // An anonymous session carries the sign-in form's CSRF token (login CSRF).
      const { token, session } = await createSession(this.ds, null, this.now(), 60);
      locals.session = session;
      this.setSession(req, res, token);
    }
    const t = (x: Text) => pick(locals.lang, x);
    const csrf = html`<input type="hidden" name="_csrf" value="${locals.session.csrf}">`;
    const body = html`${message ? html`<p class="error" role="alert">${message.text}</p>` : ''}
<form method="post" action="/console/login" class="sign-in">${csrf}
<p><label for="username">${t(T.username)}</label><input type="text" id="username" name="username" autocomplete="username" required></p>
<p><label for="password">${t(T.password)}</label><input type="password" id="password" name="password" autocomplete="current-password" required></p>
<p><button type="submit" id="sign-in">${t(T.signIn)}</button></p></form>
<form method="post" action="/console/login/certificate">${csrf}<button type="submit" id="sign-in-certificate">${t(T.withCert)}</button></form>`;
    // Signed-in state is not shown on the sign-in form.
    const anonymous = { ...locals.session, user: null };
    res.status(message?.status ?? 200).type('html').send(layout({ lang: locals.lang, title: T.signIn, body, url: req.originalUrl, user: anonymous.user }));
  }

  /** The CSRF check of a POST: the form's token must be the session's; otherwise 403, audited, nothing done. */
  private async csrfOk(req: Request, res: Response): Promise<boolean> {
    const session = (res.locals as ConsoleLocals).session;
    const sent = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (session && sameToken(typeof sent === 'string' ? sent : undefined, session.csrf)) return true;
    await auditConsole(this.ds, { actor: actorOf(session?.user), action: 'refused', subject: `console:${req.path}`, details: { code: 'console.csrf', method: req.method } }, this.now());
    this.fail(req, res, codeInfo('console.csrf').http, T.csrf);
    return false;
  }

  private async startSession(req: Request, res: Response, user: SessionUser): Promise<void> {
    const old = (res.locals as ConsoleLocals).session;
    // A new session id at sign-in: a token planted before cannot ride the signed-in session.
    if (old) await destroySession(this.ds, old.idHash);
    const { token } = await createSession(this.ds, user, this.now(), this.options.sessionMinutes);
    this.setSession(req, res, token);
    await auditConsole(this.ds, { actor: user.username, action: 'sign-in', subject: `console:${user.username}`, details: { role: user.role, institution: user.institution } }, this.now());
    res.redirect(303, '/console/');
  }

  /** The client address a sign-in is counted against. */
  private address(req: Request): string {
    return req.socket.remoteAddress ?? 'unknown';
  }

  /** Refuses a sign-in from an address over its limit of failures (429, Retry-After, audited); true when refused. */
  private async throttled(req: Request, res: Response, username: string): Promise<boolean> {
    const address = this.address(req);
    const check = this.throttle.check(address);
    if (check.ok) return false;
    await auditConsole(this.ds, { actor: username === '' ? 'anonymous' : username.slice(0, 64), action: 'sign-in-throttled', subject: `console:${username || '-'}`, details: { code: 'console.too-many-sign-ins', address, failures: check.failures, until: check.until.toISOString() } }, this.now());
    res.set('Retry-After', String(check.retryAfterSeconds));
    const text = fill(pick(this.lang(res), T.throttled), { count: check.failures, minutes: this.options.addressWindowMinutes, until: beijing(check.until) });
    await this.showSignIn(req, res, { status: codeInfo('console.too-many-sign-ins').http, text });
    return true;
  }

  private async signIn(req: Request, res: Response): Promise<void> {
    if (!(await this.csrfOk(req, res))) return;
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().toLowerCase() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const lang = this.lang(res);
    if (await this.throttled(req, res, username)) return;
    const now = this.now();
    const check = await checkSignIn(this.ds, username, password, now, { maxFailed: this.options.maxFailedSignIns, lockoutMinutes: this.options.lockoutMinutes });
    if (check.ok) {
      await this.startSession(req, res, { username: check.account.username, role: check.account.role, institution: check.account.institution });
      return;
    }
    const actor = username === '' ? 'anonymous' : username;
    this.throttle.fail(this.address(req));
    if (check.code === 'console.locked-out') {
      await auditConsole(this.ds, { actor, action: check.justLocked ? 'locked-out' : 'sign-in-refused-locked', subject: `console:${username}`, details: { code: check.code, lockedUntil: check.lockedUntil.toISOString() } }, now);
      const text = fill(pick(lang, T.locked), { until: beijing(check.lockedUntil), max: this.options.maxFailedSignIns });
      await this.showSignIn(req, res, { status: codeInfo('console.locked-out').http, text });
      return;
    }
    await auditConsole(this.ds, { actor, action: 'sign-in-failed', subject: `console:${username || '-'}`, details: { code: check.code, address: this.address(req) } }, now);
    await this.showSignIn(req, res, { status: codeInfo('console.sign-in-failed').http, text: pick(lang, T.failed) });
  }

  private async signInWithCertificate(req: Request, res: Response): Promise<void> {
    if (!(await this.csrfOk(req, res))) return;
    if (await this.throttled(req, res, '')) return;
    const socket = req.socket as TLSSocket;
    const cert = socket.encrypted && typeof socket.getPeerCertificate === 'function' ? socket.getPeerCertificate() : undefined;
    const cn = cert && Object.keys(cert).length > 0 ? cert.subject?.CN : undefined;
    const code = typeof cn === 'string' ? cn : undefined;
    if (!socket.authorized || code === undefined || !isInstitutionCode(code)) {
      this.throttle.fail(this.address(req));
      await auditConsole(this.ds, { actor: 'anonymous', action: 'sign-in-failed', subject: 'console:certificate', details: { code: 'console.sign-in-failed', cn: code ?? null } }, this.now());
      await this.showSignIn(req, res, { status: codeInfo('console.sign-in-failed').http, text: pick(this.lang(res), T.noCert) });
      return;
    }
    await this.startSession(req, res, { username: `cert:${code}`, role: 'institution-admin', institution: code });
  }

  private async signOut(req: Request, res: Response): Promise<void> {
    if (!(await this.csrfOk(req, res))) return;
    const session = (res.locals as ConsoleLocals).session!;
    await destroySession(this.ds, session.idHash);
    await auditConsole(this.ds, { actor: actorOf(session.user), action: 'sign-out', subject: `console:${actorOf(session.user)}` }, this.now());
    this.setSession(req, res, null);
    res.redirect(303, '/console/login');
  }

  // --- pages ---------------------------------------------------------------------------------

  /** The page of a request path and the values of its `:name` segments (decoded). */
  private find(path: string): { page: ConsolePage | undefined; params: Record<string, string> } {
    const exact = this.pages.get(path);
    if (exact && this.patterns.every((p) => p.page !== exact)) return { page: exact, params: {} };
    for (const { page, re, names } of this.patterns) {
      const m = re.exec(path);
      if (!m) continue;
      try {
        return { page, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
      } catch {
        return { page: undefined, params: {} }; // a malformed %-escape: no such page
      }
    }
    return { page: undefined, params: {} };
  }

  private async dispatch(req: Request, res: Response): Promise<void> {
    const { page, params } = this.find(req.path);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    if (!page || (method === 'GET' && !page.get) || (method === 'POST' && !page.post) || (method !== 'GET' && method !== 'POST')) {
      this.fail(req, res, 404, T.notFound);
      return;
    }
    const locals = res.locals as ConsoleLocals;
    const user = locals.session?.user;
    if (!user) {
      if (method === 'GET') res.redirect(303, `/console/login`);
      else this.fail(req, res, codeInfo('console.not-signed-in').http, T.sessionExpired);
      return;
    }
    const t = (x: Text) => pick(locals.lang, x);
    const upload = res.locals as UploadLocals;
    if (upload.uploadTooLarge) {
      this.render(req, res, 413, T.error, html`<p class="error" role="alert">${t({ zh: `上传的文件超过 ${upload.uploadTooLarge.limit} 字节的上限；未做任何更改。`, en: `The upload is larger than the limit of ${upload.uploadTooLarge.limit} bytes; nothing was changed.` })}</p>`);
      return;
    }
    if (method === 'POST' && !(await this.csrfOk(req, res))) return;
    const allowed = method === 'GET' ? page.roles : page.postRoles ?? page.roles.filter((role) => WRITING_ROLES.includes(role));
    if (!allowed.includes(user.role)) {
      await this.refuse(req, res, user, new GatewayError('console.forbidden', `${user.username} (${user.role}) may not ${method === 'GET' ? 'open' : 'post to'} ${page.path}`, { role: user.role }));
      return;
    }
    const now = this.now();
    const form: Record<string, string> = {};
    if (method === 'POST') for (const [k, v] of Object.entries((req.body ?? {}) as Record<string, unknown>)) if (typeof v === 'string' && k !== '_csrf') form[k] = v;
    const scope = user.role === 'institution-admin' || (user.role === 'clerk' && user.institution) ? user.institution : null;
    const extraAudits: Promise<void>[] = [];
    const ctx: PageContext = {
      req, res, user, scope, lang: locals.lang, t, now, ds: this.ds, options: this.options, form, files: upload.files ?? {}, params,
      csrfField: html`<input type="hidden" name="_csrf" value="${locals.session!.csrf}">`,
      query: (name) => {
        const v = req.query[name];
        return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
      },
      requireInstitution: (code) => {
        if (scope !== null && scope !== code) {
          throw new GatewayError('console.forbidden', `${user.username} is an administrator of ${scope} and may not see or change ${code}`, { institution: code, own: scope });
        }
      },
      href: (path, query) => {
        const q = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
        return `/console${path}${q.length > 0 ? `?${q.join('&')}` : ''}`;
      },
      audit: (action, subject, details) => {
        const p = auditConsole(this.ds, { actor: user.username, action, subject, ...(details && { details }) }, now);
        extraAudits.push(p);
        return p;
      },
    };
    let result: PageResult;
    try {
      result = await (method === 'GET' ? page.get! : page.post!).call(page, ctx);
    } catch (e) {
      await Promise.allSettled(extraAudits);
      if (e instanceof GatewayError && e.code === 'console.forbidden') {
        await this.refuse(req, res, user, e);
        return;
      }
      if (e instanceof GatewayError) {
        await auditConsole(this.ds, { actor: user.username, action: 'refused', subject: `console:${page.path}`, details: { code: e.code, method } }, now);
        this.render(req, res, codeInfo(e.code as ErrorCode)?.http ?? 400, T.error, html`<p class="error" role="alert">${e.message} [${e.code}] — ${t(T.notChanged)}</p>`, page.path);
        return;
      }
      throw e;
    }
    await Promise.allSettled(extraAudits);
    const status = 'redirect' in result ? 303 : result.status ?? 200;
    await auditConsole(this.ds, { actor: user.username, action: method === 'GET' ? 'view' : 'post', subject: `console:${page.path}`, details: { status, query: req.originalUrl.split('?')[1] ?? null } }, now);
    if ('redirect' in result) {
      res.redirect(303, result.redirect);
      return;
    }
    if ('document' in result) {
      res.status(status).set({ ...result.headers, 'Content-Type': result.contentType }).send(result.document);
      return;
    }
    this.render(req, res, status, result.title ?? page.title, result.body, page.path);
  }

  private async refuse(req: Request, res: Response, user: SessionUser, e: GatewayError): Promise<void> {
    await auditConsole(this.ds, { actor: user.username, action: 'refused', subject: `console:${req.path}`, details: { code: e.code, method: req.method, ...e.facts } }, this.now());
    const t = (x: Text) => pick(this.lang(res), x);
    this.render(req, res, codeInfo('console.forbidden').http, T.error, html`<p class="error" role="alert">${t(T.forbidden)}${e.message} [console.forbidden] — ${t(T.notChanged)}</p>`);
  }
}
