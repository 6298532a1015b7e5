import { CPU_GROUPS, type CpuSplit } from './process-cpu';

/** CPU ms per message (or per raw transaction) by process, and of the whole machine. */
export type CpuPerUnit = CpuSplit;

/** The figures of one bench run, as `--json` prints them. */
export interface BenchReport {
  readonly mode: 'services' | 'embedded';
  readonly messages_json: number;
  readonly messages_xml: number;
  /** Submitted before the timed phases, untimed (`--warmup`). */
  readonly warmup_json: number;
  readonly warmup_xml: number;
  readonly recipients_per_message: number;
  /** Submissions in flight, all gateway processes together. */
  readonly concurrency: number;
  /** Gateway processes sharing the database and the vhost, each submitting its share of the messages. */
  readonly processes: number;
  readonly e2e_json_msgs_per_s: number;
  readonly e2e_xml_msgs_per_s: number;
  /** Intake alone (every submit answered, routing not waited for): where the time goes. */
  readonly intake_json_accepts_per_s: number;
  readonly intake_xml_accepts_per_s: number;
  /** CPU ms of all gateway processes together per message (intake, routing, relay, drivers): compare with processes × 1000 / rate. */
  readonly cpu_ms_per_json_msg: number;
  readonly cpu_ms_per_xml_msg: number;
  /** How busy the whole machine was during each phase, % of all its CPUs (the bench, MariaDB, RabbitMQ and anything else running). */
  readonly machine_cpu_busy_pct_json: number;
  readonly machine_cpu_busy_pct_xml: number;
  /**
   * Where the machine's CPU went per message, ms: the gateway processes, the MariaDB server, the
   * RabbitMQ node, the bench's parent, every other process, and the machine in all (read from
   * /proc; null where there is none).
   */
  readonly cpu_ms_per_json_msg_by_process: CpuPerUnit | null;
  readonly cpu_ms_per_xml_msg_by_process: CpuPerUnit | null;
  /** The same per transaction of the raw database baseline (its client is the bench). */
  readonly baseline_db_cpu_ms_per_txn_by_process: CpuPerUnit | null;
  /**
   * Machine CPU per raw transaction / machine CPU per JSON message: what e2e JSON / db txn would
   * be if both ran the machine flat out (they are CPU-bound when the disk's flush is cheap).
   */
  readonly ratio_at_equal_machine_cpu: number | null;
  /** Submit → present in every recipient's mailbox, over both runs. */
  readonly p50_ms: number;
  readonly p99_ms: number;
  readonly json_p50_ms: number;
  readonly json_p99_ms: number;
  readonly xml_p50_ms: number;
  readonly xml_p99_ms: number;
  readonly baseline_db_txn_per_s: number;
  readonly baseline_amqp_msgs_per_s: number | null;
  readonly ratio_e2e_json_to_db_txn: number;
  readonly load_average: readonly number[];
  readonly cpus: number;
  readonly targets: readonly TargetResult[];
}

/** One target of issue 4 item 8 and whether this run met it. */
export interface TargetResult {
  readonly name: string;
  readonly wanted: number;
  readonly got: number;
  readonly pass: boolean;
}

/** The targets: ≥ 1,000 JSON/s, ≥ 500 XML/s, e2e JSON ≥ 0.5 × the raw transaction rate. */
export function judgeTargets(f: { e2eJson: number; e2eXml: number; dbTxn: number }): TargetResult[] {
  const ratio = f.dbTxn > 0 ? f.e2eJson / f.dbTxn : 0;
  return [
    { name: 'e2e JSON msgs/s >= 1000', wanted: 1000, got: round(f.e2eJson), pass: f.e2eJson >= 1000 },
    { name: 'e2e XML msgs/s >= 500', wanted: 500, got: round(f.e2eXml), pass: f.e2eXml >= 500 },
    { name: 'e2e JSON / raw db txn >= 0.5', wanted: 0.5, got: round(ratio, 3), pass: ratio >= 0.5 },
  ];
}

