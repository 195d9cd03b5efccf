import { InputError } from './errors.js';

/** SOOP streamer ids: lower-case letters and digits (3–20 in practice); we accept a little wider. */
const STREAMER_ID = /^[a-z0-9_]{3,24}$/;

/** Normalises and validates a streamer id (also accepts a `sooplive` station/play URL). */
export function parseStreamerId(input: string): string {
  let text = input.trim();
  const url = /^(?:https?:\/\/)?(?:play|ch|bj|www)\.(?:sooplive\.co\.kr|sooplive\.com|afreecatv\.com)\/(?:station\/)?([^/?#\s]+)/i.exec(text);
  if (url?.[1]) text = url[1];
  text = text.toLowerCase();
  if (!STREAMER_ID.test(text)) {
    throw new InputError({ code: 'STREAMER_ID_INVALID', given: input.trim().slice(0, 40) });
  }
  return text;
}
