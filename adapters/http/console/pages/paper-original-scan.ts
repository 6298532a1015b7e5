import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { paperOriginalScan } from '../../../../gateway/emergency';
import type { ConsolePage } from '../page';
import { ANY_ROLE } from '../roles';
import { noticeOf } from './paper-original';

/** The scan of a registered paper original, as uploaded (its media type recognised from the bytes), for whoever may see the notice. */
export const paperOriginalScanPage: ConsolePage = {
  path: '/art15/paper-original/scan',
  title: { zh: '书面原件扫描件', en: 'Scan of the paper original' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const notice = await noticeOf(c, c.query('notice') ?? '');
    const scan = await paperOriginalScan(c.ds, notice.messageId);
    if (scan === undefined) throw new GatewayError('emergency.unknown-notice', `no paper original is registered for ${notice.messageId}`, { field: 'notice', article: 'Art. 15' });
    return {
      document: scan.bytes, contentType: scan.mediaType,
      headers: { 'Content-Disposition': `attachment; filename="${scan.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(scan.fileName)}`, 'X-Content-SHA256': scan.sha256 },
    };
  },
};
