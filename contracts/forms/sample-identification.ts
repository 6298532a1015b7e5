import { arr, datetime, domain, int, longText, malwareName, md5, obj, oneOf, opt, pattern, req, text, url } from '../model/builders';
import { harmLevel, provinceList } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/**
 * 附件二 移动互联网恶意程序样本认定信息表 — CNCERT's identification and naming of samples, with
 * disposal advice, to each reporting unit and the relevant Communications Administrations within
 * 5 working days (Art. 9(2)).
 */
export const sampleIdentification: FormDeclaration = {
  name: 'SampleIdentification',
  title: '移动互联网恶意程序样本认定信息表',
  titleEn: 'Mobile malware sample identification',
  source: 'Annex 2',
  body: obj({
    number: req(pattern('^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$', 'letters, digits and _ . / - (at most 64)'), ['编号', 'number']),
    identifiedBy: req(text(50), ['认定人', 'identified by']),
    identifiedAt: req(datetime, ['认定时间', 'identified at']),
    provinces: req(provinceList, ['相关省份', 'provinces concerned'], 'Art. 9(2)'),
    samples: req(
      arr(
        obj({
          seq: req(int(1, 100000), ['序号', 'no.']),
          firstObtainedAt: req(datetime, ['首次获取样本时间', 'sample first obtained at']),
          canonicalName: req(malwareName, ['恶意程序规范名称', 'canonical malware name'], 'YD/T 2439-2012'),
          nameZh: req(text(100), ['恶意程序中文名称', 'Chinese name']),
          harmLevel: req(harmLevel, ['危害等级', 'harm level']),
          typicalBehaviour: req(longText(2000), ['典型行为', 'typical behaviour']),
          md5: req(md5, ['MD5值', 'MD5']),
          controlDomains: opt(arr(domain, 'domain', { maxItems: 200 }), ['控制域名', 'control domains']),
          requestUrls: opt(arr(url, 'url', { maxItems: 200 }), ['恶意程序请求URL', 'URLs the malware requests']),
          sampleSource: req(
            oneOf(['reported', 'self-captured', 'other'], { reported: '移动通信运营企业报送', 'self-captured': 'CNCERT自主捕获', other: '其他渠道' }),
            ['样本来源', 'sample source'],
            'Art. 9(2)',
          ),
          disposalAdvice: req(longText(2000), ['处置建议', 'disposal advice']),
          remarks: opt(longText(2000), ['备注', 'remarks']),
        }),
        'sample',
        { minItems: 1, maxItems: 1000 },
      ),
      ['样本', 'samples'],
    ),
  }),
  example: {
    id: 'cncert-20261130-0001',
    type: 'SampleIdentification',
    version: '1.0',
    from: 'cncert',
    to: ['op-cmcc'],
    cc: ['ca-11'],
    sentAt: '2026-11-30T15:05:00+08:00',
    references: { inReplyTo: 'op-cmcc-20261127-0001' },
    body: {
      number: 'CNCERT-RD-2026-1130-01',
      identifiedBy: '陈静',
      identifiedAt: '2026-11-30T14:40:00+08:00',
      provinces: ['11'],
      samples: [
        {
          seq: 1,
          firstObtainedAt: '2026-11-25T16:42:00+08:00',
          canonicalName: 'a.privacy.emial.d',
          nameZh: '邮件窃信木马变种D',
          harmLevel: 'high',
          typicalBehaviour: '后台读取通讯录和短信，通过SMTP发送至控制邮箱。',
          md5: '9e107d9d372bb6826bd81d3542a419d6',
          controlDomains: ['mail-sync.cn'],
          requestUrls: ['http://mail-sync.cn/api/upload.php', 'https://sys-update.cn/apk/update.apk'],
          sampleSource: 'reported',
          disposalAdvice: '封堵控制域名mail-sync.cn及其解析IP；下架传播该样本的应用；提示受感染用户卸载。',
          remarks: '与2026年9月认定的a.privacy.emial.c同源。',
        },
      ],
    },
  },
};
