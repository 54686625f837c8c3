/**
 * What the HTTP API itself replies, before any handler runs: AWS's `{"message": …}`, not the app's
 * `{"error": …}` — an HTTP API cannot change these bodies. 401 from the JWT authorizer on signed-in
 * routes (no token, or one that fails signature, issuer, audience or expiry); 429 from the stage's
 * throttle on any route. The local gateway gives the same 401; it does not throttle.
 */
import * as z from 'zod';

export const GatewayReply = z
  .object({ message: z.string() })
  .meta({ description: "The HTTP API's own reply (JWT authorizer, throttling): AWS's shape, not the app's" });

export const GATEWAY_UNAUTHORIZED = { message: 'Unauthorized' } as const;
export const GATEWAY_TOO_MANY_REQUESTS = { message: 'Too Many Requests' } as const;
