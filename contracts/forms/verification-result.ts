import { arr, datetime, institution, longText, malwareName, obj, oneOf, opt, req, text } from '../model/builders';
import { provinceList, server, taskNumber } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

const result = oneOf(['verified', 'partially-disposed', 'not-disposed'], {
  verified: '已验证处置',
  'partially-disposed': '部分处置',
  'not-disposed': '未处置',
});

/**
 * CNCERT's verification of a disposal (the box 验证结果 of Annex 5, sent as its own message): to
 * MIIT, the relevant Communications Administrations and the disposing unit within 2 h (level I/II)
 * or 4 h (III) of the feedback; level IV events are not verified (Art. 11(5)).
 */
export const verificationResult: FormDeclaration = {
  name: 'VerificationResult',
  title: '较大以上移动互联网恶意程序处置验证结果',
  titleEn: 'Disposal verification result',
  source: 'Art. 11(5)',
  body: obj({
    taskNumber: req(taskNumber, ['任务编号', 'task number'], 'Annex 4'),
    disposingUnit: req(institution, ['处置单位', 'disposing unit']),
    provinces: req(provinceList, ['涉及省份', 'provinces touched']),
    malwareName: req(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
    verifier: req(text(50), ['验证人', 'verified by']),
    verifiedAt: req(datetime, ['验证时间', 'verified at']),
    result: req(result, ['验证结果', 'overall result'], 'Annex 5'),
    items: req(
      arr(
        obj({
          server: req(server, ['服务器IP地址及其使用的域名、端口', 'server']),
          role: req(oneOf(['control', 'distribution'], { control: '控制服务器', distribution: '传播服务器' }), ['服务器类型', 'server role']),
          result: req(result, ['验证结果', 'result']),
          note: opt(longText(1000), ['说明', 'note']),
        }),
        'item',
        { minItems: 1, maxItems: 2000 },
      ),
      ['验证明细', 'verified items'],
    ),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  }),
  example: {
    id: 'cncert-20261128-0009',
    type: 'VerificationResult',
    version: '1.0',
    from: 'cncert',
    to: ['miit', 'ca-11', 'ca-44', 'op-cmcc'],
    sentAt: '2026-11-28T15:20:00+08:00',
    references: { taskNumber: 'CNCERT-2026-1128-017', inReplyTo: 'op-cmcc-20261128-0011' },
    body: {
      taskNumber: 'CNCERT-2026-1128-017',
      disposingUnit: 'op-cmcc',
      provinces: ['11', '44'],
      malwareName: 'a.expense.GhostPush.a',
      verifier: '赵磊',
      verifiedAt: '2026-11-28T15:10:00+08:00',
      result: 'partially-disposed',
      items: [
        { server: { ip: '203.0.113.45', domain: 'ghostpush-c2.cn', port: 8080 }, role: 'control', result: 'verified', note: '移动网内已无法访问。' },
        { server: { ip: '2001:db8::45', domain: 'ghostpush-c2.cn', port: 443 }, role: 'control', result: 'verified' },
        { server: { ip: '192.0.2.77', port: 8088 }, role: 'distribution', result: 'verified' },
        {
          server: { ip: '198.51.100.23', domain: 'gp-update.com', port: 80 },
          role: 'distribution',
          result: 'not-disposed',
          note: '境外服务器，CNCERT已启动境外协调处置（第十一条第三项）。',
        },
      ],
      remarks: '境外传播服务器处置完成后另行通报。',
    },
  },
};
