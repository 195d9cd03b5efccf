/** The command menu Telegram shows, in Korean (everyone) and English (users whose app is in English); its words are in src/i18n. */
import { TELEGRAM_MENU, say, type Locale } from '../i18n/index.js';

export interface MenuCommand {
  readonly command: string;
  readonly description: string;
}

export function menuCommands(locale: Locale): MenuCommand[] {
  return TELEGRAM_MENU.map(([command, description]) => ({ command, description: say(locale, description) }));
}
