/**
 * An SDK client's settings from the given environment, as the SDK would read them from process.env:
 * the service's own endpoint variable before the general one; the region; static credentials when set
 * (Lambda sets its role's in the environment); otherwise the SDK's default chain.
 */
export function clientConfig(env: NodeJS.ProcessEnv, serviceId: 'DYNAMODB' | 'SFN' | 'SNS') {
  const endpoint = env[`AWS_ENDPOINT_URL_${serviceId}`] || env.AWS_ENDPOINT_URL;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(region ? { region } : {}),
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } } : {}),
  };
}
