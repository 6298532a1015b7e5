import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { emergencyNoticeOf, registerPaperOriginal, type FieldError, type PaperOriginalDeps, type PaperOriginalOptions } from '../../../../gateway/emergency';
import { html } from '../html';
import type { ConsolePage, PageContext } from '../page';
import { WRITING_ROLES } from '../roles';
import { noticeBody } from './phone-log-view';

/** The notice a request names (by default in its `notice` field or query), checked to be the user's to see; `emergency.unknown-notice` (404) otherwise. */
export async function noticeOf(c: PageContext, id: string, field = 'notice') {
  const notice = id === '' ? undefined : await emergencyNoticeOf(c.ds, id, c.now);
  if (notice === undefined) throw new GatewayError('emergency.unknown-notice', `no EmergencyNotice has the id "${id}"`, { field, article: 'Art. 15' });
  c.requireInstitution(notice.institution);
  return notice;
}

/**
 * 登记书面原件 — the paper original of a notice given by phone or e-mail first (Art. 15 "后补书面
 * 材料"): a multipart form (document number 文号, received time, scan) posted from the notice's
 * page. registerPaperOriginal closes `written-followup` (met, or met late) in one transaction
 * with its audit entry; the scan is kept with its SHA-256. A bad field is named on the notice's
 * page (422); a second registration (409), a follow-up closed by the signed form (409) or an
 * unknown notice (404) is refused; nothing changes. An institution administrator registers for
 * its own institution only (403).
 */
export function paperOriginalPage(deps: PaperOriginalDeps, options: PaperOriginalOptions = {}): ConsolePage {
  return {
    path: '/art15/paper-original',
    title: { zh: '登记书面原件', en: 'Register a paper original' },
    roles: WRITING_ROLES,
    postRoles: WRITING_ROLES,
    nav: false,
    async post(c) {
      const notice = await noticeOf(c, (c.form.notice ?? '').trim());
      const scan = c.files.scan;
      try {
        const r = await registerPaperOriginal(deps, {
          noticeId: notice.messageId, documentNumber: c.form.documentNumber ?? '', receivedAt: c.form.receivedAt ?? '', registeredBy: c.user.username,
          ...(scan && { scan: { name: scan.name, bytes: scan.bytes } }),
        }, options);
        await c.audit('paper-original', notice.messageId, { documentNumber: (c.form.documentNumber ?? '').trim(), sha256: r.sha256, followup: r.followup.state });
        return { redirect: c.href('/art15/notice', { id: notice.messageId, registered: 1 }) };
      } catch (e) {
        if (!(e instanceof GatewayError) || e.code !== 'emergency.bad-paper-original') throw e;
        return {
          status: 422, title: { zh: `先行通报 — ${notice.institution}`, en: `Notice given first — ${notice.institution}` },
          body: html`${noticeBody(c, notice, { values: c.form, errors: e.facts.errors as FieldError[] })}`,
        };
      }
    },
  };
}
