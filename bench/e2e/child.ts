// One gateway process of `npm run bench` (forked by run-e2e.ts): a whole core as the composition
// root builds it, on the run's prepared database and vhost, submitting its share of the documents
// to its own intake when the parent says go, and streaming the ids its routing worker committed.
import { absoluteNow, startCore, signedReports, type Core } from './core';
import { startProfile } from './profile';
import { PHASES, warmupXmlOf, type ChildSetup, type FromChild, type Phase, type ToChild } from './protocol';

/** This file, compiled: what the parent forks. */
export const CHILD_ENTRY = __filename;

function send(m: FromChild): void {
  process.send!(m);
}

async function runChild(): Promise<void> {
  let core: Core | undefined;
  let docs: Record<Phase, { id: string; bytes: Buffer }[]> | undefined;
  let setup: ChildSetup | undefined;
  let cpuStart: NodeJS.CpuUsage | undefined;
  let stopProfile: (() => Promise<void>) | undefined;
  let sqlCounts: [string, number][] | undefined;
  let routed: [string, number][] = [];
  let stopping = false;
  const flush = () => {
    if (routed.length === 0) return;
    send({ type: 'routed', entries: routed });
    routed = [];
  };
  const flusher = setInterval(flush, 10);

  const handle = async (m: ToChild): Promise<void> => {
    if (m.type === 'setup') {
      setup = m.setup;
      core = await startCore(setup.databaseUrl, setup.amqpUrl, (id, at) => { routed.push([id, at]); });
      const tag = (p: Phase) => `${p[0]}${setup!.index}`;
      docs = {
        warm: [
          ...await signedReports(core.credential, 'json', setup.counts.warm, tag('warm')),
          ...await signedReports(core.credential, 'xml', warmupXmlOf(setup.counts.warm), `${tag('warm')}x`),
        ],
        json: await signedReports(core.credential, 'json', setup.counts.json, tag('json')),
        xml: await signedReports(core.credential, 'xml', setup.counts.xml, tag('xml')),
      };
      const ids = Object.fromEntries(PHASES.map((p) => [p, docs![p].map((d) => d.id)])) as Record<Phase, string[]>;
      send({ type: 'ready', ids });
    } else if (m.type === 'go') {
      const c = core!;
      const list = docs![m.phase];
      if (m.phase === 'json') {
        c.sql?.reset();
        stopProfile = await startProfile(setup!.profileFile);
      }
      cpuStart = process.cpuUsage();
      const submits: [string, number][] = [];
      let next = 0;
      await Promise.all(Array.from({ length: setup!.concurrency }, async () => {
        while (next < list.length) {
          const doc = list[next++]!;
          submits.push([doc.id, absoluteNow()]);
          const out = await c.intake.submit({ bytes: doc.bytes, caller: 'op-cmcc' });
          if (!out.accepted) throw new Error(`bench: intake refused ${doc.id}: ${JSON.stringify(out.errors)}`);
        }
      }));
      const acceptedAt = absoluteNow();
      flush();
      send({ type: 'submitted', phase: m.phase, submits, acceptedAt });
    } else if (m.type === 'end') {
      flush();
      const used = process.cpuUsage(cpuStart);
      if (m.phase === 'json') sqlCounts = core!.sql?.counts();
      if (m.phase === 'xml') await stopProfile?.();
      send({ type: 'ended', phase: m.phase, cpuMs: (used.user + used.system) / 1000, ...(m.phase === 'json' && sqlCounts ? { sql: sqlCounts } : {}) });
    } else {
      clearInterval(flusher);
      stopping = true;
      await core?.stop();
      core = undefined;
      send({ type: 'stopped' });
      process.disconnect();
      setTimeout(() => process.exit(0), 500).unref(); // only if some handle is still holding the process
    }
  };

  const fail = (e: unknown) => {
    const message = e instanceof Error ? e.stack ?? e.message : String(e);
    console.error(`bench: gateway process ${setup?.index ?? '?'}: ${message}`);
    setTimeout(() => process.exit(1), 1000).unref();
    try {
      process.send!({ type: 'error', message } satisfies FromChild, () => process.exit(1));
    } catch {
      process.exit(1);
    }
  };
  // One message at a time, in order (the parent waits for each answer anyway).
  let queue = Promise.resolve();
  process.on('message', (m: ToChild) => { queue = queue.then(() => handle(m)).catch(fail); });
  // The parent went away (crashed, killed, interrupted): nothing to report to, stop at once.
  process.on('disconnect', () => { if (!stopping) process.exit(1); });
}

if (require.main === module) {
  if (process.send === undefined) {
    console.error('bench/e2e/child.js is a gateway process of `npm run bench`: it is forked by it, not run alone');
    process.exit(2);
  }
  runChild().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
