import type * as z from 'zod';

/**
 * Compile-time check that a schema parses into exactly a domain input type (each assignable to the other), so the
 * zod schema and the use case's plain type cannot drift: `true satisfies ParsesInto<typeof Body, DomainInput>;`.
 */
export type ParsesInto<Schema extends z.ZodType, Domain> = [z.output<Schema>] extends [Domain]
  ? [Domain] extends [z.output<Schema>]
    ? true
    : false
  : false;
