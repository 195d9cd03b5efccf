/** Field lists (W1…) of the newly decoded codes, laid out as the peer clients read them. */

// W1 relay room, W2 streamer, W3 streamer nick, W4 sender, W5 nick, W6 count, W7 fanOrder, W8 ?,
// W9 file, W10 isDefault, W11 topFanLevel, W12 tts, W13 uuid, W14 language, W15 urlModify.
export const relayStar = [
  'relaybj02', 'testbj01', '테스트BJ', 'viewer31', '릴레이후원', 50, 321, 0, '50', 0, 1, 'google_tts',
  '00000000-0000-4000-8000-000000000033', 'ko_KR', 1774343693,
];
// W1 streamer, W2 sender, W3 nick, W4 count, W5 image, W6 title, W7 chatNo, W8 language, W9 urlModify.
export const vodAd = ['testbj01', 'viewer32', 'VOD애드', 300, 'https://res.sooplive.com/img.png', '다시보기 응원!', '4172', 'ko_KR', 1774343693];
// W1 chatNo, W2 text, W3 group, W4 item, W5 version, W6 sender, W7 nick, W8 flags, W9 colour,
// W10 language, W11 emoticon type, W12 ext, W13 months, W14/W15 nick colours, W16 accumulated,
// W17 personalcon month, W18 animation, W19 cheer team.
export const emoticonChat = [
  '4172', '대박 이모티콘', 'ogq-group-1', 'ogq-item-7', 1, 'viewer33', '이모티콘러', '288|163840', 1122867, 3, 0, 'png', 4,
  'E07E0A', 'D39750', 8, -1, 0, -1,
];
// W1 text, W2 sender, W3 is-admin, W4 language, W5 nick, W6 flags, W7 months.
export const managerChat = ['대박 공지 확인해주세요', 'manager01', 0, 3, '매니저', '288|163840', -1];

/** One frame of every newly decoded code, keyed by the code, for the decode CLI. */
export const newCodeFrames: readonly (readonly [number, readonly (string | number)[]])[] = [
  [33, relayStar],
  [103, vodAd],
  [109, emoticonChat],
  [26, managerChat],
  [20, ['testbj01', '테스트BJ', 'viewer40', '스티커', '', 1, '', 10, 2]],
  [34, ['relay', 'testbj01', '테스트BJ', 'viewer41', '스티커', '', 1, '', 20, 2]],
  [37, ['', 'testbj01', 'viewer42', '초콜릿', 5]],
  [38, ['', 'testbj01', 'viewer43', '초콜릿', 6]],
  [45, ['', 'viewer44', '퀵뷰', 'viewer45', '받은이', 101]],
  [118, ['', 'viewer46', '선물러', 'viewer47', '받은이', '웃는 곰', 'https://img']],
  [120, ['', 'viewer48', '받은이', '젬 아이템']],
];
