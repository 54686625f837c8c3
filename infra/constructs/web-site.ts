import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type ICertificate, Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { nagPseudo } from '../nag-pseudo';

export interface WebSiteProps {
  /** The built web app (index.html, assets/): uploaded as it is. */
  readonly siteDir: string;
  /** A domain of the district's own (e.g. `gridflow.example.gov.cn`), with an ACM certificate for it in us-east-1. */
  readonly domainName?: string;
  readonly certificateArn?: string;
}

/** How long CloudFront and S3 keep the site's access logs. */
const ACCESS_LOG_DAYS = 180;

/**
 * The command center's site: a private S3 bucket read by CloudFront only (origin access control), HTTPS only,
 * with security headers, and access logs kept for half a year. The app's files are uploaded by a deployment that
 * also writes `config.json` (the API's URL, the user pool, its client and sign-in domain): the app reads it at
 * start, so one build serves every deployment.
 */
export class WebSite extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<domain>`: the only origin the API's CORS allows and the sign-in's callback. */
  readonly url: string;
  private readonly siteDir: string;

  constructor(scope: Construct, id: string, props: WebSiteProps) {
    super(scope, id);
    this.siteDir = props.siteDir;
    if (Boolean(props.domainName) !== Boolean(props.certificateArn))
      throw new Error('siteDomainName and siteCertificateArn go together: a domain of your own needs its certificate (in us-east-1)');

    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are delivered with an ACL on the object.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(ACCESS_LOG_DAYS) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.bucket = new Bucket(this, 'Files', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // Rebuilt from the sources at each deployment: nothing in it is kept anywhere else only.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'GridFlow command center: security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The app's own files; the API on its own origin (connect-src https:); reports' HTML in a sandboxed frame.
          contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; connect-src 'self' https:; frame-src 'self' blob: data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self' https:; object-src 'none'",
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const certificate: ICertificate | undefined = props.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn)
      : undefined;
    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'GridFlow command center',
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Edge locations in North America, Europe and Asia (Hong Kong, Singapore, Japan…): the district's users are in China.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(certificate && props.domainName
        ? { domainNames: [props.domainName], certificate, minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
    });
    this.url = `https://${props.domainName ?? this.distribution.distributionDomainName}`;

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: the command center is signed in to by staff who travel (and residents open links from SMS wherever they are); every API call is authorized by a Cognito token, so a country block would add no protection to the data.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        "No WAF on the site: it serves static files only (the app's script and styles, the same to everyone); the API, where the data is, has its own throttling and authorizer. A web ACL (about $5 a month plus rules) can be added when a district's security office requires one.",
    });
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "Without a domain of the district's own the site is served on its *.cloudfront.net name with CloudFront's default certificate, whose minimum protocol CloudFront fixes (TLSv1); setting siteDomainName and siteCertificateArn serves it with TLS 1.2 or later only.",
      });
    }
  }

  /** Uploads the app and writes its `config.json`; tokens in `config` (the API URL, pool ids) resolve at deployment. */
  deployContent(config: Record<string, string>): BucketDeployment {
    const stack = Stack.of(this);
    const deployment = new BucketDeployment(this, 'Content', {
      destinationBucket: this.bucket,
      sources: [Source.asset(this.siteDir), Source.jsonData('config.json', config)],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      // Hashed assets are cached for good (their names change with their content); index.html and config.json are
      // revalidated, and invalidated at each deployment.
      cacheControl: [CacheControl.fromString('public, max-age=0, must-revalidate')],
      prune: true,
      memoryLimit: 512,
    });
    // The provider is a singleton CDK puts at the stack's root (its function, role and policy are the construct's own).
    const provider = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!provider) throw new Error("aws-cdk-lib's bucket deployment provider was not found at the stack's root");
    const siteObjects = `<${stack.getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
    const { partition, account, region } = nagPseudo(this);
    const assetObjects = `arn:${partition}:s3:::cdk-hnb659fds-assets-${account}-${region}/*`;
    for (const [id, reason] of Object.entries(deploymentReasons(siteObjects, assetObjects)))
      Validations.of(provider).acknowledge({ id, reason });
    return deployment;
  }
}

/** Why the CDK's bucket-deployment provider (its Lambda, role and policy, which aws-cdk-lib writes) is as it is. */
function deploymentReasons(siteObjects: string, assetObjects: string): Record<string, string> {
  const provider = "aws-cdk-lib's bucket-deployment provider, which runs only while a deployment uploads the command center's files,";
  return {
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]': `${provider} writes its own logs with AWSLambdaBasicExecutionRole, as the construct defines it.`,
    'AwsSolutions-IAM5[Action::s3:GetBucket*]': `${provider} reads the CDK asset bucket and the site bucket (s3:GetBucket* on those two buckets only).`,
    'AwsSolutions-IAM5[Action::s3:GetObject*]': `${provider} reads the uploaded build from the CDK asset bucket (s3:GetObject* on its objects only).`,
    'AwsSolutions-IAM5[Action::s3:List*]': `${provider} lists the CDK asset bucket and the site bucket to sync them (s3:List* on those two only).`,
    [`AwsSolutions-IAM5[Resource::${assetObjects}]`]: `${provider} reads the objects of the CDK bootstrap asset bucket, where the build is staged.`,
    'AwsSolutions-IAM5[Action::s3:Abort*]': `${provider} aborts its own unfinished multipart uploads to the site bucket.`,
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]': `${provider} removes files of an earlier build from the site bucket (prune), on that bucket's objects only.`,
    [`AwsSolutions-IAM5[Resource::${siteObjects}]`]: `${provider} replaces the objects of the site bucket, and only of that bucket.`,
    'AwsSolutions-L1': `${provider} runs on the Python runtime aws-cdk-lib chooses for it (with the AWS CLI layer); it moves with aws-cdk-lib's upgrades, not ours.`,
    'AwsSolutions-IAM5[Resource::*]': `${provider} invalidates index.html and config.json on the site's distribution (cloudfront:CreateInvalidation, GetInvalidation), which the construct grants on "*".`,
  };
}
