import { Duration, Names, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPool,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CUSTOM_CLAIMS } from '../../shared/auth/caller';
import { ROLES } from '../../shared/domain/types';

/**
 * The host of a user pool's token issuer (`iss`) by its issuer configuration (CloudFormation
 * `AWS::Cognito::UserPool` `IssuerConfiguration.Type`, ORIGINAL | UPDATED): ORIGINAL is
 * `https://cognito-idp.<region>.<suffix>/<pool id>`, UPDATED `https://issuer-cognito-idp.<region>.<suffix>/<pool id>`.
 */
export const ISSUER_HOSTS = { ORIGINAL: 'cognito-idp', UPDATED: 'issuer-cognito-idp' } as const;
export type IssuerType = keyof typeof ISSUER_HOSTS;

/**
 * Pinned, not left to Cognito's default for new pools: the HTTP API's authorizer accepts exactly one
 * issuer, and the local user pool's tokens (dev-server/adapters/local-jwt.ts) carry the ORIGINAL form.
 * Moving to UPDATED is one change here; the authorizer follows (issuerUrlOf). aws-jwt-verify, which
 * the handlers use, accepts both forms.
 */
export const USER_POOL_ISSUER_TYPE: IssuerType = 'ORIGINAL';

/** The issuer a pool's tokens carry, derived from the pool itself: its issuer configuration, id and region. */
export function issuerUrlOf(pool: CfnUserPool): string {
  const type = (pool.issuerConfiguration as CfnUserPool.IssuerConfigurationProperty | undefined)?.type;
  if (type !== 'ORIGINAL' && type !== 'UPDATED')
    throw new Error(`Pin the user pool's IssuerConfiguration.Type (ORIGINAL or UPDATED), not ${type}`);
  const stack = Stack.of(pool);
  return `https://${ISSUER_HOSTS[type]}.${stack.region}.${stack.urlSuffix}/${pool.ref}`;
}

/**
 * Staff accounts: grid workers, stations, centers, departments, supervisors, leaders, admins.
 * Citizens do not sign in (they report on the optional-auth route).
 *
 * Accounts are created by an admin (no self sign-up). Who a user is for the platform lives in
 * admin-managed attributes that the app client can read but not write, so nobody can promote
 * themselves, or become someone else, with UpdateUserAttributes (admins write them with
 * AdminCreateUser / AdminUpdateUserAttributes):
 *   custom:person      the person id of the roster (`gw-ouyang-lingqiao`): who the user is for every
 *                      rule (handler, reporter, my cases, requester, who acted). Cognito's `sub` is a
 *                      UUID no administrator can set; it stays for audit only. One person, one role:
 *                      someone with two roles has two accounts. Named for good: a custom attribute
 *                      cannot be renamed or removed on a live pool
 *   custom:role        one of ROLES (shared/domain/types.ts); also a group per role below
 *   custom:units       the unit codes the user acts for, comma-separated
 *   custom:department  the department code, for department staff
 *   phone_number       the standard attribute (E.164, +86...), the number SMS go to; a standard
 *                      attribute rather than a custom `phone` so Cognito validates its format
 *
 * Custom attributes are in the ID token (`custom:role`...); the access token carries only
 * `cognito:groups`. Both token types pass the HTTP API's JWT authorizer.
 */
export interface UserDirectoryProps {
  /** The command center's address (`https://…`): where the hosted sign-in sends a user back with a code. */
  readonly siteUrl: string;
  /**
   * The prefix of the hosted sign-in's domain, `<prefix>.auth.<region>.amazoncognito.com`: unique across all of AWS
   * (context `authDomainPrefix`). @default `gridflow-<account id>`
   */
  readonly domainPrefix?: string;
  /**
   * The region whose SNS sends the pool's SMS (context `smsRegion`), where AWS's table of Cognito's SMS regions names
   * another one for the pool's region. @default the pool's own region
   */
  readonly smsRegion?: string;
}

/**
 * The invitation SMS Cognito sends with a new account's temporary password (AdminCreateUser: `npm run district --
 * users sync`). `{username}` is the person id, `{####}` the password. To +86 numbers it must match a registered
 * template word for word (README: "The invitation SMS"). Chinese only: expanded (an 18-character person id, a 12-character
 * password) it stays one SMS part of 70 UCS-2 characters.
 */
export const INVITATION_SMS = '【网格通】您的账号 {username} 已开通，临时密码 {####}，3天内有效，首次登录须修改密码。';

