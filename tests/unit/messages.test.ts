import {
  MAX_PARAM_CHARS,
  maskPhone,
  maskPhonesIn,
  renderMessage,
  smsParts,
  smsTime,
  TEMPLATES,
  type TemplateName,
} from '../../shared/domain/messages';
import { sampleCatalog } from '../../dev-server/seed-reference';

const params = {
  eventId: 'E20261009-7K3M9Q',
  item: '排水口或下水道堵塞',
  itemEn: 'Drain outlet or sewer blocked',
  place: '金源社区第1网格',
  deadline: '10月10日16:00',
  assignee: '欧阳玲巧',
  result: '已疏通',
  ratingCode: '123456',
  reason: '需要分流交办',
  reasonEn: 'needs dispatching',
  meetingAt: '2026-10-12 09:00',
  lead: '区住房和城乡建设局',
  until: '2026-10-13 16:00',
  decision: '已批准',
  decisionEn: 'approved',
  by: '惠城区人大代表',
  note: '请尽快处理',
  count: '3',
  cases: 'E20261009-7K3M9Q、E20261009-8A2B3C等',
  unit: '金源社区',
  report: '日汇总',
  period: '2026-11-25',
  reported: '12',
  overdue: '1',
  // A CloudFront address: a district's own domain is shorter.
  link: 'https://d1a2b3c4d5e6f7.cloudfront.net/#/reports/daily/441302010001/2026-11-25',
  level: '一',
  grid: '金源社区第1网格',
  day: '11月24日',
  campaignId: 'C20261124-7K3M9Q',
  title: '独居老人入户走访排查',
  code: '482913',
  minutes: '10',
};

