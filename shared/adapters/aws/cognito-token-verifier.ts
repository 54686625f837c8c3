/** Verifies a Cognito-issued bearer token on routes where signing in is optional (the gateway does not). */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { TokenVerifier } from '../../auth/caller';

export class CognitoTokenVerifier implements TokenVerifier {
  private readonly verifier;

  constructor(userPoolId: string, clientId: string) {
    this.verifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: 'id' });
  }

  async verify(token: string): Promise<Record<string, unknown>> {
    return (await this.verifier.verify(token)) as unknown as Record<string, unknown>;
  }
}
