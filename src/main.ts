/** `npm start` and the image's `node dist/main.js`: the bot as a process (src/start.ts). */
import { runBotProcess } from './start.js';

await runBotProcess(process.argv.slice(2));
