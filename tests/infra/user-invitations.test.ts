/**
 * Issue 15: `npm run district -- users sync` creates accounts whose temporary password Cognito texts to the
 * person (AdminCreateUser, DesiredDeliveryMediums SMS). That needs the user pool's SMS configuration: a role
 * Cognito assumes, with an external id, allowed to publish to phone numbers only; every ARN from the stack's
 * partition. cdk-nag over the whole stack (this role included) is tests/infra/cdk-nag.test.ts.
 */
import { INVITATION_SMS } from '../../infra/constructs/user-directory';
import { logicalIdOf, synthesizeGridFlow, type SynthesizedGridFlow } from './synthesize';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- template fragments

const NO_BUNDLING = { nag: false, 'aws:cdk:bundling-stacks': [] };

/** Synthesized with CDK_DEFAULT_REGION/ACCOUNT set (as `cdk synth` with credentials sees them). */
function synthesizedIn(region: string | undefined): SynthesizedGridFlow {
  const saved = { region: process.env.CDK_DEFAULT_REGION, account: process.env.CDK_DEFAULT_ACCOUNT };
  if (region) {
    process.env.CDK_DEFAULT_REGION = region;
    process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  }
  try {
    return synthesizeGridFlow(NO_BUNDLING);
  } finally {
    for (const [name, value] of [
      ['CDK_DEFAULT_REGION', saved.region],
      ['CDK_DEFAULT_ACCOUNT', saved.account],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}

function smsWiring(synthesized: SynthesizedGridFlow) {
  const { stack, template } = synthesized;
  const resources = template.toJSON().Resources;
  const pool = resources[logicalIdOf(stack.users.userPool)];
  const role = resources[logicalIdOf(stack.users.smsRole)];
  return { pool, role, roleId: logicalIdOf(stack.users.smsRole) };
}

let agnostic: SynthesizedGridFlow;
beforeAll(() => {
  agnostic = synthesizedIn(undefined);
});
afterAll(() => {
  agnostic?.cleanup();
});

test("the user pool sends its SMS through a role of its own, with an external id the role's trust policy requires", () => {
  const { pool, role, roleId } = smsWiring(agnostic);
  expect(pool.Properties.SmsConfiguration).toEqual({
    SnsCallerArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
    ExternalId: expect.stringMatching(/^gridflow-sms-/),
  });
  const externalId = pool.Properties.SmsConfiguration.ExternalId;
  expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
    {
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'cognito-idp.amazonaws.com' },
      Condition: {
        StringEquals: { 'sts:ExternalId': externalId, 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':cognito-idp:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':userpool/*'],
            ],
          },
        },
      },
    },
  ]);
});

test('the role may text phone numbers only: sns:Publish on "*" with a Deny on every SNS ARN of the partition, nothing else', () => {
  const { role } = smsWiring(agnostic);
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  expect(role.Properties.Policies).toEqual([
    {
      PolicyName: 'SmsToPhoneNumbers',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
          { Effect: 'Deny', Action: 'sns:Publish', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] } },
        ],
      },
    },
  ]);
  // No other policy is attached to it.
  const attached = Object.values(agnostic.template.findResources('AWS::IAM::Policy')).filter((policy: Json) =>
    JSON.stringify(policy.Properties.Roles ?? []).includes(smsWiring(agnostic).roleId),
  );
  expect(attached).toEqual([]);
});

test('the invitation SMS is GridFlow’s own: the person id and the temporary password, in one SMS part', () => {
  const { pool } = smsWiring(agnostic);
  expect(pool.Properties.AdminCreateUserConfig).toEqual({
    AllowAdminCreateUserOnly: true,
    InviteMessageTemplate: { SMSMessage: INVITATION_SMS },
  });
  expect(INVITATION_SMS).toContain('{username}');
  expect(INVITATION_SMS).toContain('{####}');
  // An 18-character person id and a 12-character password in place of the placeholders: at most 70 UCS-2 characters.
  const expanded = INVITATION_SMS.replace('{username}', 'gw-441302010001001').replace('{####}', 'Ab3$efGh!k2L');
  expect(expanded.length).toBeLessThanOrEqual(70);
});

test('in a known region of the aws partition the ARNs are literal; a China region (aws-cn) is refused at synthesis: it has no Cognito user pools', () => {
  const hongKong = synthesizedIn('ap-east-1');
  try {
    const { pool, role } = smsWiring(hongKong);
    expect(JSON.stringify(role)).toContain('arn:aws:sns:*:*:*');
    expect(JSON.stringify(role)).toContain('arn:aws:cognito-idp:ap-east-1:123456789012:userpool/*');
    expect(pool.Properties.SmsConfiguration.SnsRegion).toBeUndefined();
  } finally {
    hongKong.cleanup();
  }
  // What the README says of the China regions, as CDK's own validation of the template finds it.
  expect(() => synthesizedIn('cn-north-1')).toThrow(/Resource type 'AWS::Cognito::UserPool' does not exist in 'cn-north-1'/);
});
