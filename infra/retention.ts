import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/**
 * Every log group of the platform (functions, API access, workflow) keeps six months: the PRC
 * Cybersecurity Law (Art. 21) asks network operators to keep network logs for at least that long.
 */
export const LOG_RETENTION = RetentionDays.SIX_MONTHS;
