import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { groupOf, parseMachineBusy, parseProcStat, readCpu, splitCpu, type CpuReading } from '../../bench/e2e/process-cpu';
import { perUnit } from '../../bench/e2e/report';

// A /proc/<pid>/stat line: pid (comm) state ppid … utime (14) stime (15) … starttime (22) …
const stat = (pid: number, comm: string, utime: number, stime: number, start = 1234) =>
  `${pid} (${comm}) S 1 ${pid} ${pid} 0 -1 4194560 100 0 0 0 ${utime} ${stime} 0 0 20 0 9 0 ${start} 5678 90 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0`;

describe('npm run bench: where the machine\'s CPU went, by process', () => {
  it('reads utime + stime, the start time and the name from a /proc/<pid>/stat line, also when the name has spaces and parentheses', () => {
    expect(parseProcStat(stat(42, 'mariadbd', 700, 55, 4321))).toEqual({ comm: 'mariadbd', ticks: 755, start: 4321 });
    expect(parseProcStat(stat(43, 'odd (name) x', 3, 4))).toEqual({ comm: 'odd (name) x', ticks: 7, start: 1234 });
    expect(() => parseProcStat('garbage')).toThrow(/not a \/proc/);
  });

  it('counts the machine busy from /proc/stat without idle and iowait', () => {
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    expect(parseMachineBusy('cpu  100 5 30 9000 400 2 3 1 50 0\ncpu0 50 2 15 4500 200 1 1 0 25 0\n')).toBe(100 + 5 + 30 + 2 + 3 + 1);
    expect(() => parseMachineBusy('intr 1 2 3\n')).toThrow(/no "cpu " line/);
  });

  it('sorts processes into the gateway processes, MariaDB, RabbitMQ, the bench and the rest', () => {
    const gateways = new Set([200, 201]);
    expect(groupOf(200, 'node', gateways, 100)).toBe('gateway');
    expect(groupOf(100, 'node', gateways, 100)).toBe('bench');
    expect(groupOf(300, 'node', gateways, 100)).toBe('other');
    expect(groupOf(301, 'mariadbd', gateways, 100)).toBe('mariadb');
    expect(groupOf(302, 'mysqld', gateways, 100)).toBe('mariadb');
    expect(groupOf(303, 'beam.smp', gateways, 100)).toBe('rabbitmq');
    expect(groupOf(304, 'epmd', gateways, 100)).toBe('rabbitmq');
  });

  const reading = (machineBusyTicks: number, ps: [number, string, number, number?][]): CpuReading =>
    ({ machineBusyTicks, processes: new Map(ps.map(([pid, comm, ticks, start = 1]) => [pid, { comm, ticks, start }])) });

  it('splits the CPU between two readings by group, in ms; new processes count whole, a reused pid as new', () => {
    const before = reading(1000, [[100, 'node', 10], [200, 'node', 500], [301, 'mariadbd', 4000], [303, 'beam.smp', 900], [400, 'bash', 7]]);
    const after = reading(1300, [[100, 'node', 11], [200, 'node', 600], [301, 'mariadbd', 4030], [303, 'beam.smp', 915], [400, 'sleep', 2, 50], [500, 'node', 4, 60]]);
    expect(splitCpu(before, after, new Set([200]), 100)).toEqual({
      gateway: 1000, mariadb: 300, rabbitmq: 150, bench: 10, other: 60, machine: 3000,
    });
  });

  it('knows a process by its pid and start time, not its name: a renamed one (a kernel worker) counts its difference, a reused pid under the same name counts whole', () => {
    // Kernel workers rename themselves after their current work queue; `node` renames itself with process.title.
    const before = reading(1000, [[32, 'kworker/u8:1-writeback', 72, 5], [700, 'node', 900, 10]]);
    const after = reading(1100, [[32, 'kworker/u8:1-events_unbound', 73, 5], [700, 'node', 3, 90]]);
    expect(splitCpu(before, after, new Set(), 1)).toEqual({ gateway: 0, mariadb: 0, rabbitmq: 0, bench: 0, other: 40, machine: 1000 });
  });

  it('gives each group per message (rounded to µs), or null without a split or a count', () => {
    const split = { gateway: 1000, mariadb: 300, rabbitmq: 150, bench: 10, other: 60, machine: 1600 };
    expect(perUnit(split, 3)).toEqual({ gateway: 333.333, mariadb: 100, rabbitmq: 50, bench: 3.333, other: 20, machine: 533.333 });
    expect(perUnit(undefined, 3)).toBeNull();
    expect(perUnit(split, 0)).toBeNull();
  });

  it('reads a /proc tree: every numeric entry, skipping what cannot be read; nothing where there is no /proc', () => {
    const root = fs.mkdtempSync(path.join(tmpdir(), 'mmgw-proc-'));
    try {
      fs.writeFileSync(path.join(root, 'stat'), 'cpu  10 0 5 100 0 0 1 0 0 0\n');
      for (const [pid, comm, u] of [[7, 'mariadbd', 70], [8, 'beam.smp', 8]] as const) {
        fs.mkdirSync(path.join(root, String(pid)));
        fs.writeFileSync(path.join(root, String(pid), 'stat'), stat(pid, comm, u, 1));
      }
      fs.mkdirSync(path.join(root, '9')); // exited between the listing and the read: no stat file
      fs.mkdirSync(path.join(root, 'self'));
      const r = readCpu(root)!;
      expect(r.machineBusyTicks).toBe(16);
      expect([...r.processes]).toEqual([[7, { comm: 'mariadbd', ticks: 71, start: 1234 }], [8, { comm: 'beam.smp', ticks: 9, start: 1234 }]]);
      expect(readCpu(path.join(root, 'absent'))).toBeUndefined();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads this machine\'s /proc where there is one: this process is in it, with its own name', () => {
    const r = readCpu();
    if (process.platform !== 'linux') {
      expect(r).toBeUndefined();
      return;
    }
    expect(r!.processes.get(process.pid)?.comm).toMatch(/node|jest/);
    expect(r!.machineBusyTicks).toBeGreaterThan(0);
  });
});
