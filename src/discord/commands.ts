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

export const COMMAND_NAMES = ['watch', 'unwatch', 'watches', 'keywords', 'pause', 'resume', 'status', 'test', 'help'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Who may use the management commands by default. */
export const MANAGE_PERMISSION = PermissionFlagsBits.ManageChannels;

function command(name: CommandName, ko: string, en: string, koDescription: string): SlashCommandBuilder {
  return new SlashCommandBuilder()
    .setName(name)
    .setNameLocalizations({ ko })
    .setDescription(en)
    .setDescriptionLocalizations({ ko: koDescription })
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .setDefaultMemberPermissions(name === 'help' ? null : MANAGE_PERMISSION);
}

/** The streamer option; `autocomplete` offers this channel's subscriptions. */
function streamerOption(option: SlashCommandStringOption, required: boolean, autocomplete: boolean): SlashCommandStringOption {
  return option
    .setName('streamer')
    .setNameLocalizations({ ko: '스트리머' })
    .setDescription(autocomplete ? 'A streamer this channel watches' : 'SOOP streamer id (or station URL)')
    .setDescriptionLocalizations({ ko: autocomplete ? '이 채널이 구독 중인 스트리머' : 'SOOP 스트리머 아이디 (또는 방송국 주소)' })
    .setRequired(required)
    .setMaxLength(100)
    .setAutocomplete(autocomplete);
}

function wordsOption(option: SlashCommandStringOption, autocomplete: boolean): SlashCommandStringOption {
  return option
    .setName('words')
    .setNameLocalizations({ ko: '단어' })
    .setDescription('Keywords, separated by commas')
    .setDescriptionLocalizations({ ko: '키워드 (쉼표로 구분)' })
    .setRequired(true)
    .setMaxLength(1000)
    .setAutocomplete(autocomplete);
}

function buildCommands(): SlashCommandBuilder[] {
  const watch = command('watch', '구독', 'Send this SOOP streamer’s donations and keyword chats to this channel', '이 채널에 SOOP 스트리머의 후원과 키워드 채팅 알림을 보냅니다');
  watch
    .addStringOption((o) => streamerOption(o, true, false))
    .addStringOption((o) =>
      o
        .setName('keywords')
        .setNameLocalizations({ ko: '키워드' })
        .setDescription('Also relay chats containing these words (comma separated)')
        .setDescriptionLocalizations({ ko: '이 단어가 들어간 채팅도 알림 (쉼표로 구분)' })
        .setMaxLength(1000),
    )
    .addIntegerOption((o) =>
      o
        .setName('min_balloons')
        .setNameLocalizations({ ko: '최소풍선' })
        .setDescription('Only gifts of at least this many balloons')
        .setDescriptionLocalizations({ ko: '이 개수 이상의 후원만 알림' })
        .setMinValue(0)
        .setMaxValue(10_000_000),
    )
    .addStringOption((o) =>
      o
        .setName('events')
        .setNameLocalizations({ ko: '이벤트' })
        .setDescription('Which alerts: star, ad, video, subscription, mission, live, offline, chat (or all)')
        .setDescriptionLocalizations({ ko: '받을 알림: 별풍선, 애드벌룬, 영상풍선, 구독, 미션, 방송시작, 방송종료, 채팅 (또는 전체)' })
        .setMaxLength(200)
        .setAutocomplete(true),
    )
    .addRoleOption((o) =>
      o
        .setName('mention_role')
        .setNameLocalizations({ ko: '멘션역할' })
        .setDescription('Role to mention on big gifts (see loud_above)')
        .setDescriptionLocalizations({ ko: '큰 후원 때 멘션할 역할 (알림기준 참고)' }),
    )
    .addIntegerOption((o) =>
      o
        .setName('loud_above')
        .setNameLocalizations({ ko: '알림기준' })
        .setDescription('From this many balloons, mention the role')
        .setDescriptionLocalizations({ ko: '이 개수 이상이면 역할을 멘션' })
        .setMinValue(1)
        .setMaxValue(10_000_000),
    );

  const unwatch = command('unwatch', '구독해제', 'Stop alerts for a streamer in this channel', '이 채널의 스트리머 알림을 끕니다');
  unwatch.addStringOption((o) => streamerOption(o, true, true));

  const watches = command('watches', '구독목록', 'List the streamers watched in this channel', '이 채널이 구독 중인 스트리머 목록');
  watches.addBooleanOption((o) =>
    o
      .setName('server')
      .setNameLocalizations({ ko: '서버전체' })
      .setDescription('List every channel of this server')
      .setDescriptionLocalizations({ ko: '이 서버의 모든 채널 보기' }),
  );

  const keywords = command('keywords', '키워드', 'Add, remove or list the keywords of a subscription', '구독의 키워드를 추가·삭제·확인합니다');
  keywords
    .addSubcommand((s) =>
      s
        .setName('add')
        .setNameLocalizations({ ko: '추가' })
        .setDescription('Add keywords')
        .setDescriptionLocalizations({ ko: '키워드 추가' })
        .addStringOption((o) => streamerOption(o, true, true))
        .addStringOption((o) => wordsOption(o, false)),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setNameLocalizations({ ko: '삭제' })
        .setDescription('Remove keywords')
        .setDescriptionLocalizations({ ko: '키워드 삭제' })
        .addStringOption((o) => streamerOption(o, true, true))
        .addStringOption((o) => wordsOption(o, true)),
    )
    .addSubcommand((s) =>
      s
        .setName('list')
        .setNameLocalizations({ ko: '목록' })
        .setDescription('Show the keywords')
        .setDescriptionLocalizations({ ko: '키워드 보기' })
        .addStringOption((o) => streamerOption(o, true, true)),
    );

  const pause = command('pause', '일시정지', 'Pause alerts here (one streamer, or all)', '이 채널의 알림을 잠시 멈춥니다 (한 스트리머 또는 전체)');
  pause.addStringOption((o) => streamerOption(o, false, true));
  const resume = command('resume', '재개', 'Resume paused alerts here (one streamer, or all)', '멈춘 알림을 다시 시작합니다 (한 스트리머 또는 전체)');
  resume.addStringOption((o) => streamerOption(o, false, true));
  const status = command('status', '상태', 'Connection state, last donation, and why nothing arrives', '연결 상태, 마지막 후원, 알림이 오지 않는 이유');
  status.addStringOption((o) => streamerOption(o, true, true));
  const test = command('test', '테스트', 'Send a test alert to this channel', '이 채널에 테스트 알림을 보냅니다');
  test.addStringOption((o) => streamerOption(o, false, true));
  const help = command('help', '도움말', 'How to use this bot', '봇 사용법');

  return [watch, unwatch, watches, keywords, pause, resume, status, test, help];
}

/** The bulk-overwrite body of PUT /applications/:id/commands (validated by the builders). */
export function commandDefinitions(): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return buildCommands().map((c) => c.toJSON());
}
