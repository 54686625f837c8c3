/**
 * The local engine's refusals under the names AWS Step Functions gives them, and its task tokens: a token
 * names its execution, so an answer to a token that is no longer waiting can be told apart from a token
 * that never was one, as AWS tells them apart (README.md here, "Task tokens").
 */
import { randomBytes } from 'node:crypto';

/** An error AWS Step Functions returns as `{"__type": awsError, "message": …}` with HTTP 400. */
export class StepFunctionsError extends Error {
  constructor(
    readonly awsError: string,
    message: string,
  ) {
    super(message);
    this.name = awsError;
  }
}

export type TaskTokenError = 'InvalidToken' | 'TaskDoesNotExist' | 'TaskTimedOut';

/**
 * Thrown by sendTaskSuccess/sendTaskFailure/sendTaskHeartbeat for a token that is not waiting: `awsError`
 * says which, as AWS names it — not a token of this engine (`InvalidToken`), of an execution it does not
 * know (`TaskDoesNotExist`), or of a task that is over: answered, timed out, or its execution ended
 * (`TaskTimedOut`, "Provided task does not exist anymore").
 */
export class TaskTokenInvalid extends StepFunctionsError {
  constructor(
    override readonly awsError: TaskTokenError,
    message: string,
  ) {
    super(awsError, message);
    this.name = 'TaskTokenInvalid';
  }
}

/** AWS's limit on a task token's length (SendTaskSuccess: 1–2048 characters). */
const MAX_TOKEN_LENGTH = 2048;
/** The first element of a token's content: tells this engine's tokens from other strings. */
const TOKEN_MARK = 'gridflow-local-states';

/** A fresh single-use token for a waiting task of this execution. */
export function newTaskToken(executionName: string): string {
  const nonce = randomBytes(24).toString('base64url');
  return Buffer.from(JSON.stringify([TOKEN_MARK, executionName, nonce])).toString('base64url');
}

/** The execution a token names, or undefined when the string is not a token of this engine. */
export function tokenExecution(token: unknown): string | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const named = Array.isArray(decoded) && decoded[0] === TOKEN_MARK && typeof decoded[1] === 'string' && typeof decoded[2] === 'string';
    return named ? decoded[1] : undefined;
  } catch {
    return undefined;
  }
}
