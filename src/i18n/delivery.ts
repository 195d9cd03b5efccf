/** What /status says about delivery: alerts given up on, alerts held while the database is away. */
import { phrase } from './phrase.js';

export const deliveryStatus = {
  givenUp: phrase(
    (count: number, lastAt: string, _reason: string | undefined) => `전달하지 못하고 포기한 알림: ${count}건 (마지막: ${lastAt})`,
    (count: number, lastAt: string, reason: string | undefined) => `Alerts given up after delivery failures: ${count} (last: ${lastAt}${reason ? `; ${reason}` : ''})`,
  ),
  held: phrase(
    (count: number) => `데이터베이스를 쓸 수 없어 메모리에 보관 중인 이벤트: ${count}건 (복구되면 저장한 뒤 보냅니다)`,
    (count: number) => `Events held in memory while the database is unavailable: ${count} (written, then sent, when it returns)`,
  ),
};
