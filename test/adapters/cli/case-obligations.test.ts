import * as path from 'node:path';
import { readFileSync } from 'node:fs';
import { tempFiles } from './cli-files';
import { acceptedId, openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(90_000);

const EXAMPLES = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples');
const example = (name: string) => JSON.parse(readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8')) as Record<string, unknown> & { body: Record<string, unknown> };

interface Page { items: { deliveryId: string; messageId: string }[] }
interface ObligationsAnswer { asOf: string; next: string | null; items: { id: number; obligation: string; party: string; state: string; overdue: boolean; subject: string | null; taskNumber: string | null }[] }

// `mmgw case` and `mmgw obligations` as clients of a running gateway (in this process, on a
// fresh data directory): the system clock, so the past is made with the forms' own dates.
describe('mmgw case and mmgw obligations', () => {
  let w: GatewayWorld;
  const task = `CNCERT-2026-1129-${String(process.pid % 1000).padStart(3, '0')}`;
  let reportId: string;
  let noticeId: string;
  const deliveryOf = async (who: string, messageId: string): Promise<string> => {
    for (let n = 0; n < 100; n++) {
      const page = JSON.parse((await w.cli('inbox', '--as', who, '--json', '--limit', '100', '--wait', '5')).stdout) as Page;
      const hit = page.items.find((i) => i.messageId === messageId);
      if (hit) return hit.deliveryId;
    }
    throw new Error(`no delivery of ${messageId} for ${who}`);
  };

  beforeAll(async () => {
    w = await openGatewayWorld();
    reportId = acceptedId((await w.cli('send', path.join(EXAMPLES, 'incident-report.json'), '--as', 'op-cmcc')).stdout);
    const notice = example('incident-notice');
    notice.references = { taskNumber: task, inReplyTo: reportId };
    notice.body.taskNumber = task;
    notice.to = ['op-cmcc', 'op-cucc'];
    // A level IV event discovered in October: its month's monthly feedback was due by the end of 10 November.
    const levelIv = example('incident-report');
    levelIv.to = ['cncert'];
    levelIv.cc = [];
    Object.assign(levelIv.body, { level: 'IV', lossYuan: 100, infectedNumbers24h: 10, infectedDevices: 10, provinces: ['11'], occurredAt: '2026-10-14T22:00:00+08:00', discoveredAt: '2026-10-15T09:20:00+08:00', reportedAt: '2026-10-15T10:50:00+08:00' });
    delete levelIv.body.levelJustification;
    const files = tempFiles({ 'notice.json': JSON.stringify(notice), 'level-iv.json': JSON.stringify(levelIv) });
    const sent = await w.cli('send', files['notice.json']!, '--as', 'cncert');
    expect(sent.stderr).toBe('');
    noticeId = acceptedId(sent.stdout);
    const iv = await w.cli('send', files['level-iv.json']!, '--as', 'op-cmcc');
    expect(iv.stderr).toBe('');
    expect((await w.cli('ack', await deliveryOf('op-cmcc', noticeId), '--as', 'op-cmcc')).code).toBe(0);
  });
  afterAll(async () => w?.close());

  it('mmgw case TASK: the case, its messages, deliveries and obligations as tables', async () => {
    const r = await w.cli('case', task, '--as', 'op-cmcc');
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^case ${task}  incident  level II  opened \\S+\\+08:00  key ${reportId}$`));
    expect(lines[1]).toBe('parties: op-cmcc, miit, ca-11, ca-44, cncert, op-cucc');
    const section = (title: string) => {
      const start = lines.findIndex((l) => l.startsWith(title));
      const end = lines.findIndex((l, i) => i > start && l === '');
      return lines.slice(start + 1, end === -1 ? undefined : end).map((l) => l.trim().split(/\s{2,}/));
    };
    expect(lines).toContain('messages (2):');
    expect(section('messages (')).toEqual([
      ['ACCEPTED', 'TYPE', 'FROM', 'TO', 'CC', 'MESSAGE'],
      [expect.stringMatching(/\+08:00$/), 'IncidentReport', 'op-cmcc', 'miit', 'ca-11,ca-44,cncert', reportId],
      [expect.stringMatching(/\+08:00$/), 'IncidentNotice', 'cncert', 'op-cmcc,op-cucc', 'ca-11,ca-44,miit', noticeId],
    ]);
    const deliveries = section('deliveries (');
    expect(deliveries[0]).toEqual(['MESSAGE', 'RECIPIENT', 'CHANNEL', 'STATUS', 'ACKNOWLEDGED', 'DELIVERY']);
    expect(deliveries.slice(1).map((d) => `${d[0] === noticeId ? 'notice' : 'report'}:${d[1]}`).sort()).toEqual(
      ['notice:ca-11', 'notice:ca-44', 'notice:miit', 'notice:op-cmcc', 'notice:op-cucc', 'report:ca-11', 'report:ca-44', 'report:cncert', 'report:miit'],
    );
    expect(deliveries.find((d) => d[0] === noticeId && d[1] === 'op-cmcc')).toEqual([noticeId, 'op-cmcc', 'mailbox', 'acknowledged', expect.stringMatching(/\+08:00$/), expect.stringMatching(/^dlv-\d{8}$/)]);
    // Discovered yesterday at 09:20, level II (2 h): reported today, late; op-cmcc's feedback runs from its acknowledgement.
    expect(section('obligations (')).toEqual([
      ['OBLIGATION', 'PARTY', 'TO', 'LEVEL', 'DUE', 'STATE', 'CLOSED BY'],
      ['event-report', 'op-cmcc', 'miit', 'II', '2026-11-28T11:20:00+08:00', 'met-late', reportId],
      ['disposal-feedback', 'op-cmcc', 'cncert', 'II', expect.stringMatching(/\+08:00$/), 'open', '-'],
    ]);
  });

  it('mmgw case --json prints the gateway\'s answer; a stranger and an unknown task number are refused alike (exit 1)', async () => {
    const r = await w.cli('case', task, '--as', 'cncert', '--json');
    expect(r.code).toBe(0);
    const c = JSON.parse(r.stdout) as { taskNumber: string; messages: { id: string }[]; obligations: { obligation: string }[] };
    expect(c.taskNumber).toBe(task);
    expect(c.messages.map((m) => m.id)).toEqual([reportId, noticeId]);
    const stranger = await w.cli('case', task, '--as', 'op-cbn');
    expect([stranger.code, stranger.stdout]).toEqual([1, '']);
    expect(stranger.stderr).toBe(`refused: HTTP 404 http.not-found: no case ${task} of which op-cbn is a party\n`);
    const unknown = await w.cli('case', 'CNCERT-2026-0000-000', '--as', 'op-cbn');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('refused: HTTP 404 http.not-found: no case CNCERT-2026-0000-000 of which op-cbn is a party\n');
  });

  it('mmgw obligations --as CODE: what that institution owes, due first; --overdue keeps the open ones past due', async () => {
    const all = await w.cli('obligations', '--as', 'op-cmcc');
    expect([all.code, all.stderr]).toEqual([0, '']);
    const rows = all.stdout.trim().split('\n').map((l) => l.split(/\s{2,}/));
    expect(rows[0]).toEqual(['ID', 'OBLIGATION', 'TO', 'CASE', 'LEVEL', 'DUE', 'STATE']);
    // Due first: October's level IV report (1 wd), its month's feedback (10 Nov), yesterday's report, today's feedback.
    expect(rows.slice(1, -1).map((r) => `${r[1]}:${r[2]}:${r[4]}:${r[6]}`)).toEqual([
      'event-report:cncert:IV:met-late', 'disposal-feedback:cncert:IV:OVERDUE', 'event-report:miit:II:met-late', 'disposal-feedback:cncert:II:open',
    ]);
    expect(rows[2]![5]).toBe('2026-11-11T00:00:00+08:00'); // the end (24:00) of 10 November
    expect(rows.slice(1, -1).filter((r) => r[3] === task)).toHaveLength(2);
    expect(all.stdout).toMatch(/^4 obligation\(s\) of op-cmcc, 1 overdue, as of \S+\+08:00$/m);

    const overdue = await w.cli('obligations', '--as', 'op-cmcc', '--overdue');
    expect(overdue.stdout.trim().split('\n').slice(1, -1).map((l) => l.split(/\s{2,}/).slice(1, 3))).toEqual([['disposal-feedback', 'cncert']]);
    const json = JSON.parse((await w.cli('obligations', '--as', 'op-cmcc', '--overdue', '--json')).stdout) as ObligationsAnswer;
    expect(json.items.map((o) => [o.obligation, o.party, o.state, o.overdue, o.subject])).toEqual([['disposal-feedback', 'op-cmcc', 'open', true, 'month:2026-10']]);
    expect(json.next).toBeNull();
    // cncert owes October's summary, overdue too; op-cucc never acknowledged the notice and owes nothing.
    const cncert = JSON.parse((await w.cli('obligations', '--as', 'cncert', '--overdue', '--json')).stdout) as ObligationsAnswer;
    expect(cncert.items.map((o) => `${o.obligation}:${o.subject}`)).toEqual(['monthly-general-summary:month:2026-10']);
    const cucc = await w.cli('obligations', '--as', 'op-cucc');
    expect(cucc.stdout).toMatch(/^op-cucc owes no obligations \(as of \S+\+08:00\)$/m);
  });

  it('filters and pages: --case, --state, --limit with the next cursor and --after', async () => {
    const ofCase = JSON.parse((await w.cli('obligations', '--as', 'op-cmcc', '--case', task, '--json')).stdout) as ObligationsAnswer;
    expect(ofCase.items.map((o) => o.obligation)).toEqual(['event-report', 'disposal-feedback']);
    expect(ofCase.items.every((o) => o.taskNumber === task)).toBe(true);
    const open = JSON.parse((await w.cli('obligations', '--as', 'op-cmcc', '--state', 'open', '--json')).stdout) as ObligationsAnswer;
    expect(open.items.map((o) => o.obligation)).toEqual(['disposal-feedback', 'disposal-feedback']);
    const first = await w.cli('obligations', '--as', 'op-cmcc', '--limit', '3');
    const next = /^next: (\S+)$/m.exec(first.stdout)?.[1];
    expect(next).toBeDefined();
    const rest = JSON.parse((await w.cli('obligations', '--as', 'op-cmcc', '--limit', '3', '--after', next!, '--json')).stdout) as ObligationsAnswer;
    expect(rest.items.map((o) => `${o.obligation}:${o.state}`)).toEqual(['disposal-feedback:open']);
    expect(rest.next).toBeNull();
  });

  it('refusals: a filter the gateway refuses (exit 1, its problem details), a bad option (exit 2)', async () => {
    const state = await w.cli('obligations', '--as', 'op-cmcc', '--state', 'done');
    expect([state.code, state.stdout]).toEqual([1, '']);
    expect(state.stderr).toBe('refused: HTTP 400 obligation.bad-query: query.state: state must be one of open, met, met-late, waived, got "done"\n  query.state: state must be one of open, met, met-late, waived, got "done" [obligation.bad-query]\n');
    expect((await w.cli('obligations', '--as', 'op-cmcc', '--obligation', 'event-notice')).stderr).toMatch(/^ {2}query\.obligation: obligation must be an obligation id of rules\.md \(sample-report, .*\), got "event-notice" \[obligation\.bad-query\]$/m);
    const after = await w.cli('obligations', '--as', 'op-cmcc', '--after', 'x');
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('--after pages through one page at a time: give --limit too');
    expect((await w.cli('obligations', '--as', 'op-cmcc', '--limit', 'ten')).code).toBe(2);
  });

  it('--help says obligations is a client command where --as names the institution asking', async () => {
    const help = await w.cli('obligations', '--help');
    expect(help.stdout).toContain('GET /v1/obligations');
    expect(help.stdout).toContain('--as CODE acts as that institution with its dev credential');
    expect((await w.cli('case', '--help')).stdout).toContain('GET /v1/cases/{taskNumber}');
  });
});
