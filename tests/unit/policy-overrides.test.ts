/**
 * A district's policy document over the defaults (domain/policy-overrides.ts): what it names replaces the default,
 * a limit whole and one tier's severity alone; what the policy has no place for is refused, named, whoever wrote the
 * document; the diff lists the fields that differ.
 */
import { expect, test } from '@jest/globals';
import { DEFAULT_POLICY } from '../../shared/domain/policy';
import { policyChanges, policyWith } from '../../shared/domain/policy-overrides';

test('the values given replace the defaults; the rest are kept', () => {
  const policy = policyWith(DEFAULT_POLICY, { handlingLimit: { community: { 3: { workingHours: 4 } } }, reminderFractions: [0.6] });
  expect(policy.handlingLimit.community).toEqual({ ...DEFAULT_POLICY.handlingLimit.community, 3: { workingHours: 4 } });
  expect(policy.handlingLimit.town).toEqual(DEFAULT_POLICY.handlingLimit.town);
  expect(policy.reminderFractions).toEqual([0.6]);
  expect(policy.smsPerPhonePerDay).toBe(DEFAULT_POLICY.smsPerPhonePerDay);
  expect(policyWith(DEFAULT_POLICY, undefined)).toBe(DEFAULT_POLICY);
  // A limit is replaced whole, in another unit too.
  expect(policyWith(DEFAULT_POLICY, { meetingDecisionLimit: { calendarHours: 12 } }).meetingDecisionLimit).toEqual({ calendarHours: 12 });
});

test('what the policy has no place for is refused, naming the field', () => {
  const refused = (overrides: unknown) => () => policyWith(DEFAULT_POLICY, overrides as never);
  expect(refused({ handlingLimt: {} })).toThrow('policy.handlingLimt is not a policy field');
  expect(refused({ handlingLimit: { village: {} } })).toThrow('policy.handlingLimit.village is not a policy field');
  expect(refused({ handlingLimit: { grid: { 3: 5 } } })).toThrow('policy.handlingLimit.grid.3 must be a time limit');
  expect(refused({ reminderFractions: 0.5 })).toThrow('policy.reminderFractions must be a list');
  expect(refused({ smsPerPhonePerDay: '100' })).toThrow('policy.smsPerPhonePerDay must be a number');
});

test('the diff lists each field set, changed or unset, a limit as one field', () => {
  expect(policyChanges(undefined, undefined)).toEqual([]);
  expect(
    policyChanges(
      { handlingLimit: { community: { 3: { workingDays: 2 } } }, maxOverdueNudges: 2 },
      { handlingLimit: { community: { 3: { workingHours: 4 } } }, reminderFractions: [0.5] },
    ),
  ).toEqual(['handlingLimit.community.3', 'maxOverdueNudges', 'reminderFractions']);
  expect(policyChanges({ reminderFractions: [0.5] }, { reminderFractions: [0.5] })).toEqual([]);
});