export class UserDirectory extends Construct {
  readonly userPool: UserPool;
  /** The role Cognito assumes to send the pool's SMS (the invitations). */
  readonly smsRole: Role;
  readonly client: UserPoolClient;
  /** The hosted sign-in (managed login) domain. */
  readonly domain: UserPoolDomain;
  /** The JWT issuer of this pool, as the HTTP API authorizer and the handlers check it. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: UserDirectoryProps) {
    super(scope, id);

    // Cognito texts the invitation (the temporary password) itself, through SNS in this account: it assumes this
    // role, which may publish to phone numbers only (as the functions' SMS policy), and only for a user pool of this
    // account, with the pool's external id (the confused-deputy checks AWS documents for Cognito's SMS role).
    const stack = Stack.of(this);
    const smsExternalId = `gridflow-sms-${Names.uniqueId(this)}`.slice(0, 1224);
    this.smsRole = new Role(this, 'SmsRole', {
      description: "Cognito sends the user pool's SMS (invitations with a temporary password) to phone numbers through SNS",
      assumedBy: new ServicePrincipal('cognito-idp.amazonaws.com', {
        conditions: {
          StringEquals: { 'sts:ExternalId': smsExternalId, 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cognito-idp:${stack.region}:${stack.account}:userpool/*` },
        },
      }),
      inlinePolicies: {
        SmsToPhoneNumbers: new PolicyDocument({
          statements: [
            new PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }),
            new PolicyStatement({ effect: Effect.DENY, actions: ['sns:Publish'], resources: [`arn:${stack.partition}:sns:*:*:*`] }),
          ],
        }),
      },
    });
    Validations.of(this.smsRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Cognito sends the invitation SMS with sns:Publish to a phone number, which has no ARN: IAM can only allow it on Resource "*". The same policy denies sns:Publish on every SNS ARN (topics, endpoints), so only phone numbers can be texted, and the trust policy lets only this account\'s user pools, with the external id, assume the role.',
    });

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true },
      signInCaseSensitive: false,
      standardAttributes: {
        fullname: { required: false, mutable: true },
        phoneNumber: { required: false, mutable: true },
      },
      customAttributes: {
        // Mutable so that an admin can set it on accounts made before it existed (and correct a mistake);
        // users cannot: the app client's write attributes leave out every custom attribute.
        person: new StringAttribute({ minLen: 1, maxLen: 128, mutable: true }),
        role: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        units: new StringAttribute({ minLen: 0, maxLen: 2048, mutable: true }),
        department: new StringAttribute({ minLen: 0, maxLen: 64, mutable: true }),
      } satisfies Record<(typeof CUSTOM_CLAIMS)[number], StringAttribute>,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Time-based one-time passwords; SMS codes to +86 numbers would need registered templates.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Staff accounts: an admin resets a forgotten password (no SMS or e-mail self-service).
      accountRecovery: AccountRecovery.NONE,
      // Plus tier for threat protection (compromised credentials, risky sign-ins) on accounts that
      // can read residents' reports. Audit first: it records risk without blocking sign-ins until
      // the risk responses are agreed; then switch to FULL_FUNCTION.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.AUDIT_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      smsRole: this.smsRole,
      smsRoleExternalId: smsExternalId,
      ...(props.smsRegion ? { snsRegion: props.smsRegion } : {}),
      userInvitation: { smsMessage: INVITATION_SMS },
    });

    this.client = this.userPool.addClient('WebClient', {
      generateSecret: false,
      // The command center signs in through the hosted sign-in with the authorization code and PKCE (a public
      // client: no secret in a browser); SRP stays for scripts (`npm run token` against the cloud).
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.PROFILE, OAuthScope.PHONE],
        callbackUrls: [`${props.siteUrl}/`],
        logoutUrls: [`${props.siteUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ fullname: true, phoneNumber: true, phoneNumberVerified: true })
        .withCustomAttributes(...CUSTOM_CLAIMS),
      // Users may change their display name only: who they are, their role, units and department are an admin's.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });

    this.domain = this.userPool.addDomain('SignIn', {
      cognitoDomain: { domainPrefix: props.domainPrefix ?? `gridflow-${Stack.of(this).account}` },
    });

    for (const role of ROLES) {
      new CfnUserPoolGroup(this, `Group-${role}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `GridFlow role ${role}`,
      });
    }

    // The L2 UserPool has no issuer setting (aws-cdk issue 38286): pinned on the CloudFormation resource.
    const cfnUserPool = this.userPool.node.defaultChild as CfnUserPool;
    cfnUserPool.issuerConfiguration = { type: USER_POOL_ISSUER_TYPE };
    this.issuerUrl = issuerUrlOf(cfnUserPool);

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP) rather than required: whether every grid worker must enroll an authenticator app is an operational decision not yet made, and SMS codes are left out because SMS to +86 numbers needs registered templates. Optional TOTP lets admin and leader accounts enroll now, and Plus-tier threat protection watches for risky sign-ins meanwhile.',
    });
  }
}
