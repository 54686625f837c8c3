/**
 * What a resident proves their phone with (shared/core/verify-phone.ts): the keyed hash of a verification code, and
 * the reporter token a confirmed code gives — signed by the installation, carrying the phone and its expiry.
 */
export interface ReporterToken {
  /** E.164. */
  phone: string;
  /** Policy time. */
  expiresAt: Date;
}

export interface ReporterCredentials {
  issueToken(token: ReporterToken): string;
  /** What a token carries if this installation signed it as it is; undefined for any other string (expiry is the caller's to check). */
  readToken(token: string): ReporterToken | undefined;
  /** The code's keyed hash for the phone: what is stored instead of the code. */
  hashCode(phone: string, code: string): string;
}
