import { arr, datetime, decimal, institution, int, longText, malwareName, messageId, month, obj, opt, req, text } from '../model/builders';
import { provinceList } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/**
 * CNCERT's monthly summary of the level IV (一般) events it collected, notified to the units
 * concerned (Art. 10(3): "一般事件由CNCERT每月汇总"). Default due date: the 10th of the next month.
 */
export const monthlyGeneralSummary: FormDeclaration = {
  name: 'MonthlyGeneralSummary',
  title: '一般移动互联网恶意程序事件月度汇总通报',
  titleEn: 'Monthly summary of level IV incidents',
  source: 'Art. 10(3)',
  body: obj({
    month: req(month, ['汇总月份', 'month']),
    compiledBy: req(text(50), ['汇总人', 'compiled by']),
    compiledAt: req(datetime, ['汇总时间', 'compiled at']),
    counts: req(
      obj({
        events: req(int(0), ['事件数', 'events']),
        infectedDevices: req(int(0), ['受感染移动智能终端数量', 'infected devices']),
        infectedNumbers: req(int(0), ['受感染手机号码数', 'infected phone numbers']),
        lossYuan: req(decimal(0, 2), ['用户通信费用损失（元）', 'communication-fee loss (yuan)']),
      }),
      ['统计', 'counts'],
    ),
    events: req(
      arr(
        obj({
          seq: req(int(1, 100000), ['序号', 'no.']),
          reportId: opt(messageId, ['报送报文编号', 'report message id']),
          reportingUnit: req(institution, ['报送单位', 'reporting unit']),
          occurredAt: req(datetime, ['发生时间', 'occurred at']),
          malwareName: req(malwareName, ['恶意程序名称', 'malware name'], 'YD/T 2439-2012'),
          provinces: req(provinceList, ['涉及省份', 'provinces touched']),
          infectedDevices: req(int(0), ['受感染移动智能终端数量', 'infected devices']),
          infectedNumbers24h: req(int(0), ['24小时内受感染手机号码数', 'phone numbers infected within 24 h'], 'Art. 8'),
          lossYuan: req(decimal(0, 2), ['用户通信费用损失累计（元）', 'cumulative communication-fee loss (yuan)'], 'Art. 8'),
          disposal: opt(text(200), ['处置情况', 'disposal']),
        }),
        'event',
        { maxItems: 100000 },
      ),
      ['一般事件', 'level IV events'],
    ),
    analysis: opt(longText(20000), ['监测情况分析', 'analysis']),
  }),
  example: {
    id: 'cncert-20261208-0002',
    type: 'MonthlyGeneralSummary',
    version: '1.0',
    from: 'cncert',
    to: ['op-cmcc', 'op-cucc', 'op-ctcc'],
    cc: ['miit'],
    sentAt: '2026-12-08T16:00:00+08:00',
    body: {
      month: '2026-11',
      compiledBy: '陈静',
      compiledAt: '2026-12-08T15:30:00+08:00',
      counts: { events: 2, infectedDevices: 359, infectedNumbers: 345, lossYuan: 1270.4 },
      events: [
        {
          seq: 1,
          reportId: 'op-cmcc-20261128-0008',
          reportingUnit: 'op-cmcc',
          occurredAt: '2026-11-27T08:00:00+08:00',
          malwareName: 'a.privacy.emial.d',
          provinces: ['33'],
          infectedDevices: 312,
          infectedNumbers24h: 298,
          lossYuan: 0,
          disposal: '控制服务器已封堵',
        },
        {
          seq: 2,
          reportId: 'op-cmcc-20261128-0008',
          reportingUnit: 'op-cmcc',
          occurredAt: '2026-11-26T20:30:00+08:00',
          malwareName: 's.payment.sysantirus.g.[伪系统杀毒]',
          provinces: ['44', '45'],
          infectedDevices: 47,
          infectedNumbers24h: 47,
          lossYuan: 1270.4,
        },
      ],
      analysis: '11月共汇总一般事件2起，以信息窃取类和恶意扣费类为主，涉及浙江、广东、广西三省（区）。',
    },
  },
};
