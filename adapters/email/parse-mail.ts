import { simpleParser, type AddressObject, type Attachment } from 'mailparser';
import { DEFAULT_DECODE_LIMITS } from '../../contracts/codec';
import type { ErrorCode } from '../../contracts/errors/registry';
import { unclosedBoundaries } from './mime-integrity';
import { recognisePart } from './recognise-part';

/** Limits of the mail parser. */
export interface ParseMailOptions {
  /** Largest mail read, in bytes; a larger one is refused with `email.too-large` without being parsed. @defaultValue 25 MiB */
  readonly maxMailBytes?: number;
  /** Deepest nesting of forwarded mails opened. @defaultValue 5 */
  readonly maxNesting?: number;
  /** Largest attachment read as a form. @defaultValue the contracts' decode limit (5 MiB) */
  readonly maxFormBytes?: number;
}

/** Defaults of {@link ParseMailOptions}. */
export const DEFAULT_PARSE_MAIL_OPTIONS = { maxMailBytes: 25 * 1024 * 1024, maxNesting: 5, maxFormBytes: DEFAULT_DECODE_LIMITS.maxBytes } as const;

/** Where in the mail a part was found: `1.2` is the second part of the first forwarded mail. */
export interface PartSource {
  readonly path: string;
  readonly filename?: string;
  readonly contentType: string;
  /** 0 in the mail itself, 1 inside a forwarded mail, and so on. */
  readonly nesting: number;
}

/** A signed form found in a mail, with its bytes unchanged. */
export interface FoundForm {
  readonly bytes: Buffer;
  readonly format: 'xml' | 'json';
  readonly signature?: 'xml-dsig' | 'jws';
  /** From the document itself, unverified: for summaries only. */
  readonly formType?: string;
  readonly documentId?: string;
  readonly documentFrom?: string;
  readonly source: PartSource;
}

/** An attachment that is not a form. */
export interface FoundAttachment {
  readonly bytes: Buffer;
  readonly source: PartSource;
}

/** A problem met while reading the mail; the mail is still handled. */
export interface MailProblem {
  readonly code: ErrorCode;
  readonly message: string;
}

/** An address from a header. */
export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

/** What a mail carries. The `From:` header is information only: the signer of a form is its sender. */
export interface ParsedMail {
  readonly size: number;
  readonly messageId?: string;
  readonly subject: string;
  readonly date?: Date;
  /** The `From:` header as written, unauthenticated: never the sender of a form. */
  readonly headerFrom?: MailAddress;
  /** Where a reply goes: Reply-To, else From. */
  readonly replyTo?: MailAddress;
  /** The body text of the mail itself (not of forwarded mails), decoded from its charset. */
  readonly text: string;
  readonly forms: readonly FoundForm[];
  /** .xlsx workbooks: candidates for a level IV MonthlyDisposalFeedback. */
  readonly spreadsheets: readonly FoundAttachment[];
  readonly otherAttachments: readonly PartSource[];
  readonly problems: readonly MailProblem[];
}

/** A mail refused before parsing. */
export interface RefusedMail {
  readonly refused: ErrorCode;
  readonly message: string;
  readonly size: number;
}

/** mailparser refused the bytes (e.g. "Max allowed child nodes exceeded" for absurd nesting). */
class UnreadableMail extends Error {}

interface Collected {
  forms: FoundForm[];
  spreadsheets: FoundAttachment[];
  others: PartSource[];
  problems: MailProblem[];
}

function firstAddress(obj: AddressObject | AddressObject[] | undefined): MailAddress | undefined {
  const list = Array.isArray(obj) ? obj : obj ? [obj] : [];
  for (const o of list) {
    for (const a of o.value) {
      if (a.address) return { address: a.address.toLowerCase(), ...(a.name ? { name: a.name } : {}) };
    }
  }
  return undefined;
}

function looksLikeMail(raw: Buffer): boolean {
  const head = raw.subarray(0, 8192).toString('latin1');
  return /^[!-9;-~]+:/m.test(head.split(/\r?\n\r?\n/)[0] ?? '');
}

