/** A path on this site to return to after signing in, or `fallback`: never another site. */
export function localPath(input: unknown, fallback = '/'): string {
  if (typeof input !== 'string') return fallback;
  if (!input.startsWith('/') || input.startsWith('//') || input.startsWith('/\\')) return fallback;
  if (/[\r\n]/.test(input)) return fallback;
  return input;
}
