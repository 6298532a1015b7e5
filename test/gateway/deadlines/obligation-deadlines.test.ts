import { due, result } from './helpers';

// Every row of rules.md "Obligations and deadlines". Beijing time is UTC+8; "N wd after T" is
// due at the end of the Nth working day after T's Beijing day, i.e. 00:00 +08:00 of the day after.
describe('deadlines of every obligation in rules.md', () => {
  describe('sample-report, Art. 9(1): 3 wd', () => {
    it('counts over the 2024 Spring Festival and its adjusted working Sunday 02-18', () => {
      // Thu 02-08 → Fri 02-09 (1), 02-10..17 off, Sun 02-18 worked (2), Mon 02-19 (3)
      expect(due('sample-report', '2024-02-08T10:00:00+08:00')).toBe('2024-02-20T00:00:00+08:00');
    });

    it('a start at 23:30 UTC is already the next day in Beijing', () => {
      expect(due('sample-report', '2024-02-08T15:59:59Z')).toBe('2024-02-20T00:00:00+08:00');
      expect(due('sample-report', '2024-02-08T23:30:00Z')).toBe('2024-02-21T00:00:00+08:00');
    });

    it('starts on a holiday, on a weekend, and on an adjusted working day', () => {
      expect(due('sample-report', '2024-02-12T09:00:00+08:00')).toBe('2024-02-21T00:00:00+08:00'); // 春节 holiday
      expect(due('sample-report', '2024-03-02T09:00:00+08:00')).toBe('2024-03-07T00:00:00+08:00'); // Saturday
      expect(due('sample-report', '2024-02-04T09:00:00+08:00')).toBe('2024-02-08T00:00:00+08:00'); // adjusted working Sunday
      expect(due('sample-report', '2024-09-14T09:00:00+08:00')).toBe('2024-09-21T00:00:00+08:00'); // adjusted working Saturday, then 中秋
    });

    it('counts an adjusted working Saturday as a working day', () => {
      // Fri 2024-09-13 → Sat 09-14 worked (1), 09-15..17 中秋 off, Wed 09-18 (2), Thu 09-19 (3)
      expect(due('sample-report', '2024-09-13T09:00:00+08:00')).toBe('2024-09-20T00:00:00+08:00');
    });

    it('counts over National Day', () => {
      expect(due('sample-report', '2024-09-30T12:00:00+08:00')).toBe('2024-10-11T00:00:00+08:00');
    });
  });

  it('sample-identification, Art. 9(2): 5 wd (over 清明 2024 and its adjusted Sunday 04-07)', () => {
    expect(due('sample-identification', '2024-04-01T10:00:00+08:00')).toBe('2024-04-10T00:00:00+08:00');
    expect(due('sample-identification', '2025-01-24T10:00:00+08:00')).toBe('2025-02-08T00:00:00+08:00');
  });

  describe('event-report, Art. 10(2)', () => {
    it.each([
      ['I', '2024-02-09T09:30:00+08:00'],
      ['II', '2024-02-09T09:30:00+08:00'],
      ['III', '2024-02-09T11:30:00+08:00'],
    ])('level %s by clock hours, over the day boundary', (level, expected) => {
      expect(due('event-report', '2024-02-08T23:30:00Z', level)).toBe(expected);
    });

    it('hours run 24/7, through weekends and holidays', () => {
      expect(due('event-report', '2024-02-10T23:00:00+08:00', 'III')).toBe('2024-02-11T03:00:00+08:00');
    });

    it('level IV: 1 wd (default)', () => {
      // 23:30 UTC Thu = Fri 02-09 Beijing → next working day Sun 02-18 (adjusted)
      expect(due('event-report', '2024-02-08T23:30:00Z', 'IV')).toBe('2024-02-19T00:00:00+08:00');
      expect(result('event-report', '2024-02-08T23:30:00Z', 'IV').rule).toEqual({ kind: 'working-days', days: 1, default: true });
    });
  });

  it.each([
    ['I', '2024-05-01T02:00:00+08:00'],
    ['II', '2024-05-01T02:00:00+08:00'],
    ['III', '2024-05-01T04:00:00+08:00'],
  ])('cncert-event-report, Art. 10(3), level %s', (level, expected) => {
    expect(due('cncert-event-report', '2024-05-01T00:00:00+08:00', level)).toBe(expected);
  });

  it('cncert-event-report level IV has no deadline of its own (monthly summary)', () => {
    const r = result('cncert-event-report', '2024-05-01T00:00:00+08:00', 'IV');
    expect(r.due).toBeNull();
    expect(r.noDeadline).toMatch(/monthly-general-summary/);
  });

  it('event-notice, Art. 10(3): no deadline for the notifier, said explicitly', () => {
    const r = result('event-notice', '2024-05-01T00:00:00+08:00');
    expect(r).toMatchObject({ due: null, rule: { kind: 'none' } });
    expect(r.noDeadline).toMatch(/no deadline/);
  });

  describe('monthly-general-summary, Art. 10(3): month end → 10th of the next month (default)', () => {
    it('is due at the end of the 10th of the next month, Beijing', () => {
      const r = result('monthly-general-summary', '2024-01-15T10:00:00+08:00');
      expect(due('monthly-general-summary', '2024-01-15T10:00:00+08:00')).toBe('2024-02-11T00:00:00+08:00');
      expect(r.clockStart.toISOString()).toBe('2024-01-31T16:00:00.000Z'); // 2024-02-01T00:00+08:00
    });

    it('takes the Beijing month: 2024-01-31T16:30Z is already February', () => {
      expect(due('monthly-general-summary', '2024-01-31T15:59:59Z')).toBe('2024-02-11T00:00:00+08:00');
      expect(due('monthly-general-summary', '2024-01-31T16:30:00Z')).toBe('2024-03-11T00:00:00+08:00');
    });

    it('crosses the year in December, and ignores holidays (calendar days)', () => {
      expect(due('monthly-general-summary', '2024-12-31T23:00:00+08:00')).toBe('2025-01-11T00:00:00+08:00');
      expect(due('monthly-general-summary', '2024-09-20T00:00:00+08:00')).toBe('2024-10-11T00:00:00+08:00');
    });
  });

  describe('disposal-feedback, Art. 11(4)', () => {
    it.each([
      ['I', '2024-02-09T09:30:00+08:00'],
      ['II', '2024-02-09T09:30:00+08:00'],
      ['III', '2024-02-09T11:30:00+08:00'],
      ['IV', '2024-03-11T00:00:00+08:00'],
    ])('level %s', (level, expected) => {
      expect(due('disposal-feedback', '2024-02-08T23:30:00Z', level)).toBe(expected);
    });
  });

  describe("domain-disposal, Art. 11(2)(3): the event's disposal-feedback clock", () => {
    it.each(['I', 'II', 'III', 'IV'])('level %s equals disposal-feedback from the request', (level) => {
      const start = '2024-06-30T20:15:00+08:00';
      expect(due('domain-disposal', start, level)).toBe(due('disposal-feedback', start, level));
    });

    it('gives concrete instants', () => {
      expect(due('domain-disposal', '2024-06-30T20:15:00+08:00', 'III')).toBe('2024-07-01T00:15:00+08:00');
      expect(due('domain-disposal', '2024-06-30T20:15:00+08:00', 'IV')).toBe('2024-07-11T00:00:00+08:00');
    });

    it('needs the level', () => {
      expect(() => result('domain-disposal', '2024-06-30T20:15:00+08:00')).toThrow(expect.objectContaining({ code: 'deadline.level-required' }));
    });
  });

  describe('verification, Art. 11(5)', () => {
    it.each([
      ['I', '2024-10-01T02:00:00+08:00'],
      ['II', '2024-10-01T02:00:00+08:00'],
      ['III', '2024-10-01T04:00:00+08:00'],
    ])('level %s', (level, expected) => {
      expect(due('verification', '2024-10-01T00:00:00+08:00', level)).toBe(expected);
    });

    it('level IV: none, said explicitly', () => {
      expect(result('verification', '2024-10-01T00:00:00+08:00', 'IV')).toMatchObject({ due: null, noDeadline: expect.stringMatching(/level IV/) });
    });
  });

  it('user-notice, Art. 11(1): no deadline in the gateway', () => {
    expect(result('user-notice', '2024-10-01T00:00:00+08:00')).toMatchObject({ due: null, noDeadline: expect.stringMatching(/outside the gateway/) });
  });

  it('written-followup, Art. 15: 1 wd by default', () => {
    expect(due('written-followup', '2024-02-09T18:00:00+08:00')).toBe('2024-02-19T00:00:00+08:00');
    expect(due('written-followup', '2024-02-07T18:00:00+08:00')).toBe('2024-02-09T00:00:00+08:00');
  });

  it('contact-change, Art. 17: 3 wd', () => {
    // 2025-10-01..08 off; Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 adjusted working day (3)
    expect(due('contact-change', '2025-09-30T12:00:00+08:00')).toBe('2025-10-12T00:00:00+08:00');
  });

  it('retention, Art. 12: 60 days (default), purge due then', () => {
    expect(due('retention', '2024-01-01T08:00:00+08:00')).toBe('2024-03-01T08:00:00+08:00');
    expect(due('retention', '2023-01-01T08:00:00+08:00')).toBe('2023-03-02T08:00:00+08:00');
  });
});

describe('bad requests', () => {
  it('names the valid choices for an unknown obligation', () => {
    expect(() => result('no-such', '2024-01-01T00:00:00Z')).toThrow(
      expect.objectContaining({ code: 'deadline.unknown-obligation', message: expect.stringContaining('sample-report, sample-identification, event-report') }),
    );
  });

  it('names the levels when one is needed and missing', () => {
    for (const id of ['event-report', 'cncert-event-report', 'disposal-feedback', 'domain-disposal', 'verification']) {
      expect(() => result(id, '2024-01-01T00:00:00Z')).toThrow(expect.objectContaining({ code: 'deadline.level-required', message: expect.stringContaining('I, II, III, IV') }));
    }
  });

  it('refuses a level that is not I–IV', () => {
    expect(() => result('event-report', '2024-01-01T00:00:00Z', 'V')).toThrow(expect.objectContaining({ code: 'grading.invalid-level' }));
  });

  it('ignores a level the obligation does not depend on, with a warning', () => {
    const r = result('sample-report', '2024-02-08T10:00:00+08:00', 'I');
    expect(r.level).toBeUndefined();
    expect(r.warnings[0]).toMatch(/level I was ignored/);
  });
});
