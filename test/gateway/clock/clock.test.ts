import { parseInstant } from '../../../gateway/clock/parse-instant';
import { systemClock } from '../../../gateway/clock/system-clock';
import { TestClock } from '../../../gateway/clock/test-clock';

describe('clocks', () => {
  it('the test clock moves only when told to', () => {
    const clock = new TestClock('2024-02-09T10:00:00+08:00');
    expect(clock.now().toISOString()).toBe('2024-02-09T02:00:00.000Z');
    clock.advance(90 * 60 * 1000);
    expect(clock.now().toISOString()).toBe('2024-02-09T03:30:00.000Z');
    clock.set('2025-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(() => clock.set('not a time')).toThrow(RangeError);
  });

  it('the system clock reads the machine time', () => {
    const before = Date.now();
    const t = systemClock.now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});

describe('parseInstant', () => {
  it('reads instants with Z or an offset', () => {
    expect(parseInstant('2024-02-09T10:00+08:00').toISOString()).toBe('2024-02-09T02:00:00.000Z');
    expect(parseInstant('2024-02-08T23:30:00Z').toISOString()).toBe('2024-02-08T23:30:00.000Z');
    expect(parseInstant('2024-02-08T18:30:00.5-05:00').toISOString()).toBe('2024-02-08T23:30:00.500Z');
  });

  it('refuses a time without offset, saying so', () => {
    expect(() => parseInstant('2024-02-09T10:00:00', '--from')).toThrow(expect.objectContaining({ code: 'clock.instant-without-offset', message: expect.stringMatching(/--from: .* has no time-zone offset/) }));
    expect(() => parseInstant('2024-02-09')).toThrow(expect.objectContaining({ code: 'clock.instant-without-offset' }));
  });

  it('refuses what is not a valid instant', () => {
    for (const bad of ['yesterday', '2024-02-30T10:00:00Z', '2024-02-09T24:00:00Z', '2024-02-09T10:00:00+25:00', '']) {
      expect(() => parseInstant(bad)).toThrow(expect.objectContaining({ code: 'clock.invalid-instant' }));
    }
  });
});
