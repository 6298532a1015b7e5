import { fork, type ChildProcess } from 'node:child_process';
import { cpus, type CpuInfo } from 'node:os';
import { CHILD_ENTRY } from './child';
import { absoluteNow, checkMailboxes, prepareStore } from './core';
import { readCpu, splitCpu, type CpuSplit } from './process-cpu';
import { PHASES, type ChildSetup, type FromChild, type Phase, type ToChild } from './protocol';

export { BENCH_RECIPIENTS } from './core';

/** One timed phase: how many, messages per second, and each message's submit → in every mailbox latency (ms). */
export interface PhaseResult {
  readonly count: number;
  readonly msgsPerSecond: number;
  /** Accepted by intake per second (every submit answered), the routing not waited for: where the time goes. */
  readonly acceptsPerSecond: number;
  readonly latenciesMs: readonly number[];
  /** CPU time of all gateway processes (user + system) per message, ms. */
  readonly cpuMsPerMessage: number;
  /** How busy the whole machine was over the phase (all CPUs, every process on it), 0..1. */
  readonly machineBusy: number;
  /** Where the machine's CPU went over the phase, ms by process (absent without /proc). */
  readonly cpuSplit?: CpuSplit;
}

/** The share of the CPUs' time between two `os.cpus()` readings spent not idle (0..1; 0 when no time passed). */
export function busyFraction(before: readonly Pick<CpuInfo, 'times'>[], after: readonly Pick<CpuInfo, 'times'>[]): number {
  let total = 0;
  let idle = 0;
  after.forEach((c, i) => {
    const b = before[i]?.times;
    if (b === undefined) return;
    total += (c.times.user - b.user) + (c.times.nice - b.nice) + (c.times.sys - b.sys) + (c.times.irq - b.irq) + (c.times.idle - b.idle);
    idle += c.times.idle - b.idle;
  });
  return total > 0 ? 1 - idle / total : 0;
}

/** `total` split into `parts` whole shares as even as can be (the first ones one larger), in order. */
export function splitEvenly(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * A phase's figures from every process's reports (absolute ms): `submits` each message's submit
 * time, `routed` the earliest time any process's routing committed it, `lastAcceptedAt` the last
 * submit answered, `cpuMs` all processes' CPU over the phase. Throughput = count / (last routed −
 * first submit); accepts/s = count / (last accepted − first submit).
 */
export function phaseResult(submits: ReadonlyMap<string, number>, routed: ReadonlyMap<string, number>, lastAcceptedAt: number, cpuMs: number, machineBusy = 0, cpuSplit?: CpuSplit): PhaseResult {
  const ids = [...submits.keys()];
  const routedAt = (id: string) => {
    const t = routed.get(id);
    if (t === undefined) throw new Error(`bench: ${id} was never routed`);
    return t;
  };
  const start = Math.min(...submits.values());
  const end = Math.max(...ids.map(routedAt));
  return {
    count: ids.length,
    msgsPerSecond: ids.length / ((end - start) / 1000),
    acceptsPerSecond: ids.length / ((lastAcceptedAt - start) / 1000),
    latenciesMs: ids.map((id) => routedAt(id) - submits.get(id)!),
    cpuMsPerMessage: cpuMs / ids.length,
    machineBusy,
    ...(cpuSplit ? { cpuSplit } : {}),
  };
}

/** BENCH_SQL_COUNT: the statements of the JSON phase per message (all processes, intake and routing together), on stderr. */
function printStatements(counts: ReadonlyMap<string, number>, messages: number): void {
  const per = (n: number) => (n / messages).toFixed(2);
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.error(`bench: SQL statements per JSON message: ${per(total)}`);
  for (const [kind, n] of [...counts].sort((a, b) => b[1] - a[1])) console.error(`  ${per(n).padStart(7)}  ${kind}`);
}

/**
 * The gateway processes of a run, forked from child.ts: their messages, and one `failed` promise
 * that rejects as soon as any of them reports an error or exits before it was told to stop, or
 * the run is interrupted (`signal`). `kill` ends those still running and waits for them.
 */
