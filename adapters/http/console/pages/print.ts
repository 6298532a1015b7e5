import { createHash } from 'node:crypto';
import { In } from 'typeorm';
import { decode } from '../../../../contracts/codec';
import { GatewayError } from '../../../../contracts/errors/gateway-error';
import { InstitutionEntity, MessageEntity, type MessageRow } from '../../../../gateway/store';
import { DEFAULT_CHROMIUM_PATH, renderPdf, renderPrintForm, signerCertificateOf, type PrintedForm } from '../../../print';
import { esc } from '../html';
import type { ConsolePage, PageContext } from '../page';
import { ANY_ROLE, type ConsoleRole } from '../roles';
import type { SessionUser } from '../sessions';

/**
 * Who may print any message: the gateway's administrators, its auditors, and its clerks — who
 * read every trace and handle the paper of Art. 15. Everyone else only the messages their
 * institution sent or received.
 */
const SEE_ALL: readonly ConsoleRole[] = ['gateway-admin', 'auditor', 'clerk'];

/** Whether `user` may print `message`: a gateway administrator, auditor or clerk any, anyone else only one its institution sent or received (to or cc). */
export function mayPrint(user: SessionUser, message: Pick<MessageRow, 'fromCode' | 'toCodes' | 'ccCodes'>): boolean {
  const own = user.institution;
  // A clerk who works for an institution is scoped to it, as on every other page (the trace's 403).
  return (SEE_ALL.includes(user.role) && !(user.role === 'clerk' && own !== null)) || (own !== null && (message.fromCode === own || message.toCodes.includes(own) || message.ccCodes.includes(own)));
}

/** The print button's handler: the console serves no other script, and this one only under its hash. */
const PRINT_SCRIPT = "document.getElementById('print-button').addEventListener('click',function(){window.print();});";

const sha256Source = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * The stored message `c.params.id` if the user may see it: a gateway administrator or auditor any,
 * anyone else (an institution administrator, a clerk of an institution) only a message its
 * institution sent or received (to or cc). An unknown id and a message the user may not see get
 * the same `console.not-found` (404), so the page does not tell which ids exist; both are audited.
 */
async function messageFor(c: PageContext, format: 'html' | 'pdf'): Promise<MessageRow> {
  const id = c.params.id ?? '';
  const message = await c.ds.manager.findOne(MessageEntity, { where: { id } });
  if (message === null || !mayPrint(c.user, message)) {
    await c.audit('print-refused', id.slice(0, 191) || '-', { format, code: 'console.not-found' });
    throw new GatewayError('console.not-found', `there is no message "${id}" that ${c.user.username} may see`, { message: id });
  }
  return message;
}

/** The message as its official form (adapters/print), from the exact signed bytes the gateway stores. */
async function printed(c: PageContext, message: MessageRow, screen: boolean): Promise<PrintedForm> {
  const decoded = decode(message.bytes);
  const doc = decoded.document;
  if (!decoded.ok || doc === undefined || typeof doc.body !== 'object' || doc.body === null) {
    // Intake stored only what it decoded; a row that no longer decodes is a broken store, not bad input.
    throw new Error(`stored message ${message.id} does not decode: ${decoded.errors.map((e) => e.message).join('; ')}`);
  }
  const codes = [...new Set([message.fromCode, ...message.toCodes, ...message.ccCodes])];
  const names = Object.fromEntries((await c.ds.manager.find(InstitutionEntity, { select: { code: true, name: true }, where: { code: In(codes) } })).map((i) => [i.code, i.name]));
  const certificate = signerCertificateOf(message.bytes, message.format);
  const trace = c.href('/trace', { message: message.id });
  const pdf = `/console/messages/${encodeURIComponent(message.id)}/print.pdf`;
  return renderPrintForm({ type: message.type, body: doc.body as Record<string, unknown> }, {
    id: message.id, from: message.fromCode, to: message.toCodes, cc: message.ccCodes, sentAt: message.sentAt, acceptedAt: message.acceptedAt,
    hash: message.hash, size: message.size, taskNumber: message.taskNumber, inReplyTo: message.inReplyTo,
    signature: {
      kind: decoded.signature ?? 'none',
      signer: message.fromCode,
      signedAt: message.sentAt,
      ...(certificate && { certificate }),
    },
  }, {
    names, printedAt: c.now, printedBy: c.user.username,
    ...(screen && {
      screenOnly: `<button type="button" id="print-button">${esc(c.t({ zh: '打印', en: 'Print' }))}</button>`
        + `<a id="pdf-link" href="${esc(pdf)}">${esc(c.t({ zh: '下载 PDF', en: 'Download PDF' }))}</a>`
        + `<a id="trace-link" href="${esc(trace)}">${esc(c.t({ zh: '返回报文追踪', en: 'Back to the message trace' }))}</a>`
        + `<span>${esc(c.t({ zh: '（打印对话框中选择“另存为 PDF”也可保存本页）', en: '(the print dialog\'s "Save as PDF" saves this page too)' }))}</span>`,
      script: PRINT_SCRIPT,
    }),
  });
}

/**
 * 打印 — `GET /console/messages/:id/print`: the message as its official form (Annexes 1–5 in the
 * annex's Chinese layout; any other message as a generic form), a whole print-ready document (A4,
 * no console layout) with a print button that print media hide. Its own Content-Security-Policy
 * allows exactly its inline style and the button's script, by hash.
 */
export const printPage: ConsolePage = {
  path: '/messages/:id/print',
  title: { zh: '打印报文', en: 'Print a message' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const message = await messageFor(c, 'html');
    const form = await printed(c, message, true);
    await c.audit('print', message.id, { format: 'html', type: message.type });
    return {
      document: form.html,
      contentType: 'text/html; charset=utf-8',
      headers: {
        'Content-Security-Policy': `default-src 'none'; style-src ${sha256Source(form.css)}; script-src ${sha256Source(PRINT_SCRIPT)}; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      },
    };
  },
};

/**
 * `GET /console/messages/:id/print.pdf`: the same form as a PDF made by headless Chromium
 * (playwright-core, the executable of the console option `chromiumPath`). Without Chromium: 503
 * `console.pdf-unavailable`, saying that the print page can be saved as PDF from the browser.
 */
export const printPdfPage: ConsolePage = {
  path: '/messages/:id/print.pdf',
  title: { zh: '报文 PDF', en: 'Message PDF' },
  roles: ANY_ROLE,
  nav: false,
  async get(c) {
    const message = await messageFor(c, 'pdf');
    const form = await printed(c, message, false);
    const pdf = await renderPdf(form.html, { executablePath: c.options.chromiumPath ?? DEFAULT_CHROMIUM_PATH, footer: `${form.heading} · ${message.id}` });
    await c.audit('print', message.id, { format: 'pdf', type: message.type, bytes: pdf.length });
    return {
      document: pdf,
      contentType: 'application/pdf',
      headers: { 'Content-Disposition': `attachment; filename="${message.id.replace(/[^A-Za-z0-9._-]/g, '_')}.pdf"` },
    };
  },
};
