/**
 * The backend under test, in its own process (forked by enumeration-timing.ts), so the
 * benchmark's client, its SMTP sink and the server do not share one event loop: in one process
 * the mail the server renders right after answering would delay the client reading that answer,
 * a cost a real attacker across the network never sees.
 *
 * It also times the login service and the store calls in-process (per email key), so the
 * benchmark can say where a difference comes from. Messages (IPC):
 *   parent → { type: 'start', env, dataFile }   child → { type: 'ready', url }
 *   parent → { type: 'phase', name }            child → { type: 'phase', name }
 *   parent → { type: 'timings' }                child → { type: 'timings', timings }
 *   parent → { type: 'close' }                  child → { type: 'closed' }, then exits
 */
import { startTestServer, type TestServer } from '../server/testing/test-server.ts';

/** Milliseconds spent in each timed step, by phase (set by the parent) and email key. */
export type ServerTimings = Record<string, Record<string, Record<string, number[]>>>;

const timings: ServerTimings = {};
let phase = 'setup';
let server: TestServer | null = null;

function record(key: string, step: string, ms: number): void {
  const byKey = (timings[phase] ??= {});
  const byStep = (byKey[key] ??= {});
  (byStep[step] ??= []).push(ms);
}

/** Replaces `target[name]` by a wrapper that records its duration under `keyOf(args)`. */
function timeMethod(target: any, name: string, step: string, keyOf: (args: any[]) => string | undefined): void {
  const original = target[name].bind(target);
  target[name] = async (...args: any[]) => {
    const t0 = process.hrtime.bigint();
    try {
      return await original(...args);
    } finally {
      const key = keyOf(args);
      if (key) record(key, step, Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
}

function send(message: unknown): void {
  process.send!(message);
}

process.on('message', async (message: any) => {
  try {
    if (message.type === 'start') {
      server = await startTestServer({ env: message.env, dataFile: message.dataFile });
      const { service, store } = server.backend;
      timeMethod(service, 'requestLogin', 'service.requestLogin', ([request]) => request?.email?.key);
      timeMethod(service, 'verifyCode', 'service.verifyCode', ([email]) => email?.key);
      timeMethod(store, 'findUserByEmailKey', 'store.findUserByEmailKey', ([key]) => key);
      timeMethod(store, 'updateLogin', 'store.updateLogin', ([key]) => key);
      send({ type: 'ready', url: server.url });
    } else if (message.type === 'phase') {
      phase = message.name;
      send({ type: 'phase', name: phase });
    } else if (message.type === 'timings') {
      send({ type: 'timings', timings });
    } else if (message.type === 'close') {
      await server?.close();
      send({ type: 'closed' });
      process.disconnect();
    }
  } catch (error) {
    send({ type: 'error', error: String((error as Error)?.stack ?? error) });
  }
});
