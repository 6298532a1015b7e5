import { arr, datetime, longText, messageId, obj, opt, pattern, req, sha256, text } from '../model/builders';
import type { FormDeclaration } from '../model/field-types';

/** The gateway's signed refusal of a message, saying exactly why (every error at once). */
export const rejection: FormDeclaration = {
  name: 'Rejection',
  title: '拒收通知',
  titleEn: 'Rejection',
  source: 'mmgw',
  body: obj({
    messageId: opt(messageId, ['报文编号', 'message id']),
    sha256: req(sha256, ['报文SHA-256摘要', 'SHA-256 of the bytes received']),
    rejectedAt: req(datetime, ['拒收时间', 'rejected at']),
    errors: req(
      arr(
        obj({
          code: req(pattern('^[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+(-[a-z0-9]+)*$', 'a namespaced error code such as contract.md5', 100), ['错误代码', 'code']),
          path: opt(text(500), ['位置', 'path']),
          message: req(longText(2000), ['错误说明', 'message']),
          source: opt(text(100), ['依据', 'source']),
        }),
        'error',
        { minItems: 1, maxItems: 1000 },
      ),
      ['错误', 'errors'],
    ),
  }),
  example: {
    id: 'mmgw-20261128-000140',
    type: 'Rejection',
    version: '1.0',
    from: 'mmgw',
    to: ['op-cucc'],
    sentAt: '2026-11-28T14:02:11+08:00',
    references: { inReplyTo: 'op-cucc-20261128-0003' },
    body: {
      messageId: 'op-cucc-20261128-0003',
      sha256: 'a7c0f3e6b9d2a5c83b1f0f6c9d0e4a7f2c5b8e1d6a9c4f7e0b3d6a9c2f5e8b1d',
      rejectedAt: '2026-11-28T14:02:11+08:00',
      errors: [
        { code: 'contract.md5', path: 'body.samples[0].md5', message: 'MD5值 is not 32 hexadecimal digits: "9e107d9d372bb6826bd81d3542a419"', source: 'Annex 1' },
        { code: 'contract.required', path: 'body.analysis', message: '初步分析 (analysis) is required', source: 'Art. 9(1)' },
      ],
    },
  },
};
