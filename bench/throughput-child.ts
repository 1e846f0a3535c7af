/**
 * The processes forked by bench/throughput.ts and bench/steady-load.ts, one role each, so the load
 * generator (autocannon), the SMTP sink and the server under test (the compiled command, started
 * by server/testing/cli-process.ts) never share an event loop.
 *
 *   node --import tsx bench/throughput-child.ts echo     a bare Koa app + @koa/bodyparser echoing the JSON body
 *   node --import tsx bench/throughput-child.ts sink     a real SMTP server (bench/lean-smtp-sink.ts)
 *
 * Messages (IPC):
 *   parent → { type: 'start', acceptDelayMs? (sink) }   child → { type: 'ready', url }
 *   parent → { type: 'codes' }  (sink)            child → { type: 'codes', received, codes: [to, code][] }  (codes since the last ask)
 *   parent → { type: 'count' }  (sink)            child → { type: 'count', received }
 *   parent → { type: 'close' }                    child → { type: 'closed' }, then exits (so --cpu-prof is written)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import Koa from 'koa';
import { startLeanSink } from './lean-smtp-sink.ts';

const role = process.argv[2];

function send(message: unknown): void {
  process.send!(message);
}

// ---------------------------------------------------------------------------------------------
// The echo baseline: what Koa + its JSON body parser cost on this machine in this run.

async function startEcho(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: '8kb', jsonStrict: true }));
  app.use((ctx) => {
    ctx.body = ctx.request.body;
  });
  const server: Server = createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The SMTP sink, asked over IPC for what it received.

async function startSink(acceptDelayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const sink = await startLeanSink({ acceptDelayMs });
  process.on('message', (message: any) => {
    if (message.type === 'codes') send({ type: 'codes', received: sink.received(), codes: sink.takeCodes() });
    else if (message.type === 'count') send({ type: 'count', received: sink.received() });
  });
  return sink;
}

// ---------------------------------------------------------------------------------------------

let running: { close(): Promise<void> } | null = null;

process.on('message', async (message: any) => {
  try {
    if (message.type === 'start') {
      if (role === 'echo') {
        const echo = await startEcho();
        running = echo;
        send({ type: 'ready', url: echo.url });
      } else if (role === 'sink') {
        const sink = await startSink(Number(message.acceptDelayMs ?? 0));
        running = sink;
        send({ type: 'ready', url: sink.url });
      } else {
        throw new Error(`unknown role ${role}`);
      }
    } else if (message.type === 'close') {
      await running?.close();
      send({ type: 'closed' });
      process.disconnect();
    }
  } catch (error) {
    send({ type: 'error', error: String((error as Error)?.stack ?? error) });
  }
});
