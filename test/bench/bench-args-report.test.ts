import { GatewayError } from '../../contracts/errors/gateway-error';
import { BENCH_DEFAULTS, BENCH_USAGE, parseBenchArgs, wantsHelp } from '../../bench/e2e/args';
import { formatTable, judgeTargets, quantile, type BenchReport } from '../../bench/e2e/report';

describe('npm run bench: arguments', () => {
  it('defaults to the services, the table, 3,000 JSON messages, 64 in flight, one gateway process, a warm-up of 5,000', () => {
    expect(parseBenchArgs([])).toEqual({ embedded: false, json: false, messages: 3000, concurrency: 64, processes: 1, warmup: 5000 });
    expect(BENCH_DEFAULTS.processes).toBe(1);
  });

  it('reads --embedded, --json, --messages N and --concurrency=N; --embedded runs one process', () => {
    expect(parseBenchArgs(['--embedded', '--json', '--messages', '500', '--concurrency=8'])).toEqual({ embedded: true, json: true, messages: 500, concurrency: 8, processes: 1, warmup: 5000 });
  });

  it('reads --warmup N and --warmup=N, 0 for none', () => {
    expect(parseBenchArgs(['--warmup', '500']).warmup).toBe(500);
    expect(parseBenchArgs(['--warmup=0']).warmup).toBe(0);
  });

  it('reads --processes N and --processes=N, on the services and (1) embedded', () => {
    expect(parseBenchArgs(['--processes', '3']).processes).toBe(3);
    expect(parseBenchArgs(['--processes=1']).processes).toBe(1);
    expect(parseBenchArgs(['--processes', '1', '--embedded'])).toMatchObject({ embedded: true, processes: 1 });
    expect(parseBenchArgs(['--processes', '4', '--concurrency', '4'])).toMatchObject({ concurrency: 4, processes: 4 });
  });

  it.each([
    [['--messages'], '--messages', /positive whole number, got nothing/],
    [['--messages', '0'], '--messages', /got "0"/],
    [['--concurrency', '2.5'], '--concurrency', /got "2.5"/],
    [['--fast'], '--fast', /unknown option "--fast"/],
    [['--json=yes'], '--json=yes', /unknown option/],
    [['--processes'], '--processes', /positive whole number, got nothing/],
    [['--processes', '0'], '--processes', /got "0"/],
    [['--embedded', '--processes', '2'], '--processes', /--embedded runs one gateway process.*got 2/],
    [['--processes=2', '--embedded'], '--processes', /--embedded runs one gateway process.*got 2/],
    [['--processes', '3', '--concurrency', '2'], '--concurrency', /at least --processes \(3\)/],
    [['--warmup'], '--warmup', /whole number \(0 or more\), got nothing/],
    [['--warmup', '-1'], '--warmup', /got "-1"/],
    [['--warmup', '01'], '--warmup', /got "01"/],
  ])('refuses %j saying which option and why', (argv, path, message) => {
    let error: unknown;
    try {
      parseBenchArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'usage.invalid-argument', facts: { path } });
    expect((error as Error).message).toMatch(message);
  });

  it('answers --help and -h anywhere on the line with a usage text naming every option and its default', () => {
    expect(wantsHelp(['--help'])).toBe(true);
    expect(wantsHelp(['--messages', '10', '-h'])).toBe(true);
    expect(wantsHelp(['--json'])).toBe(false);
    for (const option of ['--embedded', '--json', '--messages N', '--concurrency N', '--processes N', '--warmup N', '--email', '--help']) expect(BENCH_USAGE).toContain(option);
    expect(BENCH_USAGE).toMatch(/--messages N .*\(default 3000\)/);
    expect(BENCH_USAGE).toMatch(/--concurrency N .*\(default 64\)/);
    expect(BENCH_USAGE).toMatch(/--warmup N .*\(default 5000; 0: none\)/);
    // every option the usage names is one the parser takes (or --email / --help, handled before it)
    const named = [...BENCH_USAGE.matchAll(/^ {2}(--[a-z]+)( N)?/gm)].map(([, flag, takesN]) => (takesN ? [flag!, '1'] : [flag!]));
    expect(named.length).toBe(8);
    for (const argv of named.filter(([flag]) => flag !== '--email' && flag !== '--help')) expect(() => parseBenchArgs(argv)).not.toThrow();
  });

  it('points at --help when it refuses an option', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/--help says more/);
  });

  it('leaves the defaults alone', () => {
    parseBenchArgs(['--embedded']);
    expect(BENCH_DEFAULTS.embedded).toBe(false);
  });
});

