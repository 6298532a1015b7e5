// `npm run bench` (issue 4, item 8): end-to-end throughput and latency — signed IncidentReports
// submitted through Intake with the routing worker running, until each is in every recipient's
// mailbox — beside the raw durable database transaction rate and the raw AMQP rate of the same
// run. Services by default (MariaDB + RabbitMQ, a fresh database and vhost, removed after);
// --embedded: a SQLite temp file and the embedded bus. --processes N (default 1; only 1 with
// --embedded) gateway processes share the work (bench/e2e/run-e2e.ts, child.ts).
// A measurement: exits 0 whatever the targets.
import * as fs from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { GatewayError } from '../contracts/errors/gateway-error';
import { amqpMsgsPerSecond } from './e2e/baseline-amqp';
import { mariadbTxnPerSecond, sqliteTxnPerSecond } from './e2e/baseline-db';
import { BENCH_USAGE, parseBenchArgs, wantsHelp, type BenchArgs } from './e2e/args';
import type { Baseline } from './e2e/baseline-db';
import { formatTable, judgeTargets, perUnit, quantile, round, type BenchReport } from './e2e/report';
import { BENCH_RECIPIENTS, runEndToEnd, splitEvenly } from './e2e/run-e2e';
import { warmupXmlOf } from './e2e/protocol';
import { freshDatabase, freshVhost, type Fresh } from './e2e/services';
import { runEmailBench } from './email';

async function bench(args: BenchArgs, signal: AbortSignal): Promise<BenchReport> {
  const dir = fs.mkdtempSync(path.join(tmpdir(), 'mmgw-bench-'));
  const cleanup: Fresh[] = [];
  const blob = Buffer.alloc(2048, 'x');
  try {
    let databaseUrl: string;
    let amqpUrl: string | undefined;
    let baseline: Baseline;
    let amqpRate: number | null = null;
    if (args.embedded) {
      databaseUrl = `sqlite:${path.join(dir, 'mmgw.sqlite')}`;
      baseline = await sqliteTxnPerSecond(path.join(dir, 'baseline.sqlite'), blob);
    } else {
      const db = await freshDatabase();
      cleanup.push(db);
      const vhost = freshVhost();
      cleanup.push(vhost);
      databaseUrl = db.url;
      amqpUrl = vhost.url;
      baseline = await mariadbTxnPerSecond(db.url, blob);
      amqpRate = await amqpMsgsPerSecond(vhost.url, blob);
    }
    const dbTxn = baseline.perSecond;
    const e2e = await runEndToEnd({ databaseUrl, amqpUrl, jsonCount: args.messages, xmlCount: Math.max(1, Math.floor(args.messages / 2)), warmupCount: args.warmup, concurrency: args.concurrency, processes: args.processes, signal });
    const all = [...e2e.json.latenciesMs, ...e2e.xml.latenciesMs];
    const ms = (v: number) => round(v, 1);
    const jsonCpu = perUnit(e2e.json.cpuSplit, e2e.json.count);
    const dbCpu = perUnit(baseline.cpu, baseline.count);
    return {
      mode: args.embedded ? 'embedded' : 'services',
      messages_json: e2e.json.count,
      messages_xml: e2e.xml.count,
      warmup_json: args.warmup,
      warmup_xml: splitEvenly(args.warmup, args.processes).reduce((a, w) => a + warmupXmlOf(w), 0),
      recipients_per_message: BENCH_RECIPIENTS.length,
      concurrency: args.concurrency,
      processes: args.processes,
      e2e_json_msgs_per_s: round(e2e.json.msgsPerSecond),
      e2e_xml_msgs_per_s: round(e2e.xml.msgsPerSecond),
      intake_json_accepts_per_s: round(e2e.json.acceptsPerSecond),
      intake_xml_accepts_per_s: round(e2e.xml.acceptsPerSecond),
      cpu_ms_per_json_msg: round(e2e.json.cpuMsPerMessage, 2),
      cpu_ms_per_xml_msg: round(e2e.xml.cpuMsPerMessage, 2),
      machine_cpu_busy_pct_json: round(e2e.json.machineBusy * 100),
      machine_cpu_busy_pct_xml: round(e2e.xml.machineBusy * 100),
      cpu_ms_per_json_msg_by_process: jsonCpu,
      cpu_ms_per_xml_msg_by_process: perUnit(e2e.xml.cpuSplit, e2e.xml.count),
      baseline_db_cpu_ms_per_txn_by_process: dbCpu,
      ratio_at_equal_machine_cpu: jsonCpu && dbCpu && jsonCpu.machine > 0 ? round(dbCpu.machine / jsonCpu.machine, 3) : null,
      p50_ms: ms(quantile(all, 0.5)),
      p99_ms: ms(quantile(all, 0.99)),
      json_p50_ms: ms(quantile(e2e.json.latenciesMs, 0.5)),
      json_p99_ms: ms(quantile(e2e.json.latenciesMs, 0.99)),
      xml_p50_ms: ms(quantile(e2e.xml.latenciesMs, 0.5)),
      xml_p99_ms: ms(quantile(e2e.xml.latenciesMs, 0.99)),
      baseline_db_txn_per_s: round(dbTxn),
      baseline_amqp_msgs_per_s: amqpRate === null ? null : round(amqpRate),
      ratio_e2e_json_to_db_txn: round(e2e.json.msgsPerSecond / dbTxn, 3),
      load_average: loadavg().map((l) => round(l, 2)),
      cpus: cpus().length,
      targets: judgeTargets({ e2eJson: e2e.json.msgsPerSecond, e2eXml: e2e.xml.msgsPerSecond, dbTxn }),
    };
  } finally {
    for (const f of cleanup.reverse()) await f.drop().catch((e: unknown) => console.error(`bench: cleanup: ${e instanceof Error ? e.message : String(e)}`));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (wantsHelp(process.argv.slice(2))) {
    console.log(BENCH_USAGE);
    return;
  }
  if (process.argv.includes('--email')) return runEmailBench(process.argv.slice(2).filter((a) => a !== '--email'));
  let args: BenchArgs;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof GatewayError ? `bench: ${e.code}: ${e.message}` : e);
    process.exitCode = 2;
    return;
  }
  // Ctrl-C / SIGTERM: the gateway processes are killed and the fresh database and vhost dropped
  // before exiting (130); a second signal exits at once (the processes exit when we are gone).
  const interrupt = new AbortController();
  const onSignal = () => {
    if (interrupt.signal.aborted) process.exit(130);
    console.error('bench: interrupted: stopping the gateway processes and cleaning up (again to exit at once)');
    process.exitCode = 130;
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const report = await bench(args, interrupt.signal);
  console.log(args.json ? JSON.stringify(report) : formatTable(report));
}

main().catch((e: unknown) => {
  console.error(`bench: failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  if (process.exitCode !== 130) process.exitCode = 1;
});
