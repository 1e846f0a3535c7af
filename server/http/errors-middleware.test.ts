/** The errors middleware: a bad listing of users from any route is its own 400, never a 500. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Koa from 'koa';
import { silentLogger } from '../observability/logger.ts';
import { checkUserListQuery } from '../store/user-list.ts';
import { errorsMiddleware } from './errors-middleware.ts';

async function answerOf(handler: Koa.Middleware): Promise<{ status: number; body: any }> {
  const app = new Koa();
  app.use(errorsMiddleware(silentLogger));
  app.use(handler);
  const server = app.listen(0);
  try {
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://127.0.0.1:${port}/`);
    return { status: response.status, body: await response.json() };
  } finally {
    server.close();
  }
}

describe('the errors middleware', () => {
  it('answers a route whose listing of users is refused (InvalidUserListQuery) with 400 invalid_user_list_query and the reason', async () => {
    const answer = await answerOf(() => {
      checkUserListQuery({ limit: 0, sort: 'created' });
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'invalid_user_list_query');
    assert.match(answer.body.error.message, /^Invalid user listing: bad user list query at "limit"/);
  });

  it('still answers any other throw with a 500 that says nothing of it', async () => {
    const answer = await answerOf(() => {
      throw new Error('secret detail');
    });
    assert.equal(answer.status, 500);
    assert.equal(answer.body.error.code, 'internal_error');
    assert.doesNotMatch(JSON.stringify(answer.body), /secret detail/);
  });
});
