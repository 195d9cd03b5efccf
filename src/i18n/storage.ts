/** What people read while the database cannot be used (disk full, server away). */
import { fixed } from './phrase.js';

/** A command that needs the database, answered while it is away. */
export const storageUnavailableReply = fixed(
  '지금은 저장소(데이터베이스)를 쓸 수 없어 명령을 처리하지 못했습니다. 알림은 계속 받아 두었다가 보냅니다. 잠시 뒤에 다시 해 주세요.',
  'The database cannot be used right now, so this command was not carried out. Alerts are still being kept and will be sent. Please try again in a moment.',
);
