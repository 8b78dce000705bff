// Child process for lock.test.ts: holds a warehouse directory (chDB locks it), optionally
// serving it over HTTP like a running stack, until its stdin closes.
import { openWarehouse, serveClickHouseHttp } from '../../src/index.ts';

const [dir, mode] = process.argv.slice(2);
if (dir === undefined) throw new Error('usage: holder-child.ts DIR [serve]');
const wh = await openWarehouse({ dataDir: dir, env: {} });
const ep = mode === 'serve' ? await serveClickHouseHttp(wh, { port: 0 }) : undefined;
process.stdout.write(`ready ${ep?.url ?? '-'}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await ep?.close();
    await wh.close();
    process.exit(0);
  })();
});