describe('renderMessage: every template with its parameters', () => {
  // A few templates spelled out; every template is checked for completeness below.
  const expected: Partial<Record<TemplateName, { zh: string; en: string }>> = {
    case_assigned: {
      zh: '【网格通】新案件E20261009-7K3M9Q：排水口或下水道堵塞，金源社区第1网格，请于10月10日16:00前办结。',
      en: 'GridFlow: new case E20261009-7K3M9Q: Drain outlet or sewer blocked at 金源社区第1网格; please finish by 10月10日16:00.',
    },
    report_to_accept: {
      zh: '【网格通】居民上报E20261009-7K3M9Q：排水口或下水道堵塞，金源社区第1网格，请于10月10日16:00前核实立案或作废。',
      en: 'GridFlow: resident report E20261009-7K3M9Q: Drain outlet or sewer blocked at 金源社区第1网格; accept or void it by 10月10日16:00.',
    },
    acceptance_overdue: {
      zh: '【网格通】督办：居民上报E20261009-7K3M9Q（排水口或下水道堵塞）超过10月10日16:00仍未立案，请督促处理。',
      en: 'GridFlow supervision: resident report E20261009-7K3M9Q (Drain outlet or sewer blocked) was not accepted by 10月10日16:00; please see to it.',
    },
    case_overdue: {
      zh: '【网格通】督办：案件E20261009-7K3M9Q（排水口或下水道堵塞）已超过办理时限10月10日16:00，承办：欧阳玲巧，请督促办理。',
      en: 'GridFlow supervision: case E20261009-7K3M9Q (Drain outlet or sewer blocked) passed its deadline 10月10日16:00; handler: 欧阳玲巧. Please see to it.',
    },
    feedback_to_reporter: {
      zh: '【网格通】您反映的“排水口或下水道堵塞”（E20261009-7K3M9Q）已办结：已疏通。评价码123456，欢迎评价。',
      en: 'GridFlow: the matter you reported, "Drain outlet or sewer blocked" (E20261009-7K3M9Q), is done: 已疏通. Rate it with code 123456.',
    },
    report_voided: {
      zh: '【网格通】您反映的“排水口或下水道堵塞”（E20261009-7K3M9Q）经核实不予立案：已疏通。',
      en: 'GridFlow: your report "Drain outlet or sewer blocked" (E20261009-7K3M9Q) was not accepted: 已疏通.',
    },
  };

  it.each(Object.keys(expected) as TemplateName[])('%s renders as spelled out', (template) => {
    const rendered = renderMessage(template, params);
    expect(rendered.text).toBe(expected[template]!.zh);
    expect(rendered.textEn).toBe(expected[template]!.en);
  });

  it.each(Object.keys(TEMPLATES) as TemplateName[])(
    '%s renders zh and en with every placeholder filled, in at most two parts',
    (template) => {
      const rendered = renderMessage(template, params);
      expect(rendered.template).toBe(template);
      expect(rendered.text).toMatch(/^【网格通】/);
      expect(rendered.text).not.toMatch(/\{\w+\}/);
      expect(rendered.textEn).not.toMatch(/\{\w+\}/);
      expect(rendered.parts).toBe(smsParts(rendered.text));
      expect(rendered.parts).toBeGreaterThanOrEqual(1);
      expect(rendered.parts).toBeLessThanOrEqual(2);
    },
  );

  it('returns the parameters it used', () => {
    expect(renderMessage('case_assigned', params).params).toEqual(params);
  });

  it('counts parts of the Chinese text, not the English gloss', () => {
    // This overdue notice is exactly 70 characters in Chinese (one part); its longer gloss would take more.
    const rendered = renderMessage('case_overdue', params);
    expect(rendered.text).toHaveLength(70);
    expect(rendered.parts).toBe(1);
    expect(smsParts(rendered.textEn)).toBeGreaterThan(1);
    // One more character in a parameter makes the Chinese text two parts.
    expect(renderMessage('case_overdue', { ...params, assignee: '欧阳玲巧x' }).parts).toBe(2);
  });

  it('throws when a parameter the template needs is missing', () => {
    const { deadline: _omitted, ...withoutDeadline } = params;
    expect(() => renderMessage('case_assigned', withoutDeadline)).toThrow('Template case_assigned needs the parameter deadline');
    const { assignee: _none, ...withoutAssignee } = params;
    expect(() => renderMessage('case_overdue', withoutAssignee)).toThrow(/needs the parameter assignee/);
    // The English gloss has parameters of its own: they are required too.
    const { itemEn: _noEnglish, ...withoutItemEn } = params;
    expect(() => renderMessage('feedback_to_reporter', withoutItemEn)).toThrow('Template feedback_to_reporter needs the parameter itemEn');
  });

  it('accepts an empty parameter', () => {
    expect(renderMessage('feedback_to_reporter', { ...params, result: '' }).text).toContain('已办结：。');
  });
});

describe('renderMessage: long parameters are clipped', () => {
  it(`keeps a parameter of ${MAX_PARAM_CHARS} characters whole`, () => {
    const result = '水'.repeat(MAX_PARAM_CHARS);
    expect(renderMessage('feedback_to_reporter', { ...params, result }).params.result).toBe(result);
  });

  it(`clips a longer one to ${MAX_PARAM_CHARS} characters ending in …`, () => {
    const result = `${'清'.repeat(59)}理完毕并拍照存档`; // 67 characters
    const rendered = renderMessage('feedback_to_reporter', { ...params, result });
    const clipped = `${'清'.repeat(59)}…`;
    expect(rendered.params.result).toBe(clipped);
    expect(rendered.text).toContain(`已办结：${clipped}。`);
    expect(rendered.textEn).toContain(`is done: ${clipped}.`);
  });

  it('never clips a link GridFlow made (a link cut short leads nowhere): the report ready SMS links its page whole', () => {
    const link = 'https://d1a2b3c4d5e6f7.cloudfront.net/#/reports/quarterly/441302010001/2026-Q4';
    expect(link.length).toBeGreaterThan(MAX_PARAM_CHARS);
    const rendered = renderMessage('report_ready', {
      unit: '金源社区',
      period: '2026-Q4',
      report: '季分析',
      reported: '12',
      overdue: '1',
      link,
    });
    expect(rendered.text).toBe(`【网格通】金源社区2026-Q4季分析已生成：上报12件，超期1件，查阅：${link}`);
    expect(rendered.textEn).toContain(`(after sign-in): ${link}`);
  });

  it('counts characters, not UTF-16 units, and never splits a surrogate pair', () => {
    const emoji = '😀'.repeat(MAX_PARAM_CHARS + 1);
    const clipped = renderMessage('feedback_to_reporter', { ...params, result: emoji }).params.result!;
    expect([...clipped]).toHaveLength(MAX_PARAM_CHARS);
    expect(clipped).toBe(`${'😀'.repeat(MAX_PARAM_CHARS - 1)}…`);
    expect(renderMessage('feedback_to_reporter', { ...params, result: '😀'.repeat(MAX_PARAM_CHARS) }).params.result).toBe(
      '😀'.repeat(MAX_PARAM_CHARS),
    );
  });

  it('keeps a feedback SMS with the longest note and item name to two parts', () => {
    const longestItemName = sampleCatalog()
      .allItems()
      .map((item) => item.name)
      .reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a));
    const rendered = renderMessage('feedback_to_reporter', { ...params, item: longestItemName, result: '处'.repeat(500) });
    expect(rendered.parts).toBe(2);
  });
});

