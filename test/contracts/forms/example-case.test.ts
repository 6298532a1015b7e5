import { forms, formByName } from '../../../contracts/forms';
import type { ExampleMessage } from '../../../contracts/model/field-types';

// The examples read as one case (issue 2, item 2): a sample reported and identified; an event
// reported, notified under a task number, disposed of and verified; its domains disposed of by
// the registrar; the month's level IV events summarised. These tests keep the threads tied.
function example(name: string): ExampleMessage {
  const form = formByName(name);
  if (form === undefined) throw new Error(`no form ${name}`);
  return form.example;
}
const body = (name: string) => example(name).body as Record<string, unknown> & Record<string, never>;
const task = body('IncidentNotice').taskNumber;

describe('the examples as one case', () => {
  it('have unique message ids', () => {
    const ids = forms.map((f) => f.example.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answer messages that precede them', () => {
    const byId = new Map(forms.map((f) => [f.example.id, f.example]));
    // The Rejection answers a message that was refused, so it is not itself an example.
    const replies = forms.map((f) => f.example).filter((e) => e.references?.inReplyTo !== undefined && e.type !== 'Rejection');
    expect(replies.length).toBeGreaterThanOrEqual(8);
    for (const reply of replies) {
      const original = byId.get(reply.references!.inReplyTo!);
      expect(original).toBeDefined();
      expect(Date.parse(original!.sentAt)).toBeLessThan(Date.parse(reply.sentAt));
    }
  });

  it('identify the sample that was reported, to the unit that reported it', () => {
    const reported = body('SampleReport').samples as unknown as { md5: string; firstObtainedAt: string }[];
    const identified = body('SampleIdentification').samples as unknown as { md5: string; firstObtainedAt: string }[];
    expect(identified.map((s) => [s.md5, s.firstObtainedAt])).toEqual(reported.map((s) => [s.md5, s.firstObtainedAt]));
    expect(example('SampleIdentification').to).toEqual([example('SampleReport').from]);
  });

  it('carry one task number from the notice through feedback, verification and domain disposal', () => {
    expect(task).toMatch(/^CNCERT-/);
    for (const name of ['IncidentNotice', 'DisposalFeedback', 'VerificationResult', 'DomainDisposalRequest', 'DomainDisposalFeedback', 'EmergencyNotice']) {
      expect([name, body(name).taskNumber, example(name).references?.taskNumber]).toEqual([name, task, task]);
    }
  });

  it('name the same malware, level and provinces from report to verification', () => {
    for (const name of ['IncidentReport', 'IncidentNotice', 'DisposalFeedback', 'VerificationResult']) {
      expect([name, body(name).malwareName]).toEqual([name, 'a.expense.GhostPush.a']);
    }
    for (const name of ['IncidentReport', 'IncidentNotice', 'VerificationResult']) {
      expect([name, body(name).provinces]).toEqual([name, ['11', '44']]);
    }
    expect(body('IncidentNotice').level).toBe(body('IncidentReport').level);
    expect(body('DomainDisposalRequest').level).toBe(body('IncidentReport').level);
  });

  it('verify exactly the servers the feedback lists, disposed or not', () => {
    const fb = body('DisposalFeedback') as unknown as Record<string, { ip: string }[]>;
    const listed = ['disposedControlServers', 'disposedDistributionServers', 'undisposedControlServers', 'undisposedDistributionServers']
      .flatMap((k) => fb[k] ?? [])
      .map((s) => s.ip)
      .sort();
    const items = body('VerificationResult').items as unknown as { server: { ip: string } }[];
    expect(items.map((i) => i.server.ip).sort()).toEqual(listed);
  });

  it('dispose of the domains the request named', () => {
    const asked = (body('DomainDisposalRequest').domains as unknown as { domain: string }[]).map((d) => d.domain);
    const done = (body('DomainDisposalFeedback').domains as unknown as { domain: string }[]).map((d) => d.domain);
    expect(done).toEqual(asked);
  });

  it('summarise the level IV events of the batch in the month they happened', () => {
    const batch = example('IncidentReportBatch');
    const events = body('MonthlyGeneralSummary').events as unknown as { reportId: string; malwareName: string }[];
    const batchEvents = body('IncidentReportBatch').events as unknown as { malwareName: string; occurredAt: string }[];
    expect(events.map((e) => [e.reportId, e.malwareName])).toEqual(batchEvents.map((e) => [batch.id, e.malwareName]));
    expect(batchEvents.every((e) => e.occurredAt.startsWith(`${String(body('MonthlyGeneralSummary').month)}-`))).toBe(true);
    const rows = body('MonthlyDisposalFeedback').rows as unknown as { reportId: string }[];
    expect(rows.every((r) => r.reportId === batch.id)).toBe(true);
  });

  it('give the summary counts that add up', () => {
    const s = body('MonthlyGeneralSummary') as unknown as {
      counts: { events: number; infectedDevices: number; infectedNumbers: number; lossYuan: number };
      events: { infectedDevices: number; infectedNumbers24h: number; lossYuan: number }[];
    };
    const sum = (f: (e: (typeof s.events)[number]) => number) => s.events.reduce((a, e) => a + f(e), 0);
    expect(s.counts).toEqual({
      events: s.events.length,
      infectedDevices: sum((e) => e.infectedDevices),
      infectedNumbers: sum((e) => e.infectedNumbers24h),
      lossYuan: sum((e) => e.lossYuan),
    });
  });

  it('receipt and acknowledgement name messages of the case', () => {
    expect(body('Receipt').messageId).toBe(example('IncidentReport').id);
    expect(body('Acknowledgement').messageId).toBe(example('IncidentNotice').id);
    const report = example('IncidentReport');
    expect(body('Receipt').recipients).toEqual([...report.to, ...(report.cc ?? [])]);
  });

  it('grade the reported event as its own figures require (Art. 8: level II is more than 50,000 numbers)', () => {
    const r = body('IncidentReport') as unknown as { level: string; lossYuan: number; infectedNumbers24h: number };
    expect(r.level).toBe('II');
    expect(r.infectedNumbers24h).toBeGreaterThan(50000);
    expect(r.infectedNumbers24h).toBeLessThanOrEqual(100000);
    expect(r.lossYuan).toBeLessThanOrEqual(5000000);
  });
});
