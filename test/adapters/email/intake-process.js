// A gateway process running the e-mail intake (ImapIntake → the real Intake on SQLite) for the
// exactly-once test (exactly-once.dovecot.test.ts), so the test can SIGKILL it mid-batch.
// argv[2]: JSON { url, imap: { host, port, user, pass }, caPem, gatewayKeyPem, gatewayCertPem }.
// Prints one JSON line per handled mail ({ handled: uid, folder, ids }) and per error ({ error }).
// TypeScript is transpiled on require (the test run type-checks the sources).
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};

const { openStore } = require('../../../gateway/store/index.ts');
const { Intake } = require('../../../gateway/intake/index.ts');
const { obligationHooks } = require('../../../gateway/obligations/hooks.ts');
const { gatewayIdentityFromPem } = require('../../../gateway/identity/index.ts');
const { TrustStore } = require('../../../gateway/signing/trust-store.ts');
const { systemClock } = require('../../../gateway/clock/index.ts');
const { ImapIntake, intakePortFor, contactDirectoryFor, storeCursor, unsignedMailPortFor } = require('../../../adapters/email/index.ts');

(async () => {
  const config = JSON.parse(process.argv[2]);
  const ds = await openStore(config.url);
  const identity = gatewayIdentityFromPem(config.gatewayKeyPem, config.gatewayCertPem);
  const hooks = obligationHooks();
  const intake = new Intake(ds, { trust: new TrustStore([config.caPem]), identity, clock: systemClock, hooks });
  const loop = new ImapIntake({
    imap: { host: config.imap.host, port: config.imap.port, secure: false, auth: { user: config.imap.user, pass: config.imap.pass } },
    cursor: storeCursor(ds),
    deps: { intake: intakePortFor(intake), contacts: contactDirectoryFor(ds), unsigned: unsignedMailPortFor({ dataSource: ds, identity, clock: systemClock, hooks }) },
    onHandled: async (report, uid) => {
      const ids = report.outcomes.map((o) => (o.outcome.outcome === 'accepted' ? o.outcome.messageId : o.outcome.code));
      process.stdout.write(`${JSON.stringify({ handled: uid, folder: report.folder, ids })}\n`);
    },
    onError: (e) => process.stdout.write(`${JSON.stringify({ error: e.code, message: e.message })}\n`),
    backoff: { initialMs: 50, maxMs: 400 },
  });
  loop.start();
  process.on('SIGTERM', () => { loop.stop().then(() => ds.destroy()).then(() => process.exit(0)); });
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
