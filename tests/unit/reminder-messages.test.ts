/** The reminder templates and the digest's short list of cases (shared/core/reminders.ts). */
import { digestParams } from '../../shared/core/reminders';
import { MAX_PARAM_CHARS, renderMessage } from '../../shared/domain/messages';

const params = {
  eventId: 'E20261009-7K3M9Q',
  item: '排水口或下水道堵塞',
  itemEn: 'Drain outlet or sewer blocked',
  place: '金源社区第1网格',
  deadline: '10月10日16:00',
};

const ids = (count: number) => Array.from({ length: count }, (_, index) => `E20261126-${String(index + 1).padStart(6, '0')}`);

describe('case_reminder', () => {
  it('renders zh and en with the case, its item and its deadline, in one SMS part', () => {
    const rendered = renderMessage('case_reminder', params);
    expect(rendered.text).toBe('【网格通】提醒：案件E20261009-7K3M9Q（排水口或下水道堵塞）将于10月10日16:00到期，请抓紧办理。');
    expect(rendered.textEn).toBe(
      'GridFlow reminder: case E20261009-7K3M9Q (Drain outlet or sewer blocked) is due by 10月10日16:00; please finish it in time.',
    );
    expect(rendered.parts).toBe(1);
  });

  it('needs the deadline', () => {
    const { deadline: _omitted, ...withoutDeadline } = params;
    expect(() => renderMessage('case_reminder', withoutDeadline)).toThrow('Template case_reminder needs the parameter deadline');
  });
});

describe('reminder_digest', () => {
  it('names every case when they fit', () => {
    const rendered = renderMessage('reminder_digest', digestParams(ids(2)));
    expect(rendered.text).toBe('【网格通】提醒：您有2件案件待签收或临近办理时限：E20261126-000001、E20261126-000002。请及时办理。');
    expect(rendered.textEn).toBe(
      'GridFlow reminder: 2 of your cases wait to be signed for or are close to their deadlines: E20261126-000001、E20261126-000002. Please see to them.',
    );
    expect(rendered.parts).toBe(1);
  });

  it('a single case reads as one', () => {
    expect(digestParams(ids(1))).toEqual({ count: '1', cases: 'E20261126-000001' });
  });

  it('three ids still fit one parameter; a fourth is cut with 等', () => {
    expect(digestParams(ids(3)).cases).toBe(ids(3).join('、'));
    expect(digestParams(ids(4))).toEqual({ count: '4', cases: `${ids(3).join('、')}等` });
  });

  it.each([1, 3, 4, 19, 200])(
    'with %i cases: the count is exact, the list fits one parameter unclipped, the SMS takes at most two parts',
    (count) => {
      const digest = digestParams(ids(count));
      expect(digest.count).toBe(String(count));
      expect([...digest.cases].length).toBeLessThanOrEqual(MAX_PARAM_CHARS);
      const rendered = renderMessage('reminder_digest', digest);
      // renderMessage clips a parameter over MAX_PARAM_CHARS with …; the list must never need it.
      expect(rendered.params.cases).toBe(digest.cases);
      expect(rendered.text).not.toContain('…');
      expect(rendered.parts).toBeLessThanOrEqual(2);
      expect(rendered.text).toContain(ids(1)[0]);
    },
  );

  it('never cuts an id in half', () => {
    const listed = digestParams(ids(19)).cases.replace(/等$/, '').split('、');
    for (const id of listed) expect(ids(19)).toContain(id);
  });
});
