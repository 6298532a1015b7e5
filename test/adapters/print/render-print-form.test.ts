import * as fs from 'node:fs';
import * as path from 'node:path';
import { renderPrintForm, type PrintMetadata } from '../../../adapters/print';
import { formByName, forms } from '../../../contracts/forms';

// Issue 8, item 2: any message printed as its official form. The annex labels below are copied by
// hand from the mechanism's own text (mechanism.zh.txt, 附件一 … 附件五), in the annex's order, so
// that they check the renderer (which takes its labels from contracts/forms) against the source.
const OUT = path.join(__dirname, '..', '..', '..', 'test-output', 'print');

type Body = Record<string, unknown>;

function exampleOf(type: string, change: (body: Body) => void = () => undefined): { body: Body; meta: PrintMetadata } {
  const ex = formByName(type)!.example;
  const body = JSON.parse(JSON.stringify(ex.body)) as Body;
  change(body);
  return {
    body,
    meta: {
      id: ex.id, from: ex.from, to: ex.to, cc: ex.cc ?? [], sentAt: new Date(ex.sentAt), acceptedAt: new Date('2026-11-28T03:00:07Z'),
      hash: 'c0ffee'.padEnd(64, '0'), size: 4321, taskNumber: ex.references?.taskNumber ?? null, inReplyTo: ex.references?.inReplyTo ?? null,
      signature: { kind: 'xml-dsig', signer: ex.from, signedAt: new Date(ex.sentAt), certificate: { subject: `CN=${ex.from}, O=mmgw`, serial: '1A2B', issuer: 'CN=mmgw dev CA, O=mmgw' } },
    },
  };
}

const NAMES = { miit: '工业和信息化部网络安全管理局', cncert: '国家计算机网络应急技术处理协调中心', 'op-cmcc': '中国移动通信集团有限公司', 'ca-11': '北京市通信管理局' };

function render(type: string, change?: (body: Body) => void): string {
  const { body, meta } = exampleOf(type, change);
  const { html } = renderPrintForm({ type, body }, meta, { names: NAMES });
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, `${type}.html`), html); // for a look in a browser
  return html;
}

/** The visible text of an HTML fragment: tags dropped, entities of the five escaped characters decoded. */
function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

/** The part of the document from the title to the authenticity statement (the annex itself). */
function annexPart(html: string): string {
  const start = html.indexOf('id="form-title"');
  const end = html.search(/id="other-fields"|id="authenticity"/);
  return html.slice(start, end);
}

/** Expects every label in the text, each after the one before. */
function expectInOrder(text: string, labels: readonly string[]): void {
  let at = 0;
  for (const label of labels) {
    const i = text.indexOf(label, at);
    if (i < 0) throw new Error(`"${label}" missing after position ${at} (after "${text.slice(Math.max(0, at - 30), at)}") in:\n${text}`);
    at = i + label.length;
  }
}

const SERVERS = ['控制服务器IP地址及其使用的域名、端口', '传播服务器IP地址及其使用的域名、端口'];

