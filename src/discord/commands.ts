/**
 * The slash commands, with Korean names and descriptions (the bot's users are mostly Korean; an
 * English client sees the English ones). Management commands default to members with Manage
 * Channels (server admins can change that per role/channel, so interactions.ts checks again at
 * run time); /help is for everyone. All commands are guild-only.
 */
import {
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type SlashCommandStringOption,
} from 'discord.js';
import { LANGUAGE_CHOICES, SLASH_COMMANDS, SLASH_OPTIONS, SLASH_SUBCOMMANDS, say, type SlashText } from '../i18n/index.js';

export const COMMAND_NAMES = ['watch', 'unwatch', 'watches', 'keywords', 'pause', 'resume', 'status', 'test', 'settings', 'help'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Who may use the management commands by default. */
export const MANAGE_PERMISSION = PermissionFlagsBits.ManageChannels;

/** Anything with a name and a description: a command, a subcommand, an option. */
interface Describable {
  setName(name: string): this;
  setNameLocalizations(names: { ko: string }): this;
  setDescription(text: string): this;
  setDescriptionLocalizations(texts: { ko: string }): this;
}

/** Names it (English, with the Korean localisation) and describes it in both languages. */
function named<T extends Describable>(builder: T, name: string, text: SlashText): T {
  return builder.setName(name).setNameLocalizations({ ko: text.ko }).setDescription(say('en', text.description)).setDescriptionLocalizations({ ko: say('ko', text.description) });
}

function command(name: CommandName): SlashCommandBuilder {
  return named(new SlashCommandBuilder(), name, SLASH_COMMANDS[name])
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setDefaultMemberPermissions(name === 'help' ? null : MANAGE_PERMISSION);
}

/** The streamer option; `autocomplete` offers this channel's subscriptions. */
function streamerOption(option: SlashCommandStringOption, required: boolean, autocomplete: boolean): SlashCommandStringOption {
  return named(option, 'streamer', autocomplete ? SLASH_OPTIONS.watchedStreamer : SLASH_OPTIONS.streamer)
    .setRequired(required)
    .setMaxLength(100)
    .setAutocomplete(autocomplete);
}

function wordsOption(option: SlashCommandStringOption, autocomplete: boolean): SlashCommandStringOption {
  return named(option, 'words', SLASH_OPTIONS.words).setRequired(true).setMaxLength(1000).setAutocomplete(autocomplete);
}

function buildCommands(): SlashCommandBuilder[] {
  const watch = command('watch');
  watch
    .addStringOption((o) => streamerOption(o, true, false))
    .addStringOption((o) => named(o, 'keywords', SLASH_OPTIONS.keywords).setMaxLength(1000))
    .addIntegerOption((o) => named(o, 'min_balloons', SLASH_OPTIONS.minBalloons).setMinValue(0).setMaxValue(10_000_000))
    .addStringOption((o) => named(o, 'events', SLASH_OPTIONS.events).setMaxLength(200).setAutocomplete(true))
    .addRoleOption((o) => named(o, 'mention_role', SLASH_OPTIONS.mentionRole))
    .addIntegerOption((o) => named(o, 'loud_above', SLASH_OPTIONS.loudAbove).setMinValue(1).setMaxValue(10_000_000));

  const unwatch = command('unwatch');
  unwatch.addStringOption((o) => streamerOption(o, true, true));

  const watches = command('watches');
  watches.addBooleanOption((o) => named(o, 'server', SLASH_OPTIONS.server));

  const keywords = command('keywords');
  keywords
    .addSubcommand((s) =>
      named(s, 'add', SLASH_SUBCOMMANDS.keywordsAdd)
        .addStringOption((o) => streamerOption(o, true, true))
        .addStringOption((o) => wordsOption(o, false)),
    )
    .addSubcommand((s) =>
      named(s, 'remove', SLASH_SUBCOMMANDS.keywordsRemove)
        .addStringOption((o) => streamerOption(o, true, true))
        .addStringOption((o) => wordsOption(o, true)),
    )
    .addSubcommand((s) => named(s, 'list', SLASH_SUBCOMMANDS.keywordsList).addStringOption((o) => streamerOption(o, true, true)));

  const pause = command('pause');
  pause.addStringOption((o) => streamerOption(o, false, true));
  const resume = command('resume');
  resume.addStringOption((o) => streamerOption(o, false, true));
  const status = command('status');
  status.addStringOption((o) => streamerOption(o, true, true));
  const test = command('test');
  test.addStringOption((o) => streamerOption(o, false, true));
  const settings = command('settings');
  settings.addSubcommand((s) =>
    named(s, 'language', SLASH_SUBCOMMANDS.settingsLanguage).addStringOption((o) =>
      named(o, 'language', SLASH_OPTIONS.language).addChoices(...LANGUAGE_CHOICES.map((c) => ({ name: c.name, name_localizations: { ko: c.ko }, value: c.value }))),
    ),
  );
  const help = command('help');

  return [watch, unwatch, watches, keywords, pause, resume, status, test, settings, help];
}

/** The bulk-overwrite body of PUT /applications/:id/commands (validated by the builders). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return buildCommands().map((c) => c.toJSON());
}
