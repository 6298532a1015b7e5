import { busyFraction, phaseResult, splitEvenly } from '../../bench/e2e/run-e2e';

describe('npm run bench: several gateway processes', () => {
  it('splits messages and in-flight submissions evenly, the first processes one more, nothing lost', () => {
    expect(splitEvenly(3000, 2)).toEqual([1500, 1500]);
    expect(splitEvenly(1501, 2)).toEqual([751, 750]);
    expect(splitEvenly(64, 3)).toEqual([22, 21, 21]);
    expect(splitEvenly(7, 1)).toEqual([7]);
    expect(splitEvenly(2, 4)).toEqual([1, 1, 0, 0]);
  });

  it('times a phase across processes: first submit to last routed, each latency to the earliest routing, CPU summed per message', () => {
    // a and b submitted by one process, c by another; times are absolute ms
    const submits = new Map([['a', 1000], ['b', 1010], ['c', 1005]]);
    const routed = new Map([['a', 1100], ['b', 1400], ['c', 1300], ['other', 2000]]);
    const r = phaseResult(submits, routed, 1250, 600, 0.75);
    expect(r.count).toBe(3);
    expect(r.msgsPerSecond).toBeCloseTo(3 / 0.4);
    expect(r.acceptsPerSecond).toBeCloseTo(3 / 0.25);
    expect(r.latenciesMs).toEqual([100, 390, 295]);
    expect(r.cpuMsPerMessage).toBe(200);
    expect(r.machineBusy).toBe(0.75);
  });

  it('reads how busy the machine was from two os.cpus() readings, all CPUs together', () => {
    const t = (user: number, sys: number, idle: number) => ({ times: { user, nice: 0, sys, idle, irq: 0 } });
    expect(busyFraction([t(0, 0, 0), t(100, 0, 0)], [t(300, 100, 100), t(200, 0, 400)])).toBeCloseTo(500 / 1000);
    expect(busyFraction([t(5, 5, 5)], [t(5, 5, 5)])).toBe(0);
  });

  it('refuses a phase with a message never routed', () => {
    expect(() => phaseResult(new Map([['a', 1]]), new Map(), 2, 1)).toThrow(/a was never routed/);
  });
});
