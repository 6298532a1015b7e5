import { datetime, messageId, obj, opt, req, text } from '../model/builders';
import type { FormDeclaration } from '../model/field-types';

/**
 * A recipient's signed acknowledgement of one delivery; its time starts the clocks that run from
 * receipt (e.g. an IncidentNotice received → disposal feedback due, Art. 11(4)).
 */
export const acknowledgement: FormDeclaration = {
  name: 'Acknowledgement',
  title: '签收确认',
  titleEn: 'Acknowledgement of delivery',
  source: 'mmgw',
  body: obj({
    messageId: req(messageId, ['报文编号', 'message id']),
    deliveryId: req(messageId, ['投递编号', 'delivery id']),
    receivedAt: req(datetime, ['签收时间', 'received at']),
    receivedBy: opt(text(100), ['签收人', 'received by (person or system)']),
  }),
  example: {
    id: 'op-cmcc-20261128-0009',
    type: 'Acknowledgement',
    version: '1.0',
    from: 'op-cmcc',
    to: ['mmgw'],
    sentAt: '2026-11-28T11:31:10+08:00',
    references: { inReplyTo: 'cncert-20261128-0003' },
    body: {
      messageId: 'cncert-20261128-0003',
      deliveryId: 'dlv-cncert-20261128-0003-op-cmcc',
      receivedAt: '2026-11-28T11:31:02+08:00',
      receivedBy: '中国移动恶意程序监测处置平台',
    },
  },
};