/** `split` (ms over a phase) per one of `count` units, rounded to µs; null without a split or a count. */
export function perUnit(split: CpuSplit | undefined, count: number): CpuPerUnit | null {
  if (split === undefined || !(count > 0)) return null;
  const out = { ...split };
  for (const k of [...CPU_GROUPS, 'machine'] as const) out[k] = round(split[k] / count, 3);
  return out;
}

/** The value at quantile `q` (0..1) of `values` (nearest rank); 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** `n` rounded to `digits` decimals. */
export function round(n: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** `gateway 0.95, MariaDB 0.31, RabbitMQ 0.14, bench 0.01, other 0.03; machine 1.44`. */
function describeCpu(c: CpuPerUnit): string {
  const f = (v: number) => v.toFixed(3);
  return `gateway ${f(c.gateway)}, MariaDB ${f(c.mariadb)}, RabbitMQ ${f(c.rabbitmq)}, bench ${f(c.bench)}, other ${f(c.other)}; machine ${f(c.machine)}`;
}

/** The report as an aligned text table, the targets with PASS/FAIL. */
export function formatTable(r: BenchReport): string {
  const rows: [string, string][] = [
    ['mode', r.mode === 'embedded' ? 'embedded (SQLite file + embedded bus)' : 'services (MariaDB + RabbitMQ)'],
    ['messages', `${r.messages_json} JSON + ${r.messages_xml} XML, ${r.recipients_per_message} recipients each, ${r.concurrency} in flight`],
    ['untimed warm-up before', r.warmup_json + r.warmup_xml > 0 ? `${r.warmup_json} JSON + ${r.warmup_xml} XML` : 'none (--warmup 0)'],
    ['gateway processes', `${r.processes}${r.processes > 1 ? ' (messages and in-flight split evenly; one database, one vhost)' : ''}`],
    ['e2e JSON msgs/s', String(r.e2e_json_msgs_per_s)],
    ['e2e XML msgs/s', String(r.e2e_xml_msgs_per_s)],
    ['intake alone JSON / XML accepts/s', `${r.intake_json_accepts_per_s} / ${r.intake_xml_accepts_per_s}`],
    ['gateway CPU ms per JSON / XML msg', `${r.cpu_ms_per_json_msg} / ${r.cpu_ms_per_xml_msg}`],
    ['machine CPU busy JSON / XML (% of all)', `${r.machine_cpu_busy_pct_json} / ${r.machine_cpu_busy_pct_xml}`],
    ...(r.cpu_ms_per_json_msg_by_process ? [['CPU ms per JSON msg by process', describeCpu(r.cpu_ms_per_json_msg_by_process)] as [string, string]] : []),
    ...(r.cpu_ms_per_xml_msg_by_process ? [['CPU ms per XML msg by process', describeCpu(r.cpu_ms_per_xml_msg_by_process)] as [string, string]] : []),
    ['latency p50 / p99 (ms)', `${r.p50_ms} / ${r.p99_ms} (JSON ${r.json_p50_ms} / ${r.json_p99_ms}, XML ${r.xml_p50_ms} / ${r.xml_p99_ms})`],
    ['baseline db txn/s', String(r.baseline_db_txn_per_s)],
    ['baseline amqp msgs/s', r.baseline_amqp_msgs_per_s === null ? 'n/a (embedded)' : String(r.baseline_amqp_msgs_per_s)],
    ...(r.baseline_db_cpu_ms_per_txn_by_process ? [['baseline db CPU ms per txn by process', describeCpu(r.baseline_db_cpu_ms_per_txn_by_process)] as [string, string]] : []),
    ['e2e JSON / db txn', String(r.ratio_e2e_json_to_db_txn)],
    ...(r.ratio_at_equal_machine_cpu === null ? [] : [['e2e JSON / db txn at equal machine CPU', String(r.ratio_at_equal_machine_cpu)] as [string, string]]),
    ['load average (1/5/15 min)', `${r.load_average.map((l) => l.toFixed(2)).join(' ')} on ${r.cpus} cpus`],
    ...r.targets.map((t): [string, string] => [`target: ${t.name}`, `${t.pass ? 'PASS' : 'FAIL'} (${t.got})`]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
