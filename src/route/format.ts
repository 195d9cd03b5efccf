/** The renderings of an Alert, one module per platform; this is the entry point the router uses. */
export type { Alert, AlertMeta, AlertPayload, DonationAlertKind } from './alert.js';
export { buildCard, summarize, liveUrl, KIND_COLOUR, type AlertCard, type AlertSummary, type CardField } from './card.js';
export { renderConsole, renderConsoleDigest } from './format-console.js';
export {
  DISCORD_LIMITS,
  escapeDiscord,
  renderDiscord,
  renderDiscordDigest,
  renderDiscordMinimal,
  type DiscordEmbed,
  type DiscordEmbedField,
  type DiscordMessage,
} from './format-discord.js';
export {
  TELEGRAM_TEXT_LIMIT,
  escapeHtml,
  renderTelegram,
  renderTelegramDigest,
  renderTelegramMinimal,
  breakTelegramMentions,
  type TelegramMessage,
} from './format-telegram.js';
