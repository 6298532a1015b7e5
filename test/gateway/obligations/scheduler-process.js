// A second gateway process for the SQLite scheduler race (scheduler-race.sqlite.test.ts): opens
// the store at argv[2] and runs the obligation scheduler at each instant of argv[3…], printing the
// alerts it sent as JSON. TypeScript is transpiled on require (the test run type-checks it).
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};

const { runScheduler } = require('../../../gateway/obligations/scheduler.ts');
const { openStore } = require('../../../gateway/store/index.ts');

(async () => {
  const [url, ...instants] = process.argv.slice(2);
  const ds = await openStore(url);
  const sent = [];
  for (const at of instants) sent.push(...(await runScheduler(ds, new Date(at))));
  await ds.destroy();
  process.stdout.write(JSON.stringify(sent));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
