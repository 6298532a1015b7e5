import { arr, datetime, institution, messageId, obj, opt, req, sha256, text } from '../model/builders';
import type { FormDeclaration } from '../model/field-types';

/** The gateway's signed receipt: the message was accepted, recorded and will be delivered to `recipients`. */
export const receipt: FormDeclaration = {
  name: 'Receipt',
  title: '接收回执',
  titleEn: 'Receipt',
  source: 'mmgw',
  body: obj({
    messageId: req(messageId, ['报文编号', 'message id']),
    sha256: req(sha256, ['报文SHA-256摘要', 'SHA-256 of the bytes received']),
    acceptedAt: req(datetime, ['接收时间', 'accepted at']),
    recipients: req(arr(institution, 'code', { minItems: 1, maxItems: 128 }), ['投递对象', 'recipients']),
    note: opt(text(500), ['说明', 'note']),
  }),
  example: {
    id: 'mmgw-20261128-000131',
    type: 'Receipt',
    version: '1.0',
    from: 'mmgw',
    to: ['op-cmcc'],
    sentAt: '2026-11-28T10:52:01+08:00',
    references: { inReplyTo: 'op-cmcc-20261128-0007' },
    body: {
      messageId: 'op-cmcc-20261128-0007',
      sha256: '3b1f0f6c9d0e4a7f2c5b8e1d6a9c4f7e0b3d6a9c2f5e8b1d4a7c0f3e6b9d2a5c',
      acceptedAt: '2026-11-28T10:52:01+08:00',
      recipients: ['miit', 'ca-11', 'ca-44', 'cncert'],
      note: '重大事件报送表，已在发现后2小时的时限内受理（第十条第二项）。',
    },
  },
};
