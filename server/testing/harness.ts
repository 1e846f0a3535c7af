/**
 * A real backend wired to a real SMTP sink, for the HTTP tests: `login.requestCode(email)`
 * asks for a code over HTTP and returns the code and link from the mail that arrived.
 */
import { startSmtpSink, codeIn, linkIn, type ReceivedMail, type SmtpSink, type SmtpSinkOptions } from './smtp-sink.ts';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';
import { postJson, type JsonAnswer } from './api-client.ts';

export interface Harness {
  server: TestServer;
  smtp: SmtpSink;
  /** `http://127.0.0.1:PORT/auth` + path. */
  api(path: string): string;
  request(body: Record<string, unknown>, headers?: Record<string, string>): Promise<JsonAnswer>;
  verify(body: Record<string, unknown>, headers?: Record<string, string>): Promise<JsonAnswer>;
  /** Requests a code (expects 202) and waits for its mail. */
  requestCode(email: string, extra?: Record<string, unknown>): Promise<{ code: string; link: string; mail: ReceivedMail }>;
  /** Signs in with a fresh code and returns the session token. */
  signIn(email: string): Promise<{ token: string; user: any }>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, options: Pick<TestServerOptions, 'logger'> & { smtp?: SmtpSinkOptions } = {}): Promise<Harness> {
  const smtp = await startSmtpSink(options.smtp);
  let server: TestServer;
  try {
    server = await startTestServer({ env: { SMTP_URL: smtp.url, ...env }, logger: options.logger });
  } catch (error) {
    await smtp.close();
    throw error;
  }
  const api = (path: string) => `${server.url}/auth${path}`;
  const harness: Harness = {
    server,
    smtp,
    api,
    request: (body, headers) => postJson(api('/request'), body, headers),
    verify: (body, headers) => postJson(api('/verify'), body, headers),
    async requestCode(email, extra = {}) {
      const answer = await harness.request({ email, ...extra });
      if (answer.status !== 202) throw new Error(`request answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      const mail = await smtp.nextMail();
      return { code: codeIn(mail), link: linkIn(mail), mail };
    },
    async signIn(email) {
      const { code } = await harness.requestCode(email);
      const answer = await harness.verify({ email, code });
      if (answer.status !== 200) throw new Error(`verify answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      return { token: answer.body.session.token, user: answer.body.user };
    },
    async close() {
      await server.close();
      await smtp.close();
    },
  };
  return harness;
}
