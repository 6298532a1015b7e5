import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { DataSource, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { addAccount, checkSignIn, createConsole, recordContactUpdateOnBehalf } from '../../../../adapters/http/console';
import { monthTotalsQuery } from '../../../../adapters/http/console/pages/compliance';
import { openDueQuery } from '../../../../adapters/http/console/pages/obligations';
import { sqlInstant } from '../../../../adapters/http/console/sql-time';
import { verifyAuditChain } from '../../../../gateway/audit';
import { logPhoneCall, registerPaperOriginal, type FollowupStanding } from '../../../../gateway/emergency';
import { followupOfQuery, followupsQuery, metByQuery } from '../../../../gateway/emergency/notices';
import { TestClock } from '../../../../gateway/clock';
import { parsePeriod } from '../../../../gateway/compliance';
import { issueGatewayIdentity, type GatewayIdentity } from '../../../../gateway/identity';
import { ObligationEntity, obligationHooks } from '../../../../gateway/obligations';
import { CaseEntity } from '../../../../gateway/obligations/entities';
import { seedRegistry } from '../../../../gateway/registry';
import { createDevCa } from '../../../../gateway/signing/dev-pki';
import { isSqlite, migrate, MessageEntity, OutboxEntity, openStore } from '../../../../gateway/store';
import { migrations } from '../../../../migrations';
import { Browserless } from './world';

/** The scale issue 8 names: 400 institutions and 100,000 obligations. */
export const INSTITUTIONS = 400;
export const OBLIGATIONS = 100_000;
/** Art. 15 notices (phone calls logged in the console) among them: a few hundred a year, each with its written-followup. */
export const NOTICES = 300;
const NOW = '2026-11-28T03:00:00Z';
const HOUR = 3_600_000;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
/** A Beijing datetime-local value of an instant, as the console's forms send it. */
const bj = (d: Date) => new Date(d.getTime() + 8 * HOUR).toISOString().slice(0, 16);

/** One seeded Art. 15 notice and what its written follow-up should show. */
interface SeededNotice {
  readonly id: string;
  readonly institution: string;
  readonly calledAt: Date;
  readonly standing: FollowupStanding;
  readonly documentNumber?: string;
}

/**
 * NOTICES - 1 phone calls over the year before `clock` (each logged a few minutes after it was
 * made, through logPhoneCall as the console does), first reports of operators — op-t001 one in
 * fifteen — of which every third has its paper original registered a day or three later
 * (registerPaperOriginal: met or met late). The clock is left at `now`.
 */
async function seedNotices(ds: DataSource, clock: TestClock, identity: GatewayIdentity, operators: readonly string[]): Promise<SeededNotice[]> {
  const now = clock.now();
  const deps = { dataSource: ds, identity, clock, hooks: obligationHooks() };
  const out: SeededNotice[] = [];
  for (let k = 0; k < NOTICES - 1; k++) {
    const institution = k % 15 === 0 ? 'op-t001' : operators[(k * 7) % operators.length]!;
    const calledAt = new Date(now.getTime() - (k * 29 + 2) * HOUR);
    clock.set(new Date(calledAt.getTime() + 5 * 60_000));
    const logged = await logPhoneCall(deps, {
      institution, callerName: `值班员 ${k}`, callerPhone: '010-66006688', calledAt: bj(calledAt), summary: `电话报告 ${k}：疑似恶意程序事件，书面报告随后补报。`,
      level: k % 2 === 0 ? 'II' : 'III', standsFor: 'IncidentReport', recordedBy: 'clerk', entryId: `scale-${k}`,
    });
    let standing: FollowupStanding = logged.followupDue!.getTime() < now.getTime() ? 'overdue' : 'open';
    let documentNumber: string | undefined;
    if (k % 3 === 0 && k > 0) {
      documentNumber = `运〔2026〕${k}号`;
      const receivedAt = new Date(calledAt.getTime() + (k % 2 === 0 ? 20 : 100) * HOUR);
      clock.set(new Date(receivedAt.getTime() + 60_000));
      const paper = await registerPaperOriginal(deps, { noticeId: logged.messageId, documentNumber, receivedAt: bj(receivedAt), scan: { name: `${k}.pdf`, bytes: PDF }, registeredBy: 'clerk' });
      standing = paper.followup.state as FollowupStanding;
    }
    out.push({ id: logged.messageId, institution, calledAt, standing, ...(documentNumber && { documentNumber }) });
  }
  clock.set(now);
  return out;
}

/**
 * 400 institutions (the demo registry and made-up operators) and 100,000 obligations over a year,
 * in multi-row INSERTs — among them NOTICES written-followups of Art. 15 notices and one open
 * disposal-feedback of a case, which the last notice meets provisionally.
 */
async function seed(ds: DataSource, clock: TestClock, identity: GatewayIdentity): Promise<{ parties: string[]; notices: SeededNotice[] }> {
  const now = clock.now();
  await seedRegistry(ds, now);
  const existing = ((await ds.query('SELECT code FROM institutions')) as { code: string }[]).map((r) => r.code);
  const extra = Array.from({ length: INSTITUTIONS - existing.length }, (_, i) => `op-t${String(i + 1).padStart(3, '0')}`);
  const at = sqlInstant(now);
  await ds.query(`INSERT INTO institutions (code, kind, name, province, channels, created_at, updated_at) VALUES ${extra.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    extra.flatMap((code) => [code, 'operator', `测试运营商 ${code}`, null, '[{"kind":"mailbox"}]', at, at]));
  const parties = [...existing, ...extra].sort();
  const notices = await seedNotices(ds, clock, identity, parties.filter((p) => p.startsWith('op-')));
  const columns = ['obligation_key', 'obligation', 'party', 'counterparty', 'start_at', 'due_at', 'due_provisional', 'state', 'closed_by', 'closed_at', 'provisional', 'level_history', 'next_alert_at', 'opened_at'];
  const CHUNK = 1000;
  const EVENT_REPORTS = OBLIGATIONS - NOTICES - 1;
  for (let from = 0; from < EVENT_REPORTS; from += CHUNK) {
    const rows: unknown[] = [];
    for (let i = from; i < Math.min(EVENT_REPORTS, from + CHUNK); i++) {
      const due = new Date(now.getTime() + ((i * 7919) % 8760 - 6000) * HOUR);
      const past = due.getTime() < now.getTime();
      const kind = i % 10;
      const state = past ? (kind < 7 ? 'met' : kind === 7 ? 'met-late' : kind === 8 ? 'open' : 'waived') : kind < 2 ? 'met' : 'open';
      const closed = state === 'met' ? new Date(due.getTime() - 2 * HOUR) : state === 'met-late' ? new Date(due.getTime() + 5 * HOUR) : null;
      rows.push(`scale|${i}`, 'event-report', parties[i % parties.length], 'miit', sqlInstant(new Date(due.getTime() - 12 * HOUR)), sqlInstant(due), 0, state,
        closed ? `msg-${i}` : null, closed ? sqlInstant(closed) : null, 0, '[]', null, sqlInstant(new Date(due.getTime() - 12 * HOUR)));
    }
    await ds.query(`INSERT INTO obligations (${columns.join(', ')}) VALUES ${Array.from({ length: rows.length / columns.length }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`, rows);
  }
  // A case whose disposal feedback op-t050 owes cncert within the hour, and the phone call that
  // answers it first (Art. 15): the clock is met provisionally, written-followup opens.
  await ds.manager.insert(CaseEntity, { key: 'scale-case', taskNumber: 'CNCERT-SCALE-0001', kind: 'incident', level: 'II', provinces: [], parties: ['cncert', 'op-t050'], legalHold: false, levelHistory: [], openedAt: new Date(now.getTime() - 3 * HOUR), updatedAt: new Date(now.getTime() - 3 * HOUR) });
  await ds.manager.insert(ObligationEntity, {
    key: 'scale|disposal-feedback', obligation: 'disposal-feedback', party: 'op-t050', counterparty: 'cncert', caseKey: 'scale-case', subject: null, level: 'II', openedBy: null,
    start: new Date(now.getTime() - HOUR), due: new Date(now.getTime() + HOUR), dueProvisional: false, specialPeriod: null, state: 'open', waivedReason: null, closedBy: null, closedAt: null,
    provisional: false, levelHistory: [], nextAlertAt: null, openedAt: new Date(now.getTime() - HOUR),
  });
  const calledAt = new Date(now.getTime() - 60 * 60_000);
  const call = await logPhoneCall({ dataSource: ds, identity, clock, hooks: obligationHooks() }, {
    institution: 'op-t050', callerName: '赵敏', calledAt: bj(calledAt), summary: '电话反馈：已处置控制服务器，书面反馈随后补报。', taskNumber: 'CNCERT-SCALE-0001', standsFor: 'DisposalFeedback', recordedBy: 'clerk', entryId: 'scale-feedback',
  });
  notices.push({ id: call.messageId, institution: 'op-t050', calledAt, standing: 'open' });
  // InnoDB recalculates index statistics in the background after a bulk load; ANALYZE makes the
  // plans below those of a table whose statistics are current (as in production), not a race.
  if (!isSqlite(ds)) await ds.query('ANALYZE TABLE obligations');
  return { parties, notices };
}

/** The index a query reads, from the database's own plan: SQLite's EXPLAIN QUERY PLAN, MySQL's EXPLAIN. */
async function plan(ds: DataSource, qb: SelectQueryBuilder<ObjectLiteral>): Promise<{ text: string; fullScan: boolean }> {
  const [sql, params] = qb.getQueryAndParameters();
  if (isSqlite(ds)) {
    const rows = (await ds.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[];
    const text = rows.map((r) => r.detail).join('; ');
    // "SCAN o" without an index is a full table scan; "SEARCH o USING INDEX …" is not.
    return { text, fullScan: /\bSCAN o\b(?! USING)/.test(text) };
  }
  const rows = (await ds.query(`EXPLAIN ${sql}`, params)) as { table: string; type: string; key: string | null; possible_keys: string | null; rows: number; Extra: string }[];
  const o = rows.find((r) => r.table === 'o')!;
  return { text: `type=${o.type} key=${o.key} possible=${o.possible_keys} rows=${o.rows} ${o.Extra} — ${sql}`, fullScan: o.type === 'ALL' || o.key === null };
}

/**
 * Issue 8: "fast on a registry of 400 institutions and 100,000 obligations". No timing (timings
 * belong in benchmarks): the database's own query plan shows that the obligations and
 * compliance pages read the console migration's indexes instead of scanning the table, and the
 * pages answer correct figures at that scale. Plus accounts, lock-out, sessions and a contact
 * edit on the database under test (SQLite, MariaDB).
 */
export function consoleScaleSuite(name: string, databaseUrl: () => string | undefined): void {
  describe(`console at scale on ${name}`, () => {
    let ds: DataSource;
    let server: Server;
    let url: string;
    const clock = new TestClock(NOW);
    let parties: string[];
    let notices: SeededNotice[];
    let identity: ReturnType<typeof issueGatewayIdentity>;

    beforeAll(async () => {
      const target = databaseUrl();
      if (target === undefined) return;
      ds = await openStore(target, { migrations });
      await migrate(ds);
      // Valid since before the first seeded phone call (a year back), as a gateway's credential would be.
      const issued = new Date(clock.now().getTime() - 400 * 24 * HOUR);
      identity = issueGatewayIdentity(createDevCa({ now: issued, keyType: 'ec' }), { now: issued });
      ({ parties, notices } = await seed(ds, clock, identity));
      const app = express();
      app.use('/console', createConsole({ dataSource: ds, clock, identity, hooks: obligationHooks(), lockoutMinutes: 15 }).router);
      server = createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await addAccount(ds, { username: 'admin', password: 'scale test password', role: 'gateway-admin' }, clock.now());
      await addAccount(ds, { username: 'tadmin', password: 'scale test password 2', role: 'institution-admin', institution: 'op-t001' }, clock.now());
    }, 300_000);
    afterAll(async () => {
      if (server) await new Promise((resolve) => server.close(resolve));
      if (ds?.isInitialized) await ds.destroy();
    });
    const skip = () => databaseUrl() === undefined;

    // The console's own queries. (gateway/compliance's report reads whole rows of a month; on
    // MariaDB a month of this data is ~17 % of the table, where the optimizer may rightly prefer a
    // scan, so its plan is not asserted here.)
    it('reads the console indexes, never the whole obligations table, for the obligations and compliance pages (EXPLAIN)', async () => {
      if (skip()) return;
      const horizon = new Date(clock.now().getTime() + 48 * HOUR);
      const period = parsePeriod('2026-11');
      const queries: [string, SelectQueryBuilder<ObjectLiteral>][] = [
        ['due soon / overdue by unit', openDueQuery(ds.manager, horizon).select('o.party', 'party').addSelect('COUNT(*)', 'n').groupBy('o.party') as SelectQueryBuilder<ObjectLiteral>],
        ['due soon / overdue list', openDueQuery(ds.manager, horizon).orderBy('o.due', 'ASC').addOrderBy('o.id', 'ASC').limit(50) as SelectQueryBuilder<ObjectLiteral>],
        ['one unit\'s due soon / overdue', openDueQuery(ds.manager, horizon, 'op-t001') as SelectQueryBuilder<ObjectLiteral>],
        ['month totals', monthTotalsQuery(ds.manager, period, clock.now()) as SelectQueryBuilder<ObjectLiteral>],
      ];
      for (const [what, qb] of queries) {
        const p = await plan(ds, qb);
        expect([what, p.fullScan, p.text]).toEqual([what, false, expect.stringMatching(/ix_obligations_(state_due|due_party_state|party_state)/)]);
      }
    });

    // The Art. 15 pages (gateway/emergency/notices.ts): written-followups are a few hundred of the
    // 100,000 obligations, so reading them by type and call time, or a notice's by the message that
    // opened or met them, must go through an index (migration Art15Indexes), not the whole table.
    it('reads indexes, never the whole obligations table, for the Art. 15 phone log and notice pages (EXPLAIN)', async () => {
      if (skip()) return;
      const feedback = notices[notices.length - 1]!;
      const m = ds.manager;
      const queries: [string, SelectQueryBuilder<ObjectLiteral>, RegExp][] = [
        ['phone log list', followupsQuery(m).offset(0).limit(50) as SelectQueryBuilder<ObjectLiteral>, /ix_obligations_obligation_start/],
        ['phone log total', followupsQuery(m).orderBy().select('COUNT(*)', 'n') as SelectQueryBuilder<ObjectLiteral>, /ix_obligations_obligation_start/],
        ['one unit\'s phone log', followupsQuery(m, 'op-t001').offset(0).limit(50) as SelectQueryBuilder<ObjectLiteral>, /ix_obligations_(obligation_start|party_state)/],
        ['notice: its written-followup', followupOfQuery(m, feedback.id) as SelectQueryBuilder<ObjectLiteral>, /ix_obligations_opened_by/],
        ['notice: the clocks it met', metByQuery(m, [feedback.id, 'msg-1']) as SelectQueryBuilder<ObjectLiteral>, /ix_obligations_closed_by/],
      ];
      for (const [what, qb, index] of queries) {
        const p = await plan(ds, qb);
        expect([what, p.fullScan, p.text]).toEqual([what, false, expect.stringMatching(index)]);
      }
    });

    it('answers the Art. 15 phone log and notice pages right among 100,000 obligations', async () => {
      if (skip()) return;
      expect(notices).toHaveLength(NOTICES);
      expect(await ds.manager.countBy(ObligationEntity, { obligation: 'written-followup' })).toBe(NOTICES);
      const rowsOf = (body: string) => [...body.matchAll(/<tr data-message="([^"]+)" data-standing="([^"]*)">/g)].map((r) => [r[1], r[2]]);
      const newestFirst = [...notices].sort((a, b) => b.calledAt.getTime() - a.calledAt.getTime()).map((n) => [n.id, n.standing]);
      // Every standing occurs: open (the calls of the last working day), overdue, met and met late.
      expect(new Set(notices.map((n) => n.standing))).toEqual(new Set(['open', 'overdue', 'met', 'met-late']));
      const b = new Browserless(url);
      expect((await b.signIn('admin', 'scale test password')).status).toBe(303);
      const first = await b.get('/console/art15');
      expect(first.status).toBe(200);
      expect(rowsOf(first.body)).toEqual(newestFirst.slice(0, 50));
      expect(first.body).toContain(`第 1 / ${Math.ceil(NOTICES / 50)} 页，共 ${NOTICES} 条`);
      const third = await b.get('/console/art15?page=3');
      expect(rowsOf(third.body)).toEqual(newestFirst.slice(100, 150));
      // An institution administrator's list: its own unit's calls only.
      const t = new Browserless(url);
      await t.signIn('tadmin', 'scale test password 2');
      const own = await t.get('/console/art15');
      const ownNotices = newestFirst.filter(([id]) => notices.find((n) => n.id === id)!.institution === 'op-t001');
      expect(ownNotices.length).toBeGreaterThan(10);
      expect(rowsOf(own.body)).toEqual(ownNotices);
      expect(own.body).toContain(`共 ${ownNotices.length} 条`);
      // The notice that met op-t050's disposal feedback: the clock met provisionally, written-followup open.
      const feedback = notices[notices.length - 1]!;
      const page = await b.get(`/console/art15/notice?id=${encodeURIComponent(feedback.id)}`);
      expect(page.status).toBe(200);
      expect([...page.body.matchAll(/<tr data-obligation="([^"]+)" data-provisional="([^"]+)">/g)].map((r) => [r[1], r[2]])).toEqual([['disposal-feedback', 'true']]);
      expect(page.body).toMatch(/id="followup" data-state="open" data-standing="open"/);
      expect(page.body).toContain('id="stands-for">DisposalFeedback · CNCERT-SCALE-0001');
      // A first report whose paper original was registered: no clock met, the follow-up closed by the paper.
      const papered = notices.find((n) => n.documentNumber !== undefined && n.standing === 'met-late')!;
      const closed = await b.get(`/console/art15/notice?id=${encodeURIComponent(papered.id)}`);
      expect(closed.status).toBe(200);
      expect(closed.body).toContain('id="met-none"');
      expect(closed.body).toMatch(/id="followup" data-state="met-late" data-standing="met-late"/);
      expect(closed.body).toContain(papered.documentNumber);
      // op-t001's administrator may not read another unit's notice.
      expect((await t.get(`/console/art15/notice?id=${encodeURIComponent(feedback.id)}`)).status).toBe(403);
    });

    it('answers the pages with the right figures on 400 institutions and 100,000 obligations', async () => {
      if (skip()) return;
      expect(Number(((await ds.query('SELECT COUNT(*) AS n FROM obligations')) as { n: number | string }[])[0]!.n)).toBe(OBLIGATIONS);
      const b = new Browserless(url);
      expect((await b.signIn('admin', 'scale test password')).status).toBe(303);
      const registry = await b.get('/console/registry?page=2');
      expect(registry.status).toBe(200);
      expect((registry.body.match(/<tr data-code=/g) ?? []).length).toBe(50);
      expect(registry.body).toContain(`第 2 / 8 页，共 ${INSTITUTIONS} 条`);
      const now = clock.now();
      const horizon = new Date(now.getTime() + 48 * HOUR);
      const overdue = await ds.manager.createQueryBuilder(ObligationEntity, 'o').where('o.state = :s AND o.due < :now', { s: 'open', now }).getCount();
      const soon = await ds.manager.createQueryBuilder(ObligationEntity, 'o').where('o.state = :s AND o.due >= :now AND o.due < :h', { s: 'open', now, h: horizon }).getCount();
      const units = Number(((await ds.query('SELECT COUNT(DISTINCT party) AS n FROM obligations WHERE state = ? AND due_at < ?', ['open', sqlInstant(horizon)])) as { n: number | string }[])[0]!.n);
      expect(units).toBeGreaterThan(30);
      const obligations = await b.get('/console/obligations');
      expect(obligations.status).toBe(200);
      expect(obligations.body).toContain(`已逾期 ${overdue} 项，48 小时内到期 ${soon} 项，涉及 ${units} 个单位。`);
      expect((obligations.body.match(/<g class="bar"/g) ?? []).length).toBe(30);
      const compliance = await b.get('/console/compliance?period=2026-10');
      expect(compliance.status).toBe(200);
      expect((compliance.body.match(/<tr><td>[a-z]/g) ?? []).length).toBe(INSTITUTIONS);
      // An institution administrator sees its own unit only.
      const t = new Browserless(url);
      await t.signIn('tadmin', 'scale test password 2');
      const own = await t.get('/console/obligations');
      const ownOpen = await ds.manager.createQueryBuilder(ObligationEntity, 'o').where('o.state = :s AND o.due < :h AND o.party = :p', { s: 'open', h: horizon, p: 'op-t001' }).getCount();
      expect((own.body.match(/<tr data-id=/g) ?? []).length).toBe(Math.min(50, ownOpen));
      expect(own.body).toContain('涉及 1 个单位');
      expect(parties).toHaveLength(INSTITUTIONS);
    });

    it('keeps accounts, lock-out and its expiry, and sessions on this database', async () => {
      if (skip()) return;
      await addAccount(ds, { username: 'lock-me', password: 'lock me if you can', role: 'clerk' }, clock.now());
      const policy = { maxFailed: 5, lockoutMinutes: 15 };
      for (let i = 0; i < 4; i++) expect(await checkSignIn(ds, 'lock-me', 'nope', clock.now(), policy)).toEqual({ ok: false, code: 'console.sign-in-failed' });
      const locked = await checkSignIn(ds, 'lock-me', 'nope', clock.now(), policy);
      expect(locked).toMatchObject({ ok: false, code: 'console.locked-out', justLocked: true, lockedUntil: new Date(clock.now().getTime() + 15 * 60_000) });
      expect(await checkSignIn(ds, 'lock-me', 'lock me if you can', clock.now(), policy)).toMatchObject({ code: 'console.locked-out', justLocked: false });
      clock.advance(15 * 60_000 + 1);
      expect(await checkSignIn(ds, 'lock-me', 'lock me if you can', clock.now(), policy)).toMatchObject({ ok: true });
      // A session ends when it expires (8 hours).
      const b = new Browserless(url);
      expect((await b.signIn('admin', 'scale test password')).status).toBe(303);
      expect((await b.get('/console/cases')).status).toBe(200);
      clock.advance(8 * HOUR + 1);
      expect((await b.get('/console/cases')).status).toBe(303);
    });

    it('records a console contact edit in one transaction on this database: message, contact-change met, outbox row, audit chain', async () => {
      if (skip()) return;
      const r = await recordContactUpdateOnBehalf({ dataSource: ds, clock, identity, hooks: obligationHooks() }, {
        institution: 'op-t002', user: 'tadmin',
        body: { unit: '测试运营商', leaderInCharge: { name: '张三', phone: '010-12345678' }, departmentHead: { name: '李四' }, contacts: [{ name: '王五', email: 'wangwu@example.cn' }], effectiveDate: new Date(clock.now().getTime() + 8 * HOUR).toISOString().slice(0, 10) },
      });
      expect(r.late).toBe(false);
      expect(await ds.manager.findOneByOrFail(MessageEntity, { id: r.messageId })).toMatchObject({ fromCode: 'op-t002', toCodes: ['miit'], ccCodes: ['cncert'] });
      expect(await ds.manager.findOneByOrFail(ObligationEntity, { obligation: 'contact-change', party: 'op-t002' })).toMatchObject({ state: 'met', closedBy: r.messageId });
      expect(await ds.manager.countBy(OutboxEntity, { messageId: `accepted:${r.messageId}` })).toBe(1);
      expect((await verifyAuditChain(ds)).ok).toBe(true);
    });
  });
}