describe('npm run bench: report', () => {
  it('takes nearest-rank quantiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([quantile(values, 0.5), quantile(values, 0.99), quantile(values, 1), quantile([], 0.5)]).toEqual([50, 99, 100, 0]);
  });

  it('judges the issue\'s targets: 1,000 JSON/s, 500 XML/s, JSON ≥ 0.5 × raw transactions', () => {
    expect(judgeTargets({ e2eJson: 1200, e2eXml: 499, dbTxn: 2600 }).map((t) => [t.name, t.pass, t.got])).toEqual([
      ['e2e JSON msgs/s >= 1000', true, 1200],
      ['e2e XML msgs/s >= 500', false, 499],
      ['e2e JSON / raw db txn >= 0.5', false, 0.462],
    ]);
    expect(judgeTargets({ e2eJson: 10, e2eXml: 10, dbTxn: 0 })[2]!.pass).toBe(false);
  });

  it('prints every figure, the load and each target with PASS or FAIL', () => {
    const report: BenchReport = {
      mode: 'embedded', messages_json: 300, messages_xml: 150, warmup_json: 2000, warmup_xml: 1000, recipients_per_message: 3, concurrency: 64, processes: 2,
      e2e_json_msgs_per_s: 1100, e2e_xml_msgs_per_s: 80, intake_json_accepts_per_s: 1300, intake_xml_accepts_per_s: 90, cpu_ms_per_json_msg: 0.8, cpu_ms_per_xml_msg: 9, machine_cpu_busy_pct_json: 97, machine_cpu_busy_pct_xml: 88,
      p50_ms: 12.5, p99_ms: 40, json_p50_ms: 10, json_p99_ms: 30, xml_p50_ms: 20, xml_p99_ms: 41,
      baseline_db_txn_per_s: 2000, baseline_amqp_msgs_per_s: null, ratio_e2e_json_to_db_txn: 0.55,
      cpu_ms_per_json_msg_by_process: { gateway: 0.8, mariadb: 0.31, rabbitmq: 0.125, bench: 0.004, other: 0.02, machine: 1.3 },
      cpu_ms_per_xml_msg_by_process: null,
      baseline_db_cpu_ms_per_txn_by_process: { gateway: 0, mariadb: 0.115, rabbitmq: 0, bench: 0.09, other: 0.005, machine: 0.21 },
      ratio_at_equal_machine_cpu: 0.162,
      load_average: [3.5, 2, 1], cpus: 2, targets: judgeTargets({ e2eJson: 1100, e2eXml: 80, dbTxn: 2000 }),
    };
    const table = formatTable(report);
    expect(table).toMatch(/^e2e JSON msgs\/s\s+1100$/m);
    expect(table).toMatch(/^untimed warm-up before\s+2000 JSON \+ 1000 XML$/m);
    expect(formatTable({ ...report, warmup_json: 0, warmup_xml: 0 })).toMatch(/^untimed warm-up before\s+none \(--warmup 0\)$/m);
    expect(table).toMatch(/^gateway CPU ms per JSON \/ XML msg\s+0\.8 \/ 9$/m);
    expect(table).toMatch(/^machine CPU busy JSON \/ XML \(% of all\)\s+97 \/ 88$/m);
    expect(table).toMatch(/^gateway processes\s+2 \(messages and in-flight split evenly; one database, one vhost\)$/m);
    expect(table).toMatch(/^baseline amqp msgs\/s\s+n\/a \(embedded\)$/m);
    expect(table).toMatch(/^CPU ms per JSON msg by process\s+gateway 0\.800, MariaDB 0\.310, RabbitMQ 0\.125, bench 0\.004, other 0\.020; machine 1\.300$/m);
    expect(table).not.toMatch(/CPU ms per XML msg by process/); // no split read: no row rather than zeros
    expect(table).toMatch(/^baseline db CPU ms per txn by process\s+gateway 0\.000, MariaDB 0\.115, RabbitMQ 0\.000, bench 0\.090, other 0\.005; machine 0\.210$/m);
    expect(table).toMatch(/^e2e JSON \/ db txn at equal machine CPU\s+0\.162$/m);
    expect(table).toMatch(/^load average \(1\/5\/15 min\)\s+3\.50 2\.00 1\.00 on 2 cpus$/m);
    expect(table).toMatch(/^target: e2e JSON msgs\/s >= 1000\s+PASS \(1100\)$/m);
    expect(table).toMatch(/^target: e2e XML msgs\/s >= 500\s+FAIL \(80\)$/m);
    expect(table).toMatch(/^target: e2e JSON \/ raw db txn >= 0\.5\s+PASS \(0\.55\)$/m);
  });
});
