/**
 * Discord's checks of a message body (message.mdx "Embed Limits", "Create Message"), as the fake
 * Discord applies them when `enforceLimits` is on: the errors of a 400 "Invalid Form Body" (50035),
 * keyed by field path like Discord's `errors` object. Lengths are counted in UTF-16 units, which is
 * never less than Discord's own count.
 */
export const DISCORD_BODY_LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  embedsTotal: 6000,
} as const;

interface EmbedLike {
  readonly title?: unknown;
  readonly description?: unknown;
  readonly fields?: unknown;
  readonly footer?: { readonly text?: unknown };
  readonly author?: { readonly name?: unknown };
}

const length = (value: unknown): number => (typeof value === 'string' ? value.length : 0);

/** Every limit the body breaks, as `path → message`; empty when Discord would accept it. */
export function discordBodyViolations(body: { readonly content?: unknown; readonly embeds?: unknown }): Record<string, string> {
  const errors: Record<string, string> = {};
  const tooLong = (path: string, value: unknown, max: number): void => {
    if (length(value) > max) errors[path] = `Must be ${max} or fewer in length.`;
  };
  tooLong('content', body.content, DISCORD_BODY_LIMITS.content);
  const embeds = Array.isArray(body.embeds) ? (body.embeds as EmbedLike[]) : [];
  if (embeds.length > DISCORD_BODY_LIMITS.embeds) errors.embeds = `Must be ${DISCORD_BODY_LIMITS.embeds} or fewer in length.`;
  let total = 0;
  embeds.forEach((embed, i) => {
    tooLong(`embeds.${i}.title`, embed.title, DISCORD_BODY_LIMITS.title);
    tooLong(`embeds.${i}.description`, embed.description, DISCORD_BODY_LIMITS.description);
    tooLong(`embeds.${i}.footer.text`, embed.footer?.text, DISCORD_BODY_LIMITS.footer);
    tooLong(`embeds.${i}.author.name`, embed.author?.name, DISCORD_BODY_LIMITS.author);
    const fields = Array.isArray(embed.fields) ? (embed.fields as { name?: unknown; value?: unknown }[]) : [];
    if (fields.length > DISCORD_BODY_LIMITS.fields) errors[`embeds.${i}.fields`] = `Must be ${DISCORD_BODY_LIMITS.fields} or fewer in length.`;
    fields.forEach((field, j) => {
      tooLong(`embeds.${i}.fields.${j}.name`, field.name, DISCORD_BODY_LIMITS.fieldName);
      tooLong(`embeds.${i}.fields.${j}.value`, field.value, DISCORD_BODY_LIMITS.fieldValue);
      if (length(field.name) === 0) errors[`embeds.${i}.fields.${j}.name`] = 'This field is required';
      if (length(field.value) === 0) errors[`embeds.${i}.fields.${j}.value`] = 'This field is required';
      total += length(field.name) + length(field.value);
    });
    total += length(embed.title) + length(embed.description) + length(embed.footer?.text) + length(embed.author?.name);
  });
  if (total > DISCORD_BODY_LIMITS.embedsTotal) errors.embeds = `Embed size exceeds maximum size of ${DISCORD_BODY_LIMITS.embedsTotal}`;
  return errors;
}

/** True when the body has nothing to show (Discord answers 400, code 50006). */
export function isEmptyDiscordMessage(body: { readonly content?: unknown; readonly embeds?: unknown }): boolean {
  return length(body.content) === 0 && !(Array.isArray(body.embeds) && body.embeds.length > 0);
}
