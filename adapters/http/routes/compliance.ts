import { Router } from 'express';
import { parsePeriod } from '../../../gateway/compliance';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { complianceToXlsx } from '../../spreadsheet/compliance-export';
import { callerOf } from '../caller';
import type { ObligationsPort } from '../obligation-ports';
import { asQueryError, QueryParams } from './query-params';

/** The media type of an .xlsx workbook. */
export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /v1/compliance?period=YYYY-MM[&unit=CODE]` (issue 6 item 5, Art. 19): per unit, the
 * obligations due in the month met on time, met late (and by how much), open past due, and the
 * reports graded below their own figures. JSON, or the .xlsx workbook of `mmgw compliance
 * --format xlsx` when the Accept header prefers the spreadsheet media type. miit and cncert read
 * every unit (all of them when `unit` is left out); any other institution its own record only.
 */
export function complianceRouter(port: ObligationsPort): Router {
  const router = Router();
  router.get('/v1/compliance', async (req, res) => {
    const q = new QueryParams(req, ['period', 'unit']);
    const period = q.string('period');
    if (period === undefined && q.errors.every((e) => e.path !== 'query.period')) q.refuse('period', 'compliance.bad-period', 'period is required: the month written YYYY-MM (e.g. 2026-11)', 'Art. 19');
    else if (period !== undefined) {
      try {
        parsePeriod(period);
      } catch (e) {
        if (!(e instanceof GatewayError)) throw e;
        q.refuse('period', e.code, e.message, 'Art. 19');
      }
    }
    const unit = q.string('unit');
    q.check();
    const report = await port.compliance({ period: period as string, ...(unit !== undefined && { unit }), caller: callerOf(res) }).catch((e: unknown) => asQueryError(e));
    if (res.headersSent) return;
    if (req.accepts(['application/json', XLSX_MEDIA_TYPE]) === XLSX_MEDIA_TYPE) {
      const workbook = await complianceToXlsx(report);
      if (res.headersSent) return;
      res.status(200).type(XLSX_MEDIA_TYPE)
        .setHeader('Content-Disposition', `attachment; filename="compliance-${report.period}${unit !== undefined ? `-${unit}` : ''}.xlsx"`)
        .send(workbook);
      return;
    }
    res.json(report);
  });
  return router;
}
