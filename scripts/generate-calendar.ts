/**
 * Generates gateway/calendar/data/YYYY.json (2012–2026) from the devDependency `chinese-days`
 * (dist/years/YYYY.json, MIT), which carries the State Council's annual schedules.
 * Run from the repository root:
 *
 *   npx tsc --ignoreConfig scripts/generate-calendar.ts --outDir /tmp/mmgw-gen --module node16 --moduleResolution node16 \
 *     --target es2022 --esModuleInterop --skipLibCheck --types node && node /tmp/mmgw-gen/scripts/generate-calendar.js
 *
 * test/gateway/calendar/data-matches-chinese-days.test.ts fails when the files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromChineseDays, type ChineseDaysYear } from '../gateway/calendar/from-chinese-days';

const FIRST = 2012;
const LAST = 2026;
const root = process.cwd();
const version = (JSON.parse(readFileSync(join(root, 'node_modules/chinese-days/package.json'), 'utf8')) as { version: string }).version;

for (let year = FIRST; year <= LAST; year += 1) {
  const source = JSON.parse(readFileSync(join(root, `node_modules/chinese-days/dist/years/${year}.json`), 'utf8')) as ChineseDaysYear;
  const data = fromChineseDays(year, source, `State Council schedule for ${year}, via chinese-days ${version} (dist/years/${year}.json)`);
  writeFileSync(join(root, `gateway/calendar/data/${year}.json`), `${JSON.stringify(data, null, 2)}\n`);
  console.log(`gateway/calendar/data/${year}.json: ${data.holidays.length} holidays, ${data.workdays.length} adjusted working days`);
}
