import { arr, datetime, int, longText, malwareName, md5, obj, opt, req, text } from '../model/builders';
import { harmLevel } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/** 附件一 移动互联网疑似恶意程序样本报送表 — an operator reports suspect samples to CNCERT within 3 working days (Art. 9(1)). */
export const sampleReport: FormDeclaration = {
  name: 'SampleReport',
  title: '移动互联网疑似恶意程序样本报送表',
  titleEn: 'Suspected mobile malware sample report',
  source: 'Annex 1',
  body: obj({
    reportingUnit: req(text(100), ['填报单位', 'reporting unit']),
    reporter: req(text(50), ['填报人', 'reporter']),
    reportDate: req(datetime, ['填报时间', 'report time']),
    samples: req(
      arr(
        obj({
          seq: req(int(1, 100000), ['序号', 'no.']),
          firstObtainedAt: req(datetime, ['首次获取样本时间', 'sample first obtained at']),
          proposedName: req(malwareName, ['恶意程序建议名称', 'proposed malware name'], 'YD/T 2439-2012'),
          proposedNameZh: req(text(100), ['恶意程序建议中文名称', 'proposed Chinese name']),
          proposedHarmLevel: req(harmLevel, ['建议危害等级', 'proposed harm level']),
          typicalBehaviour: req(longText(2000), ['典型行为', 'typical behaviour']),
          md5: req(md5, ['MD5值', 'MD5']),
        }),
        'sample',
        { minItems: 1, maxItems: 1000 },
      ),
      ['样本', 'samples'],
    ),
    analysis: req(longText(20000), ['初步分析', 'initial analysis'], 'Art. 9(1)'),
    remarks: opt(longText(2000), ['备注', 'remarks']),
  }),
  example: {
    id: 'op-cmcc-20261127-0001',
    type: 'SampleReport',
    version: '1.0',
    from: 'op-cmcc',
    to: ['cncert'],
    sentAt: '2026-11-27T10:15:00+08:00',
    body: {
      reportingUnit: '中国移动通信集团有限公司',
      reporter: '张伟',
      reportDate: '2026-11-27T10:10:00+08:00',
      samples: [
        {
          seq: 1,
          firstObtainedAt: '2026-11-25T16:42:00+08:00',
          proposedName: 'a.privacy.emial.d',
          proposedNameZh: '窃信木马',
          proposedHarmLevel: 'high',
          typicalBehaviour: '后台上传通讯录和短信至远程服务器',
          md5: '9e107d9d372bb6826bd81d3542a419d6',
        },
      ],
      analysis: '样本伪装为系统更新，启动后请求 READ_SMS 权限并将短信上传至控制服务器。',
      remarks: '样本文件随本表提交，文件名 update.apk，MD5 见上。',
    },
  },
};
