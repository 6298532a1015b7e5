import { arr, datetime, institution, messageId, obj, opt, pattern, req } from './model/builders';
import type { ObjectType } from './model/field-types';
import { taskNumber } from './model/common';

/** The XML namespace of every mmgw message. */
export const MESSAGE_NAMESPACE = 'urn:mmgw:message:1';

/** The contract version this code speaks. */
export const CONTRACT_VERSION = '1.0';

/**
 * The envelope around every form: who sent what to whom, when, and which case it belongs to.
 * `type` is checked against the declared forms and `body` against that form's declaration.
 */
export const envelopeFields: ObjectType = obj({
  id: req(messageId, ['报文编号', 'message id']),
  type: req(pattern('^[A-Z][A-Za-z]{1,63}$', 'a form name such as IncidentReport'), ['报文类型', 'form']),
  version: req(pattern('^[0-9]+\\.[0-9]+$', 'major.minor, e.g. 1.0', 16), ['版本', 'contract version']),
  from: req(institution, ['发送单位', 'from']),
  to: req(arr(institution, 'code', { minItems: 1, maxItems: 64 }), ['报', 'to']),
  cc: opt(arr(institution, 'code', { maxItems: 64 }), ['抄报', 'cc']),
  sentAt: req(datetime, ['发送时间', 'sent at']),
  references: opt(
    obj({
      taskNumber: opt(taskNumber, ['任务编号', 'task number'], 'Annex 4'),
      inReplyTo: opt(messageId, ['回复报文编号', 'in reply to']),
    }),
    ['关联', 'references'],
  ),
});

/** The envelope field names in document order; `body` follows them. */
export const ENVELOPE_ORDER = ['id', 'type', 'version', 'from', 'to', 'cc', 'sentAt', 'references'] as const;
