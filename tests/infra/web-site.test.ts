/**
 * The command center in the cloud (issue 16): a private bucket read by CloudFront only, HTTPS with security headers,
 * config.json written at deployment with the API and the user pool, the API's CORS and the hosted sign-in's callback
 * on the site's origin alone; a domain of the district's own serves TLS 1.2+ only. Synthesized without bundling.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { GridFlowStack } from '../../infra/gridflow-stack';
import { logicalIdOf, synthesizeGridFlow } from './synthesize';

type Json = any; // template fragments

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
let stack: GridFlowStack;
let template: Template;
let cleanup: () => void;
let assemblyDir: string;
/** A base map for the map page (the `tileUrl` context): Tianditu's vector layer in Web Mercator, with a key. */
const TIANDITU =
  'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY';
beforeAll(() => {
  ({ stack, template, cleanup, assemblyDir } = synthesizeGridFlow({
    ...NO_BUNDLING,
    nag: false,
    authDomainPrefix: 'huicheng-gridflow',
    tileUrl: TIANDITU,
  }));
});
afterAll(() => cleanup?.());

const only = (type: string): Json => {
  const found = Object.values(template.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
};
const distributionId = () => logicalIdOf(stack.site.distribution);
const siteOrigin = () => ({ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }]] });

test('the files are in a private, encrypted bucket that only this distribution reads (origin access control)', () => {
  const files = template.findResources('AWS::S3::Bucket')[logicalIdOf(stack.site.bucket)];
  expect(files.Properties.PublicAccessBlockConfiguration).toEqual({
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  expect(files.Properties.LoggingConfiguration).toBeDefined();
  only('AWS::CloudFront::OriginAccessControl');
  const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
    (policy: Json) => policy.Properties.Bucket.Ref === logicalIdOf(stack.site.bucket),
  );
  const reads = policies.flatMap((policy: Json) => policy.Properties.PolicyDocument.Statement).filter((s: Json) => s.Effect === 'Allow');
  expect(reads).toEqual([
    expect.objectContaining({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    }),
  ]);
});

test('the distribution serves index.html over HTTPS only, compressed, with security headers, and logs its requests', () => {
  const { DistributionConfig: config } = only('AWS::CloudFront::Distribution').Properties;
  expect(config.DefaultRootObject).toBe('index.html');
  expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
  expect(config.DefaultCacheBehavior.Compress).toBe(true);
  expect(config.Logging).toBeDefined();
  const { SecurityHeadersConfig: headers } = only('AWS::CloudFront::ResponseHeadersPolicy').Properties.ResponseHeadersPolicyConfig;
  expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toMatch(/default-src 'self'.*frame-ancestors 'none'/);
  expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe/);
  expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31536000, Override: true });
  expect(headers.FrameOptions.FrameOption).toBe('DENY');
  expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
  expect(headers.ContentTypeOptions.Override).toBe(true);
});

test("config.json is written beside the app at deployment: the API's URL, the region, the user pool, its client and sign-in", () => {
  const deployment = only('Custom::CDKBucketDeployment').Properties;
  expect(deployment.DestinationBucketName).toEqual({ Ref: logicalIdOf(stack.site.bucket) });
  expect(deployment.Prune).toBe(true);
  expect(deployment.DistributionPaths).toEqual(['/index.html', '/config.json']);
  // Source.jsonData leaves the deploy-time values as markers the provider fills in.
  const markers = JSON.stringify(deployment.SourceMarkers);
  for (const construct of [stack.users.userPool, stack.users.client, stack.httpApi.api])
    expect(markers).toContain(`"Ref":"${logicalIdOf(construct)}"`);
  expect(markers).toContain(`"Ref":"${logicalIdOf(stack.users.domain)}"`);
});

test("config.json names the map's base layer, the tileUrl context (Source.jsonData stages it as an asset folder)", () => {
  const staged = readdirSync(assemblyDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('asset.'))
    .flatMap((entry) => readdirSync(join(assemblyDir, entry.name)).map((file) => join(assemblyDir, entry.name, file)))
    .filter((file) => file.endsWith('config.json'));
  expect(staged).toHaveLength(1);
  expect(JSON.parse(readFileSync(staged[0], 'utf8'))).toMatchObject({ tileUrl: TIANDITU });
});

test("the API's CORS and the hosted sign-in's callback name the site's origin", () => {
  const api = only('AWS::ApiGatewayV2::Api').Properties;
  expect(api.CorsConfiguration.AllowOrigins).toEqual([siteOrigin()]);
  const client = only('AWS::Cognito::UserPoolClient').Properties;
  expect(client.AllowedOAuthFlows).toEqual(['code']);
  expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
  expect(client.GenerateSecret).toBe(false);
  expect(client.CallbackURLs).toEqual([{ 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId(), 'DomainName'] }, '/']] }]);
  expect(client.SupportedIdentityProviders).toEqual(['COGNITO']);
  expect(only('AWS::Cognito::UserPoolDomain').Properties.Domain).toBe('huicheng-gridflow');
  template.hasOutput('SiteUrl', {});
  template.hasOutput('SignInDomain', {});
});

test("a domain of the district's own: its name, its certificate, TLS 1.2+ only, the same origin for CORS and the callback; cdk-nag clean", () => {
  const own = synthesizeGridFlow({
    ...NO_BUNDLING,
    siteDomainName: 'gridflow.huicheng.example.cn',
    siteCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  });
  try {
    const [distribution] = Object.values(own.template.findResources('AWS::CloudFront::Distribution')) as Json[];
    const config = distribution.Properties.DistributionConfig;
    expect(config.Aliases).toEqual(['gridflow.huicheng.example.cn']);
    expect(config.ViewerCertificate).toMatchObject({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' });
    own.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://gridflow.huicheng.example.cn'] }),
    });
    own.template.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: ['https://gridflow.huicheng.example.cn/'] });
    const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(own.stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
  } finally {
    own.cleanup();
  }
});

test('a domain without its certificate is refused at synthesis, saying what goes with what', () => {
  expect(() => synthesizeGridFlow({ ...NO_BUNDLING, nag: false, siteDomainName: 'gridflow.huicheng.example.cn' })).toThrow(
    /siteDomainName and siteCertificateArn go together/,
  );
});
