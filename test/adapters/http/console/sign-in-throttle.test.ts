import { SignInThrottle } from '../../../../adapters/http/console/sign-in-throttle';
import { TestClock } from '../../../../gateway/clock';

// The per-address limit of failed console sign-ins, on a driven clock (no waiting).
describe('SignInThrottle', () => {
  const start = new Date('2026-11-30T02:00:00Z');

  it('refuses an address after maxFailed failures in the window, until the oldest counted one leaves it; other addresses are not affected', () => {
    const clock = new TestClock(start);
    const t = new SignInThrottle({ maxFailed: 3, windowMinutes: 10 }, clock);
    t.fail('10.0.0.1');
    clock.advance(60_000);
    t.fail('10.0.0.1');
    expect(t.check('10.0.0.1')).toEqual({ ok: true });
    clock.advance(60_000);
    t.fail('10.0.0.1');
    // Third failure at +2 min: refused until the first (at +0) leaves the 10-minute window.
    expect(t.check('10.0.0.1')).toEqual({ ok: false, failures: 3, retryAfterSeconds: 480, until: new Date(start.getTime() + 600_000) });
    expect(t.check('10.0.0.2')).toEqual({ ok: true });
    clock.advance(480_000 - 1);
    expect(t.check('10.0.0.1').ok).toBe(false);
    clock.advance(1);
    expect(t.check('10.0.0.1')).toEqual({ ok: true });
    // Still two failures in the window: one more refuses again.
    t.fail('10.0.0.1');
    expect(t.check('10.0.0.1')).toMatchObject({ ok: false, failures: 3 });
  });

  it('forgets failures older than the window', () => {
    const clock = new TestClock(start);
    const t = new SignInThrottle({ maxFailed: 2, windowMinutes: 1 }, clock);
    t.fail('::1');
    clock.advance(61_000);
    t.fail('::1');
    expect(t.check('::1')).toEqual({ ok: true });
  });
});
