import { accepted, bj, iso, useFixture } from './support';

/** Figures that grade as each level (Art. 8), so the reports are consistent. */
const FIGURES = {
  I: { level: 'I', lossYuan: 100, infectedNumbers24h: 150000 },
  II: { level: 'II', lossYuan: 100, infectedNumbers24h: 60000 },
  III: { level: 'III', lossYuan: 100, infectedNumbers24h: 20000 },
  IV: { level: 'IV', lossYuan: 100, infectedNumbers24h: 100 },
} as const;

describe('every obligation id, on time and late (SQLite)', () => {
  const f = useFixture();

  /** An IncidentReport by op-cmcc and cncert's IncidentNotice with task number `task`, to op-cmcc and op-cucc. */
  async function incidentCase(task: string, level: keyof typeof FIGURES): Promise<string> {
    const reportId = `op-cmcc-${task}`;
    await f.accept(accepted('incident-report', bj('2026-11-28T10:00'), { id: reportId, body: { ...FIGURES[level], discoveredAt: bj('2026-11-28T09:20') } }));
    await f.accept(accepted('incident-notice', bj('2026-11-28T11:31'), { id: `cncert-notice-${task}`, to: ['op-cmcc', 'op-cucc'], taskNumber: task, inReplyTo: reportId, body: { taskNumber: task, level } }));
    return `cncert-notice-${task}`;
  }

  it('sample-report (3 wd from first obtained) and sample-identification (5 wd from receipt): late ones are accepted and recorded met-late', async () => {
    // Obtained Fri 20 Nov → due end of Wed 25 Nov; reported Fri 27 Nov: late.
    await f.accept(accepted('sample-report', bj('2026-11-27T10:16'), { id: 'op-cucc-s1', from: 'op-cucc', body: { samples: [{ seq: 1, firstObtainedAt: bj('2026-11-20T08:00') }, { seq: 2, firstObtainedAt: bj('2026-11-26T08:00') }] } }));
    const [late, onTime] = await f.obligations({ obligation: 'sample-report', party: 'op-cucc' });
    expect([late?.state, iso(late?.due ?? null)]).toEqual(['met-late', '2026-11-25T16:00:00.000Z']);
    expect([onTime?.state, iso(onTime?.due ?? null)]).toEqual(['met', '2026-12-01T16:00:00.000Z']);
    // Received Fri 27 Nov → due end of Fri 4 Dec; identified Mon 7 Dec: late.
    await f.accept(accepted('sample-identification', bj('2026-12-07T09:00'), { id: 'cncert-i1', to: ['op-cucc'], inReplyTo: 'op-cucc-s1', body: { number: 'CNCERT-RD-LATE' } }));
    expect(await f.one({ obligation: 'sample-identification', party: 'cncert' })).toMatchObject({ counterparty: 'op-cucc', state: 'met-late', closedBy: 'cncert-i1' });
  });

  it('event-report by level: I/II 2 h, III 4 h, IV 1 wd (to cncert) — exactly at the due instant is on time, a minute later is late', async () => {
    const report = (id: string, level: keyof typeof FIGURES, receivedAt: string) => f.accept(accepted('incident-report', bj(receivedAt), { id, from: 'op-ctcc', body: { ...FIGURES[level], discoveredAt: bj('2026-11-28T09:20') } }));
    await report('op-ctcc-1', 'I', '2026-11-28T11:20');
    await report('op-ctcc-2', 'II', '2026-11-28T11:21');
    await report('op-ctcc-3', 'III', '2026-11-28T13:20');
    await report('op-ctcc-4', 'III', '2026-11-28T13:21');
    await report('op-ctcc-5', 'IV', '2026-11-30T23:59');
    await report('op-ctcc-6', 'IV', '2026-12-01T00:01');
    const rows = await f.obligations({ obligation: 'event-report', party: 'op-ctcc' });
    expect(rows.map((r) => [r.level, r.counterparty, iso(r.due), r.state])).toEqual([
      ['I', 'miit', '2026-11-28T03:20:00.000Z', 'met'],
      ['II', 'miit', '2026-11-28T03:20:00.000Z', 'met-late'],
      ['III', 'miit', '2026-11-28T05:20:00.000Z', 'met'],
      ['III', 'miit', '2026-11-28T05:20:00.000Z', 'met-late'],
      // Discovered Saturday: the next working day is Monday 30 Nov, due at its end.
      ['IV', 'cncert', '2026-11-30T16:00:00.000Z', 'met'],
      ['IV', 'cncert', '2026-11-30T16:00:00.000Z', 'met-late'],
    ]);
  });

  it('cncert-event-report: cncert\'s own report to miit, 2 h at level II', async () => {
    const report = (id: string, receivedAt: string) => f.accept(accepted('incident-report', bj(receivedAt), { id, from: 'cncert', body: { ...FIGURES.II, discoveredAt: bj('2026-11-28T09:00') } }));
    await report('cncert-r1', '2026-11-28T10:59');
    await report('cncert-r2', '2026-11-28T11:30');
    expect((await f.obligations({ obligation: 'cncert-event-report' })).map((r) => r.state)).toEqual(['met', 'met-late']);
    expect(await f.obligations({ obligation: 'event-report', party: 'cncert' })).toEqual([]);
  });

  it('level IV events open the month\'s monthly-general-summary (cncert) and monthly disposal-feedback (the reporter), due the 10th of the next month', async () => {
    // The batch example: two level IV events of November by op-cmcc; an October one too.
    await f.accept(accepted('incident-report-batch', bj('2026-11-28T17:31')));
    await f.accept(accepted('incident-report', bj('2026-10-16T10:00'), { id: 'op-cmcc-oct', to: ['cncert'], cc: [], body: { ...FIGURES.IV, discoveredAt: bj('2026-10-15T09:00') } }));
    const summaries = await f.obligations({ obligation: 'monthly-general-summary' });
    expect(summaries.map((o) => [o.subject, iso(o.due)])).toEqual([['month:2026-11', '2026-12-10T16:00:00.000Z'], ['month:2026-10', '2026-11-10T16:00:00.000Z']]);
    await f.accept(accepted('monthly-general-summary', bj('2026-12-08T16:01')));
    await f.accept(accepted('monthly-general-summary', bj('2026-12-08T16:02'), { id: 'cncert-sum-oct', body: { month: '2026-10' } }));
    expect((await f.obligations({ obligation: 'monthly-general-summary' })).map((o) => `${o.subject}:${o.state}`)).toEqual(['month:2026-11:met', 'month:2026-10:met-late']);
    await f.accept(accepted('monthly-disposal-feedback', bj('2026-12-07T10:01')));
    await f.accept(accepted('monthly-disposal-feedback', bj('2026-12-07T10:02'), { id: 'op-cmcc-mdf-oct', body: { month: '2026-10' } }));
    expect((await f.obligations({ obligation: 'disposal-feedback', party: 'op-cmcc' })).map((o) => `${o.subject}:${o.level}:${o.state}`)).toEqual(['month:2026-11:IV:met', 'month:2026-10:IV:met-late']);
  });

  it('verification: 4 h from cncert\'s receipt of a DisposalFeedback at level III; late is met-late', async () => {
    const notice = await incidentCase('T-VER', 'III');
    await f.ack(notice, 'op-cucc', bj('2026-11-28T11:40'));
    await f.accept(accepted('disposal-feedback', bj('2026-11-28T12:00'), { id: 'op-cucc-fb-ver', from: 'op-cucc', cc: [], taskNumber: 'T-VER', body: { taskNumber: 'T-VER' } }));
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cucc', caseKey: 'op-cmcc-T-VER' })).toMatchObject({ state: 'met' });
    await f.accept(accepted('verification-result', bj('2026-11-28T16:01'), { id: 'cncert-ver-late', taskNumber: 'T-VER', body: { taskNumber: 'T-VER', disposingUnit: 'op-cucc' } }));
    const v = await f.one({ obligation: 'verification', caseKey: 'op-cmcc-T-VER' });
    expect([v.state, iso(v.due)]).toEqual(['met-late', '2026-11-28T08:00:00.000Z']);
  });

  it('domain-disposal: each registry\'s clock runs from its acknowledgement of the DomainDisposalRequest, the same clock as disposal-feedback (II: 2 h)', async () => {
    await incidentCase('CNCERT-2026-1128-017', 'II');
    await f.accept(accepted('domain-disposal-request', bj('2026-11-28T11:46')));
    await f.ack('cncert-20261128-0005', 'rr-demo', bj('2026-11-28T11:50'));
    await f.ack('cncert-20261128-0005', 'dr-cnnic', bj('2026-11-28T11:55'));
    await f.accept(accepted('domain-disposal-feedback', bj('2026-11-28T13:21')));
    await f.accept(accepted('domain-disposal-feedback', bj('2026-11-28T14:00'), { id: 'dr-cnnic-1', from: 'dr-cnnic' }));
    const rows = await f.obligations({ obligation: 'domain-disposal' });
    expect(rows.map((r) => [r.party, r.level, iso(r.due), r.state])).toEqual([
      ['rr-demo', 'II', '2026-11-28T05:50:00.000Z', 'met'],
      ['dr-cnnic', 'II', '2026-11-28T05:55:00.000Z', 'met-late'],
    ]);
  });

  it('written-followup: an EmergencyNotice meets the disposal-feedback clock provisionally at the call; the signed form closes the follow-up and confirms it', async () => {
    const notice = await incidentCase('T-EM', 'II');
    await f.ack(notice, 'op-cmcc', bj('2026-11-28T11:40'));
    await f.ack(notice, 'op-cucc', bj('2026-11-28T11:40'));
    const call = (id: string, unit: string, at: string) => f.accept(accepted('emergency-notice', bj('2026-11-28T12:55'), { id, to: [unit], taskNumber: 'T-EM', body: { taskNumber: 'T-EM', institution: unit, at: bj(at) } }));
    await call('cncert-em-1', 'op-cmcc', '2026-11-28T12:45');
    await call('cncert-em-2', 'op-cucc', '2026-11-28T12:50');
    let fb = await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc', caseKey: 'op-cmcc-T-EM' });
    expect(fb).toMatchObject({ state: 'met', provisional: true, closedBy: 'cncert-em-1' });
    const followup = await f.one({ obligation: 'written-followup', party: 'op-cmcc' });
    // The call on Sat 28 Nov: 1 wd (the gateway default) → end of Mon 30 Nov.
    expect(followup).toMatchObject({ state: 'open', counterparty: 'cncert', subject: 'DisposalFeedback', openedBy: 'cncert-em-1' });
    expect(iso(followup.due)).toBe('2026-11-30T16:00:00.000Z');
    const written = (id: string, unit: string, at: string) => f.accept(accepted('disposal-feedback', bj(at), { id, from: unit, cc: [], taskNumber: 'T-EM', body: { taskNumber: 'T-EM' } }));
    await written('op-cmcc-fb-em', 'op-cmcc', '2026-11-28T13:11');
    await written('op-cucc-fb-em', 'op-cucc', '2026-12-02T09:00');
    expect(await f.one({ obligation: 'written-followup', party: 'op-cmcc' })).toMatchObject({ state: 'met', closedBy: 'op-cmcc-fb-em' });
    expect(await f.one({ obligation: 'written-followup', party: 'op-cucc' })).toMatchObject({ state: 'met-late', closedBy: 'op-cucc-fb-em' });
    fb = await f.one({ obligation: 'disposal-feedback', party: 'op-cmcc', caseKey: 'op-cmcc-T-EM' });
    expect(fb).toMatchObject({ state: 'met', provisional: false, closedBy: 'op-cmcc-fb-em' });
    expect(iso(fb.closedAt)).toBe('2026-11-28T04:45:00.000Z');
    // The late written form does not make the clock the call met late.
    expect(await f.one({ obligation: 'disposal-feedback', party: 'op-cucc', caseKey: 'op-cmcc-T-EM' })).toMatchObject({ state: 'met', provisional: false });
  });

  it('written-followup of a notice the gateway recorded (from mmgw, no party): owed to the notice\'s first copy, else to whom the clock it meets is owed', async () => {
    // An operator's first report by mail, recorded by the gateway and copied to whom the report goes (Art. 10(2)).
    await f.accept(accepted('emergency-notice', bj('2026-11-28T10:05'), { id: 'mmgw-en-ir', from: 'mmgw', to: ['op-mail'], cc: ['miit', 'cncert'], taskNumber: null, inReplyTo: null, body: { taskNumber: undefined, institution: 'op-mail', standsFor: 'IncidentReport', level: 'I', at: bj('2026-11-28T10:00') } }));
    expect(await f.one({ obligation: 'written-followup', party: 'op-mail' })).toMatchObject({ counterparty: 'miit', subject: 'IncidentReport', openedBy: 'mmgw-en-ir' });
    // cncert phones a verification owed to op-cucc (Art. 11(5)); the notice may not copy an operator: the verification clock says.
    const notice = await incidentCase('T-VR', 'III');
    await f.ack(notice, 'op-cucc', bj('2026-11-28T11:40'));
    await f.accept(accepted('disposal-feedback', bj('2026-11-28T12:00'), { id: 'op-cucc-fb-vr', from: 'op-cucc', cc: [], taskNumber: 'T-VR', body: { taskNumber: 'T-VR' } }));
    await f.accept(accepted('emergency-notice', bj('2026-11-28T13:05'), { id: 'mmgw-en-vr', from: 'mmgw', to: ['cncert'], cc: [], taskNumber: 'T-VR', inReplyTo: null, body: { taskNumber: 'T-VR', institution: 'cncert', standsFor: 'VerificationResult', level: 'III', at: bj('2026-11-28T13:00') } }));
    expect(await f.one({ obligation: 'written-followup', party: 'cncert' })).toMatchObject({ counterparty: 'op-cucc', subject: 'VerificationResult', openedBy: 'mmgw-en-vr' });
    expect(await f.one({ obligation: 'verification', caseKey: 'op-cmcc-T-VR' })).toMatchObject({ state: 'met', provisional: true, closedBy: 'mmgw-en-vr' });
  });

  it('written-followup for a phoned IncidentReport: the call meets event-report on time, the written report (after the 2 h) closes the follow-up', async () => {
    await f.accept(accepted('emergency-notice', bj('2026-11-28T10:05'), { id: 'cncert-em-ir', to: ['op-phone'], taskNumber: null, body: { taskNumber: undefined, institution: 'op-phone', standsFor: 'IncidentReport', level: 'I', at: bj('2026-11-28T10:00') } }));
    expect(await f.one({ obligation: 'written-followup', party: 'op-phone' })).toMatchObject({ state: 'open', caseKey: null, subject: 'IncidentReport' });
    await f.accept(accepted('incident-report', bj('2026-11-28T12:00'), { id: 'op-phone-ir', from: 'op-phone', body: { ...FIGURES.I, discoveredAt: bj('2026-11-28T09:20') } }));
    const report = await f.one({ obligation: 'event-report', party: 'op-phone' });
    expect([report.state, iso(report.closedAt), report.closedBy]).toEqual(['met', '2026-11-28T02:00:00.000Z', 'op-phone-ir']);
    expect(await f.one({ obligation: 'written-followup', party: 'op-phone' })).toMatchObject({ state: 'met', closedBy: 'op-phone-ir' });
  });

  it('contact-change: 3 wd from the effective date; a ContactUpdate after that is met-late', async () => {
    await f.accept(accepted('contact-update', bj('2026-12-01T09:31')));
    await f.accept(accepted('contact-update', bj('2026-12-01T09:32'), { id: 'op-cmcc-cu-late', body: { effectiveDate: '2026-11-20' } }));
    const rows = await f.obligations({ obligation: 'contact-change' });
    expect(rows.map((r) => [iso(r.start), iso(r.due), r.state])).toEqual([
      ['2026-11-29T16:00:00.000Z', '2026-12-03T16:00:00.000Z', 'met'],
      ['2026-11-19T16:00:00.000Z', '2026-11-25T16:00:00.000Z', 'met-late'],
    ]);
  });
});