describe('renderPrintForm: Annexes 1–5 in their Chinese layout', () => {
  it('附件一 SampleReport: header lines, one table row per sample with the annex\'s columns', () => {
    const html = render('SampleReport', (b) => {
      const samples = b.samples as Body[];
      samples.push({ ...samples[0], seq: 2, proposedName: 'a.payment.fakeupdate.b', proposedNameZh: '伪装更新<扣费>', proposedHarmLevel: 'medium', md5: 'd41d8cd98f00b204e9800998ecf8427e' });
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/@page\{size:A4 landscape;/);
    expect(textOf(html)).toContain('附件一 移动互联网疑似恶意程序样本报送表');
    const annex = textOf(annexPart(html));
    expectInOrder(annex, ['移动互联网疑似恶意程序样本报送表', '填报单位：中国移动通信集团有限公司', '填报人：张伟', '填报时间：2026年11月27日 10:10',
      '序号', '首次获取样本时间', '恶意程序建议名称', '恶意程序建议中文名称', '建议危害等级', '典型行为', 'MD5值',
      '1', '2026年11月25日 16:42', 'a.privacy.emial.d', '窃信木马', '高', '后台上传通讯录和短信至远程服务器', '9e107d9d372bb6826bd81d3542a419d6',
      '2', 'a.payment.fakeupdate.b', '伪装更新<扣费>', '中', 'd41d8cd98f00b204e9800998ecf8427e']);
    expect(html).toContain('伪装更新&lt;扣费&gt;');
    expect(html).not.toContain('伪装更新<扣费>');
    expect(annexPart(html).match(/<tbody><tr>|<\/tr><tr>/g)).toHaveLength(2); // two sample rows
    // Art. 9(1)'s initial analysis is in the message, not on the annex: printed after it.
    expectInOrder(textOf(html), ['附：报文中的其他字段', '初步分析', '样本伪装为系统更新', '备注', '样本文件随本表提交']);
  });

  it('附件二 SampleIdentification: every column of the annex, lists of domains and URLs inside their box', () => {
    const html = render('SampleIdentification');
    expect(textOf(html)).toContain('附件二 移动互联网恶意程序样本认定信息表');
    const annex = textOf(annexPart(html));
    const ex = (formByName('SampleIdentification')!.example.body.samples as Body[])[0]!;
    expectInOrder(annex, ['移动互联网恶意程序样本认定信息表', '编号：', '认定人：', '认定时间：',
      '序号', '首次获取样本时间', '恶意程序规范名称', '恶意程序中文名称', '危害等级', '典型行为', 'MD5值', '控制域名', '恶意程序请求URL', '样本来源', '处置建议', '备注',
      String(ex.canonicalName), String(ex.md5)]);
    for (const d of (ex.controlDomains as string[] | undefined) ?? []) expect(annex).toContain(d);
    expectInOrder(textOf(html), ['附：报文中的其他字段', '相关省份']); // declared (Art. 9(2)), not on the annex
  });

  it('附件三 IncidentReport: unit line, 报/抄报, the boxes in the annex\'s order, servers as rows, text escaped and wrapped, Beijing time', () => {
    const html = render('IncidentReport', (b) => {
      b.summary = '恶意程序 <script>alert("x")</script> & 扣费\n第二行：北京、广东';
      b.occurredAt = '2026-11-27T14:00:00Z'; // 22:00 in Beijing
    });
    expect(html).toMatch(/@page\{size:A4 portrait;/);
    expect(textOf(html)).toContain('附件三 较大以上移动互联网恶意程序事件报送表');
    expect(html).toContain('<p class="annex-no" id="annex-no">附件三</p><h1 id="form-title">较大以上移动互联网恶意程序事件报送表</h1>');
    const annex = textOf(annexPart(html));
    expectInOrder(annex, ['较大以上移动互联网恶意程序事件报送表', '（报送单位：中国移动通信集团有限公司）',
      '报：工业和信息化部网络安全管理局 （miit）', '抄报：北京市通信管理局 （ca-11）', 'ca-44', '国家计算机网络应急技术处理协调中心 （cncert）',
      '填报人', '李强', '联系电话', '010-66006688', 'E-Mail', 'security@chinamobile.example.cn',
      '发生时间', '2026年11月27日 22:00', '报送时间', '2026年11月28日 10:50',
      '恶意程序名称', 'a.expense.GhostPush.a', '事件简要描述', '恶意程序 <script>alert("x")</script> & 扣费',
      SERVERS[0]!, 'IP地址', '使用的域名', '端口', '203.0.113.45', 'ghostpush-c2.cn', '8080', '2001:db8::45', '443',
      SERVERS[1]!, '198.51.100.23', 'gp-update.com', '80', '192.0.2.77', '8088',
      '受感染移动智能终端数量', '71230', '主要行为特征', '获取ROOT权限后植入系统目录', '潜在危害', '用户通信费用损失', '备注', '已于09:35电话报告']);
    expect(html).toContain('恶意程序 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 扣费\n第二行：北京、广东');
    expect(html).not.toContain('<script>alert');
    expect(html).toMatch(/<div class="text">恶意程序 &lt;script/); // pre-wrap, wraps anywhere (print CSS)
    expect(html).toMatch(/\.text\{white-space:pre-wrap;overflow-wrap:anywhere/);
    // One table row per server: IP, domain and port side by side.
    expect(html).toMatch(/<tr><td>203\.0\.113\.45<\/td><td>ghostpush-c2\.cn<\/td><td>8080<\/td><\/tr><tr><td>2001:db8::45<\/td>/);
    expect(html).toMatch(/<tr><td>192\.0\.2\.77<\/td><td><span class="empty">—<\/span><\/td><td>8088<\/td><\/tr>/);
    // The four fields the mechanism needs besides the annex (rules.md) follow it.
    expectInOrder(textOf(html), ['附：报文中的其他字段', '发现时间', '2026年11月28日 09:20', '事件级别', '重大 （II）', '定级说明', '涉及省份', '北京市 （11）', '广东省 （44）', '用户通信费用损失累计（元）', '1850000.5', '24小时内受感染手机号码数', '63412']);
  });

  it('附件四 IncidentNotice: task number, operator and affected platforms as rows', () => {
    const html = render('IncidentNotice');
    expect(textOf(html)).toContain('附件四 较大以上移动互联网恶意程序事件信息通报');
    const body = formByName('IncidentNotice')!.example.body;
    const platforms = body.affectedPlatforms as { system: string; versions?: string }[];
    const annex = textOf(annexPart(html));
    expectInOrder(annex, ['较大以上移动互联网恶意程序事件信息通报', '报：', '抄报：', `任务编号：${String(body.taskNumber)}`,
      '填报人', '联系电话', 'E-Mail', '发生时间', '报送时间', '恶意程序名称', '所属移动通信运营企业', String(body.operator),
      '影响的移动智能终端系统类型、版本', '系统类型', '版本', platforms[0]!.system,
      '事件简要描述', SERVERS[0]!, SERVERS[1]!, '受感染移动智能终端数量', '主要行为特征', '潜在危害', '备注']);
    expect(annexPart(html)).not.toContain('（报送单位'); // Annex 4 has no unit line
    for (const p of platforms) expect(annex).toContain(p.system);
  });

  it('附件五 DisposalFeedback: the annex\'s boxes and the empty 验证结果 box CNCERT fills', () => {
    const html = render('DisposalFeedback');
    expect(textOf(html)).toContain('附件五 较大以上移动互联网恶意程序处置反馈表');
    const body = formByName('DisposalFeedback')!.example.body;
    const annex = textOf(annexPart(html));
    expectInOrder(annex, ['较大以上移动互联网恶意程序处置反馈表', `（报送单位：${String(body.reportingUnit)}）`, '报：', '抄报：', `任务编号：${String(body.taskNumber)}`,
      '填报人', '联系电话', 'E-Mail', '处置时间', '反馈时间', '恶意程序名称',
      '已处置的控制服务器IP地址及其使用的域名、端口', '已处置的传播服务器IP地址及其使用的域名、端口', '已直接提示的用户数量', String(body.usersNotified),
      '未处置的控制服务器IP地址及其使用的域名、端口', '未处置的传播服务器IP地址及其使用的域名、端口', '未处置的原因', '备注', '验证结果', '由CNCERT填写']);
    expect(html).toContain('<td colspan="5" class="blank"></td>');
    expect(html).not.toContain('id="other-fields"'); // every field of Annex 5 is on the annex
  });

  it('ends every form with the gateway\'s authenticity statement: id, SHA-256, signer, signing and accepted time', () => {
    const html = render('IncidentReport');
    const statement = textOf(html.slice(html.indexOf('id="authenticity"')));
    expectInOrder(statement, ['网关真实性声明', '报文编号', 'op-cmcc-20261128-0007', '签名方式', 'XML-DSig', '签名单位', '中国移动通信集团有限公司 （op-cmcc）',
      '签名证书', 'CN=op-cmcc, O=mmgw', '1A2B', '签名时间（北京时间）', '2026年11月28日 10:52', '网关接收时间（北京时间）', '2026年11月28日 11:00:07',
      '签名报文 SHA-256', 'c0ffee'.padEnd(64, '0'), '4321 字节']);
  });
});

describe('renderPrintForm: the messages without an annex', () => {
  const generic = forms.filter((f) => !['SampleReport', 'SampleIdentification', 'IncidentReport', 'IncidentNotice', 'DisposalFeedback'].includes(f.name));

  it.each(generic.map((f) => [f.name, f.title] as const))('%s prints as a generic form titled %s with every field it carries', (name, title) => {
    const html = render(name);
    const f = formByName(name)!;
    expect(html).toContain(`<h1 id="form-title">${title}</h1>`);
    expect(html).not.toMatch(/附件[一二三四五]/);
    const text = textOf(html);
    const present = Object.entries(f.body.fields).filter(([k]) => f.example.body[k] !== undefined).map(([, field]) => field.label);
    expectInOrder(text, [title, '发送单位：', '报：', ...present, '网关真实性声明']);
  });

  it('EmergencyNotice: the caller as label / value lines, the channel by its Chinese name, Chinese text kept', () => {
    const html = render('EmergencyNotice', (b) => { b.summary = '电话报告：GhostPush <b>扣费</b>'; });
    expectInOrder(textOf(html), ['紧急情况电话、电子邮件联系记录', '联系方式', '联系人', '姓名', '联系内容摘要', '电话报告：GhostPush <b>扣费</b>']);
    expect(html).toContain('电话报告：GhostPush &lt;b&gt;扣费&lt;/b&gt;');
  });

  it('an unknown type still prints every key of its body, escaped', () => {
    const { html } = renderPrintForm({ type: 'FutureForm', body: { note: '<i>新</i>' } }, exampleOf('IncidentReport').meta);
    expect(html).toContain('<h1 id="form-title">FutureForm</h1>');
    expect(textOf(html)).toContain('note <i>新</i>');
    expect(html).not.toContain('<i>新</i>');
  });
});
