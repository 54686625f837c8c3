/** Which form a reply takes when a route answers in several (JSON, HTML, CSV): the Accept header decides. */
export type ReplyFormat = 'json' | 'html' | 'csv';

const MEDIA_TYPES: Record<string, ReplyFormat> = { 'application/json': 'json', 'text/html': 'html', 'text/csv': 'csv' };

/** The form the Accept header prefers (highest q; the first listed on a tie); JSON when it names none of ours. */
export function formatFromAccept(accept: string | undefined): ReplyFormat {
  let best: { format: ReplyFormat; quality: number } = { format: 'json', quality: 0 };
  for (const range of (accept ?? '').split(',')) {
    const [type, ...parameters] = range.split(';').map((part) => part.trim().toLowerCase());
    const format = MEDIA_TYPES[type];
    const qualityParameter = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = qualityParameter ? Number(qualityParameter.slice(2)) : 1;
    if (format && quality > best.quality) best = { format, quality };
  }
  return best.format;
}