class Gateways {
  readonly procs: ChildProcess[];
  readonly failed: Promise<never>;
  private readonly exited: Promise<void>[];
  private stopping = false;

  constructor(count: number, signal: AbortSignal | undefined) {
    let fail!: (e: Error) => void;
    this.failed = new Promise<never>((_, reject) => { fail = reject; });
    this.failed.catch(() => {}); // observed by whoever awaits; never unhandled
    this.procs = Array.from({ length: count }, () => fork(CHILD_ENTRY, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    this.exited = this.procs.map((p, i) => new Promise<void>((resolve) => {
      p.on('message', (m: FromChild) => { if (m.type === 'error') fail(new Error(`bench: gateway process ${i} failed: ${m.message}`)); });
      p.on('error', (e) => fail(new Error(`bench: gateway process ${i}: ${e.message}`)));
      p.on('exit', (code, sig) => {
        if (!this.stopping || code !== 0) fail(new Error(`bench: gateway process ${i} exited (${sig ?? `code ${code}`}) before the run ended`));
        resolve();
      });
    }));
    const onAbort = () => fail(new Error('bench: interrupted'));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  }

  send(i: number, m: ToChild): void {
    this.procs[i]!.send(m);
  }

  /** Each process's first message that `pick` accepts from now on, in process order (or the failure). */
  collect<T extends FromChild>(pick: (m: FromChild) => m is T): Promise<T[]> {
    return Promise.race([this.failed, Promise.all(this.procs.map((p) => new Promise<T>((resolve) => {
      const on = (m: FromChild) => {
        if (!pick(m)) return;
        p.off('message', on);
        resolve(m);
      };
      p.on('message', on);
    })))]);
  }

  /**
   * Asks every process to stop its core and waits until all have exited; rejects when they have
   * not within `timeoutMs` (a core whose stop hangs), and the caller's `kill` ends them.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    const stopped = this.collect((m): m is Extract<FromChild, { type: 'stopped' }> => m.type === 'stopped');
    this.stopping = true;
    this.procs.forEach((_, i) => this.send(i, { type: 'stop' }));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`bench: the gateway processes did not stop within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    try {
      await Promise.race([late, stopped.then(() => Promise.race([this.failed, Promise.all(this.exited)]))]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGTERM to every process still running (SIGKILL after 5 s); resolves when all have exited. */
  async kill(): Promise<void> {
    this.stopping = true;
    const running = this.procs.filter((p) => p.exitCode === null && p.signalCode === null);
    for (const p of running) p.kill('SIGTERM');
    const hard = setTimeout(() => { for (const p of running) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL'); }, 5000);
    await Promise.all(this.exited);
    clearTimeout(hard);
  }
}

/**
 * The end-to-end runs: the store migrated and the registry seeded once, then `processes` gateway
 * processes started on it, each signing its share of a warm-up (`warmupCount` JSON, then half as
 * many XML), `jsonCount` JSON and `xmlCount`
 * XML documents (before any clock starts) and submitting them with its share of `concurrency` in
 * flight to its own intake, phase by phase in all processes at once; each message is done when
 * some process's routing worker committed it (the routing consumers compete on one queue).
 */
export async function runEndToEnd(options: { databaseUrl: string; amqpUrl?: string; jsonCount: number; xmlCount: number; warmupCount: number; concurrency: number; processes: number; signal?: AbortSignal; timeoutMs?: number }): Promise<{ json: PhaseResult; xml: PhaseResult }> {
  const n = options.processes;
  if (options.signal?.aborted) throw new Error('bench: interrupted');
  await prepareStore(options.databaseUrl);
  const concurrency = splitEvenly(options.concurrency, n);
  const json = splitEvenly(options.jsonCount, n);
  const xml = splitEvenly(options.xmlCount, n);
  const warm = splitEvenly(options.warmupCount, n);
  const profile = process.env.BENCH_CPU_PROFILE;
  const gateways = new Gateways(n, options.signal);
  try {
    const routed = new Map<string, number>();
    let waiting: { pending: Set<string>; done: () => void } | undefined;
    const routedBy = gateways.procs.map(() => 0);
    gateways.procs.forEach((p, i) => p.on('message', (m: FromChild) => {
      if (m.type !== 'routed') return;
      routedBy[i]! += m.entries.length;
      for (const [id, at] of m.entries) {
        const had = routed.get(id);
        if (had === undefined || at < had) routed.set(id, at);
        waiting?.pending.delete(id);
      }
      if (waiting !== undefined && waiting.pending.size === 0) waiting.done();
    }));
    const ready = gateways.collect((m): m is Extract<FromChild, { type: 'ready' }> => m.type === 'ready');
    for (let i = 0; i < n; i += 1) {
      const setup: ChildSetup = {
        index: i, databaseUrl: options.databaseUrl, ...(options.amqpUrl === undefined ? {} : { amqpUrl: options.amqpUrl }),
        counts: { warm: warm[i]!, json: json[i]!, xml: xml[i]! }, concurrency: concurrency[i]!,
        ...(profile ? { profileFile: `${profile}.${i}` } : {}),
      };
      gateways.send(i, { type: 'setup', setup });
    }
    const ids = (await ready).map((r) => r.ids);
    const results = new Map<Phase, PhaseResult>();
    const sql = new Map<string, number>();
    for (const phase of PHASES) {
      const phaseIds = ids.flatMap((x) => x[phase]);
      const allRouted = new Promise<void>((resolve) => {
        waiting = { pending: new Set(phaseIds.filter((id) => !routed.has(id))), done: resolve };
        if (waiting.pending.size === 0) resolve();
      });
      const submitted = gateways.collect((m): m is Extract<FromChild, { type: 'submitted' }> => m.type === 'submitted' && m.phase === phase);
      const deadline = absoluteNow() + (options.timeoutMs ?? 300_000);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`bench: ${waiting?.pending.size ?? '?'} ${phase} messages never reached the mailboxes`)), deadline - absoluteNow());
      });
      timeout.catch(() => {});
      try {
        const machineBefore = cpus();
        const cpuBefore = readCpu();
        for (let i = 0; i < n; i += 1) gateways.send(i, { type: 'go', phase });
        const reports = await Promise.race([gateways.failed, timeout, Promise.all([submitted, allRouted]).then(([s]) => s)]);
        const machineBusy = busyFraction(machineBefore, cpus());
        const cpuAfter = readCpu();
        const cpuSplit = cpuBefore && cpuAfter ? splitCpu(cpuBefore, cpuAfter, new Set(gateways.procs.map((p) => p.pid!)), process.pid) : undefined;
        const ended = gateways.collect((m): m is Extract<FromChild, { type: 'ended' }> => m.type === 'ended' && m.phase === phase);
        for (let i = 0; i < n; i += 1) gateways.send(i, { type: 'end', phase });
        const cpu = await Promise.race([timeout, ended]);
        waiting = undefined;
        const submits = new Map(reports.flatMap((r) => r.submits.map(([id, at]) => [id, at] as const)));
        results.set(phase, phaseResult(submits, routed, Math.max(...reports.map((r) => r.acceptedAt)), cpu.reduce((a, c) => a + c.cpuMs, 0), machineBusy, cpuSplit));
        for (const c of cpu) for (const [kind, count] of c.sql ?? []) sql.set(kind, (sql.get(kind) ?? 0) + count);
      } finally {
        clearTimeout(timer);
      }
    }
    if (process.env.BENCH_SQL_COUNT) printStatements(sql, options.jsonCount);
    // The routing consumers compete on one queue: how the routing work fell (warm-up included).
    if (n > 1) console.error(`bench: messages routed by each gateway process: ${routedBy.join(' / ')}`);
    await gateways.stop();
    await checkMailboxes(options.databaseUrl, ids.flatMap((x) => PHASES.flatMap((p) => x[p])));
    return { json: results.get('json')!, xml: results.get('xml')! };
  } finally {
    await gateways.kill();
  }
}
