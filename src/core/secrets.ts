/**
 * Masks what looks like a credential in a value a person is shown (a config error, a start-up
 * line): the password of a URL, credential-named query parameters, and anything shaped like a
 * Discord or Telegram token or a long random key, wherever it was pasted.
 */
const MASK = '***';

const TOKEN_SHAPES: readonly RegExp[] = [
  /\bbot\d{5,}:[A-Za-z0-9_-]{20,}/g, // Telegram token in a Bot API path
  /\b\d{5,}:[A-Za-z0-9_-]{20,}/g, // bare Telegram token
  /[A-Za-z\d_-]{20,}\.[A-Za-z\d_-]{5,}\.[A-Za-z\d_-]{20,}/g, // Discord token, JWT
  // A long run of letters and digits mixing both: an API key, a secret, a session cookie.
  /(?=[A-Za-z0-9_+/=-]*\d)(?=[A-Za-z0-9_+/=-]*[A-Za-z])[A-Za-z0-9_+/=-]{24,}/g,
];

const CREDENTIAL_PARAM = /token|secret|pass|pwd|key|auth|sig|session|cookie|credential/i;

function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (!url.username && !url.password && ![...url.searchParams.keys()].some((k) => CREDENTIAL_PARAM.test(k))) return text;
  if (url.password) url.password = MASK;
  else if (url.username) url.username = MASK;
  for (const key of [...url.searchParams.keys()]) if (CREDENTIAL_PARAM.test(key)) url.searchParams.set(key, MASK);
  return url.toString().replaceAll(encodeURIComponent(MASK), MASK);
}

/** The text with every credential-looking part replaced by `***`. */
export function maskSecrets(text: string): string {
  let out = maskUrl(text);
  // user:password@ inside a longer text (or an unparsable URL).
  out = out.replace(/(\/\/[^/\s:@]*:)[^/\s@]+@/g, `$1${MASK}@`);
  for (const shape of TOKEN_SHAPES) out = out.replace(shape, MASK);
  return out;
}
