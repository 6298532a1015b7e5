import * as fs from 'node:fs';

/**
 * Where the machine's CPU goes during a bench phase, by process: the gateway processes, the
 * MariaDB server, the RabbitMQ node, the bench itself, everything else (Linux: /proc; elsewhere
 * nothing is read and the split is absent). The servers are found by name, so a server of
 * another project on the same machine counts as theirs too.
 */
export const CPU_GROUPS = ['gateway', 'mariadb', 'rabbitmq', 'bench', 'other'] as const;
export type CpuGroup = (typeof CPU_GROUPS)[number];

/** CPU ms of each group, and the machine's busy ms over all its CPUs. */
export type CpuSplit = Readonly<Record<CpuGroup | 'machine', number>>;

/** One process in a reading: its name, user + system ticks, and start time (ticks after boot). */
export interface ProcessTicks {
  readonly comm: string;
  readonly ticks: number;
  readonly start: number;
}

/** A reading: each process's user + system ticks and the machine's busy ticks. */
export interface CpuReading {
  readonly processes: ReadonlyMap<number, ProcessTicks>;
  readonly machineBusyTicks: number;
}

/** The process name (`comm`), utime + stime (all its threads) and starttime of a /proc/<pid>/stat line. */
export function parseProcStat(text: string): ProcessTicks {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`not a /proc/<pid>/stat line: ${text.slice(0, 80)}`);
  const fields = text.slice(close + 2).trim().split(/\s+/);
  // Fields after the name start at field 3 (state): utime is field 14, stime field 15, starttime field 22.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const start = Number(fields[19]);
  if (![utime, stime, start].every(Number.isFinite)) throw new Error(`no utime/stime/starttime in /proc/<pid>/stat: ${text.slice(0, 80)}`);
  return { comm: text.slice(open + 1, close), ticks: utime + stime, start };
}

/** Busy ticks of all CPUs from the `cpu ` line of /proc/stat (everything but idle and iowait; guest time is already in user). */
export function parseMachineBusy(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) throw new Error('no "cpu " line in /proc/stat');
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce((a: number, b) => a + (b ?? 0), 0);
}

/** Which group a process belongs to (`gateway`: one of `gatewayPids`; `bench`: `benchPid`). */
export function groupOf(pid: number, comm: string, gatewayPids: ReadonlySet<number>, benchPid: number): CpuGroup {
  if (gatewayPids.has(pid)) return 'gateway';
  if (pid === benchPid) return 'bench';
  if (comm === 'mariadbd' || comm === 'mysqld') return 'mariadb';
  // The Erlang VM (its scheduler threads are in beam.smp's own ticks) and its helpers.
  if (comm === 'beam.smp' || comm === 'erl_child_setup' || comm === 'epmd' || comm === 'inet_gethost') return 'rabbitmq';
  return 'other';
}

/** Reads every process's ticks and the machine's; undefined where there is no /proc. */
export function readCpu(root = '/proc'): CpuReading | undefined {
  let machine: string;
  try {
    machine = fs.readFileSync(`${root}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const processes = new Map<number, ProcessTicks>();
  for (const name of fs.readdirSync(root)) {
    if (!/^\d+$/.test(name)) continue;
    try {
      processes.set(Number(name), parseProcStat(fs.readFileSync(`${root}/${name}/stat`, 'utf8')));
    } catch {
      // Gone since the listing, or not readable: it counts as nothing.
    }
  }
  return { processes, machineBusyTicks: parseMachineBusy(machine) };
}

/**
 * CPU ms by group between two readings (`ticksPerSecond`: USER_HZ, 100 on Linux). A process is
 * known by its pid and start time, not its name (kernel workers rename themselves after their
 * current work queue, Node after `process.title`): one that started after `before` (a reused pid
 * too) counts from zero; one that exited before `after` is lost (its last ticks were not read), so
 * `other` may fall short of the machine's busy time minus the groups.
 */
export function splitCpu(before: CpuReading, after: CpuReading, gatewayPids: ReadonlySet<number>, benchPid: number, ticksPerSecond = 100): CpuSplit {
  const ms = (ticks: number) => (ticks * 1000) / ticksPerSecond;
  const split: Record<CpuGroup | 'machine', number> = { gateway: 0, mariadb: 0, rabbitmq: 0, bench: 0, other: 0, machine: ms(after.machineBusyTicks - before.machineBusyTicks) };
  for (const [pid, p] of after.processes) {
    const was = before.processes.get(pid);
    const delta = was !== undefined && was.start === p.start ? p.ticks - was.ticks : p.ticks;
    if (delta > 0) split[groupOf(pid, p.comm, gatewayPids, benchPid)] += ms(delta);
  }
  return split;
}
