import { arr, date, datetime, longText, obj, opt, req, text } from '../model/builders';
import { person } from '../model/common';
import type { FormDeclaration } from '../model/field-types';

/**
 * A unit's leader in charge, responsible department head and contact persons for this work, to
 * MIIT with a copy to CNCERT; a change is reported within 3 working days of taking effect (Art. 17).
 */
export const contactUpdate: FormDeclaration = {
  name: 'ContactUpdate',
  title: '移动互联网恶意程序监测和处置工作联系人变更报送',
  titleEn: 'Contact update',
  source: 'Art. 17',
  body: obj({
    unit: req(text(100), ['单位名称', 'unit']),
    leaderInCharge: req(person, ['主管领导', 'leader in charge']),
    departmentHead: req(person, ['责任部门负责人', 'responsible department head']),
    department: opt(text(100), ['责任部门', 'responsible department']),
    contacts: req(arr(person, 'contact', { minItems: 1, maxItems: 20 }), ['联系人', 'contact persons']),
    effectiveDate: req(date, ['变更生效日期', 'change effective on']),
    reportedAt: req(datetime, ['报送时间', 'reported at']),
    changes: opt(longText(2000), ['变更情况', 'what changed']),
  }),
  example: {
    id: 'op-cmcc-20261201-0001',
    type: 'ContactUpdate',
    version: '1.0',
    from: 'op-cmcc',
    to: ['miit'],
    cc: ['cncert'],
    sentAt: '2026-12-01T09:30:00+08:00',
    body: {
      unit: '中国移动通信集团有限公司',
      leaderInCharge: { name: '王建国', phone: '010-66006600', mobile: '13901010101', email: 'wangjg@chinamobile.example.cn' },
      departmentHead: { name: '刘洋', phone: '010-66006611', mobile: '13901010202', email: 'liuyang@chinamobile.example.cn' },
      department: '信息安全管理与运行中心',
      contacts: [
        { name: '李强', phone: '010-66006688', mobile: '13901010303', email: 'security@chinamobile.example.cn' },
        { name: '周敏', phone: '010-66006689 ext. 12', mobile: '+86 139 0101 0404', email: 'zhoumin@chinamobile.example.cn' },
      ],
      effectiveDate: '2026-11-30',
      reportedAt: '2026-12-01T09:25:00+08:00',
      changes: '责任部门负责人由张伟变更为刘洋；新增联系人周敏。',
    },
  },
};