async function collect(raw: Buffer, path: string, nesting: number, opts: Required<ParseMailOptions>, out: Collected): Promise<{ text: string; parsed: Awaited<ReturnType<typeof simpleParser>> }> {
  for (const b of unclosedBoundaries(raw)) {
    out.problems.push({ code: 'email.truncated-part', message: `${path ? `forwarded mail ${path}: ` : ''}the multipart body with boundary "${b}" has no closing boundary: the mail was cut` });
  }
  const parsed = await simpleParser(raw, { skipHtmlToText: false, skipTextLinks: true, skipImageLinks: true, skipTextToHtml: true }).catch((e: unknown) => {
    throw new UnreadableMail(`${path ? `forwarded mail ${path}: ` : ''}mailparser cannot read it: ${e instanceof Error ? e.message : String(e)}`);
  });
  const atts: Attachment[] = parsed.attachments;
  const visit = async (bytes: Buffer, contentType: string, filename: string | undefined, index: number) => {
    const partPath = path ? `${path}.${index}` : String(index);
    const source: PartSource = { path: partPath, contentType, nesting, ...(filename ? { filename } : {}) };
    const kind = recognisePart(bytes, contentType, opts.maxFormBytes);
    switch (kind.kind) {
      case 'form': {
        const { kind: _k, ...facts } = kind;
        void _k;
        out.forms.push({ bytes, ...facts, source });
        return;
      }
      case 'form-too-large':
        out.problems.push({ code: 'email.part-too-large', message: `part ${partPath} looks like a signed form but has ${bytes.length} bytes, over the ${opts.maxFormBytes} a document may have` });
        out.others.push(source);
        return;
      case 'spreadsheet':
        out.spreadsheets.push({ bytes, source });
        return;
      case 'mail':
        if (nesting + 1 > opts.maxNesting) {
          out.problems.push({ code: 'email.nested-too-deep', message: `forwarded mail ${partPath} is nested ${nesting + 1} deep, over the limit of ${opts.maxNesting}; not opened` });
          out.others.push(source);
          return;
        }
        try {
          await collect(bytes, partPath, nesting + 1, opts, out);
        } catch (e) {
          if (!(e instanceof UnreadableMail)) throw e;
          out.problems.push({ code: 'email.unreadable', message: e.message });
          out.others.push(source);
        }
        return;
      default:
        out.others.push(source);
    }
  };
  let index = 1;
  for (const a of atts) await visit(a.content, a.contentType, a.filename, index++);
  // A form pasted as the whole body of a text part is a form too.
  const text = parsed.text ?? '';
  if (/^\s*[<{]/.test(text)) await visit(Buffer.from(text.trim(), 'utf8'), 'text/plain', undefined, 0);
  return { text, parsed };
}

/**
 * Reads a raw RFC 822 mail: every signed form in it (also inside forwarded mails), .xlsx
 * workbooks, the body text in any charset mailparser knows (GB2312/GBK/GB18030, UTF-8, …) and
 * the problems met (a cut MIME part, nesting too deep). Refuses a mail over `maxMailBytes`
 * before parsing, so memory stays bounded. Never throws on bad input.
 */
export async function parseMail(raw: Buffer, options: ParseMailOptions = {}): Promise<ParsedMail | RefusedMail> {
  const opts: Required<ParseMailOptions> = { ...DEFAULT_PARSE_MAIL_OPTIONS, ...options };
  if (raw.length > opts.maxMailBytes) {
    return { refused: 'email.too-large', message: `the mail has ${raw.length} bytes, over the ${opts.maxMailBytes} this gateway reads by e-mail; send the form over the API or split it`, size: raw.length };
  }
  if (!looksLikeMail(raw)) return { refused: 'email.unreadable', message: 'the bytes do not start with an RFC 822 header block', size: raw.length };
  const out: Collected = { forms: [], spreadsheets: [], others: [], problems: [] };
  let collected: Awaited<ReturnType<typeof collect>>;
  try {
    collected = await collect(raw, '', 0, opts, out);
  } catch (e) {
    // Never a poison mail that blocks the mailbox: unreadable → Quarantine, with the reason.
    if (e instanceof UnreadableMail) return { refused: 'email.unreadable', message: e.message, size: raw.length };
    throw e;
  }
  const { text, parsed } = collected;
  const headerFrom = firstAddress(parsed.from);
  const replyTo = firstAddress(parsed.replyTo) ?? headerFrom;
  return {
    size: raw.length,
    ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
    subject: parsed.subject ?? '',
    ...(parsed.date ? { date: parsed.date } : {}),
    ...(headerFrom ? { headerFrom } : {}),
    ...(replyTo ? { replyTo } : {}),
    text,
    forms: out.forms,
    spreadsheets: out.spreadsheets,
    otherAttachments: out.others,
    problems: out.problems,
  };
}

/** Whether parseMail refused the mail. */
export function isRefused(m: ParsedMail | RefusedMail): m is RefusedMail {
  return 'refused' in m;
}