describe('smsParts', () => {
  it('is 0 for an empty text', () => {
    expect(smsParts('')).toBe(0);
  });

  it.each([
    [1, 1],
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
    [201, 3],
    [202, 4],
  ])('Chinese text of %i characters takes %i part(s)', (length, parts) => {
    expect(smsParts('网'.repeat(length))).toBe(parts);
  });

  it.each([
    [1, 1],
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
  ])('GSM text of %i characters takes %i part(s)', (length, parts) => {
    expect(smsParts('a'.repeat(length))).toBe(parts);
  });

  it('treats line breaks as GSM', () => {
    expect(smsParts(`line one\nline two\r\n${'x'.repeat(140)}`)).toBe(1);
  });

  it('one Chinese character makes the whole text UCS-2', () => {
    expect(smsParts(`${'a'.repeat(70)}网`)).toBe(2);
    expect(smsParts(`${'a'.repeat(69)}网`)).toBe(1);
  });

  it('counts UTF-16 units: an emoji takes two', () => {
    expect(smsParts('😀'.repeat(35))).toBe(1);
    expect(smsParts('😀'.repeat(36))).toBe(2);
  });
});

describe('smsTime', () => {
  it('reads a +08:00 timestamp as month, day and time', () => {
    expect(smsTime('2026-11-27T16:00:00+08:00')).toBe('11月27日16:00');
    expect(smsTime('2026-01-05T08:30:00+08:00')).toBe('1月5日08:30');
    expect(smsTime('2026-10-10T09:05:30.250+08:00')).toBe('10月10日09:05');
  });

  it('returns anything else unchanged', () => {
    expect(smsTime('tomorrow')).toBe('tomorrow');
    expect(smsTime('')).toBe('');
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 digits of a mobile number', () => {
    expect(maskPhone('13000001001')).toBe('130****1001');
  });

  it('ignores spaces', () => {
    expect(maskPhone('130 0000 1001')).toBe('130****1001');
  });

  it('masks a number shorter than 7 characters completely', () => {
    expect(maskPhone('123456')).toBe('******');
    expect(maskPhone('')).toBe('');
  });

  it('never shows every digit of a short number (a 7-digit landline)', () => {
    // BUG: '2345678' comes back as '234****5678' — all seven digits in view.
    const masked = maskPhone('2345678');
    expect(masked.replace(/\*/g, '')).not.toBe('2345678');
    expect(masked).toContain('*');
  });
});

test('a provider error has every phone number in it masked, the rest of its words kept', () => {
  expect(maskPhonesIn('Invalid parameter: PhoneNumber Reason: +8613000001002 cannot receive SMS (13000001003 too)')).toBe(
    'Invalid parameter: PhoneNumber Reason: +86****1002 cannot receive SMS (130****1003 too)',
  );
  expect(maskPhonesIn('Throttling: Rate exceeded (400)')).toBe('Throttling: Rate exceeded (400)');
});
