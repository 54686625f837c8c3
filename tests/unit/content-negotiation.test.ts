import { describe, expect, test } from '@jest/globals';
import { formatFromAccept } from '../../shared/http/content-negotiation';

describe('formatFromAccept', () => {
  test.each([
    [undefined, 'json'],
    ['', 'json'],
    ['*/*', 'json'],
    ['text/html', 'html'],
    ['text/csv', 'csv'],
    ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'html'],
    ['text/csv;q=0.5, text/html;q=0.9', 'html'],
    ['text/csv, text/html', 'csv'],
    ['TEXT/CSV', 'csv'],
    ['application/json;q=0.1, text/csv;q=0.2', 'csv'],
    ['image/png', 'json'],
  ])('%s → %s', (accept, format) => {
    expect(formatFromAccept(accept)).toBe(format);
  });
});
