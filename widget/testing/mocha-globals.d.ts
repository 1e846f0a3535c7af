/**
 * The few Mocha globals the browser tests use (web-test-runner runs them under Mocha).
 * `@types/mocha` is not a dependency; adding it would make this file unnecessary.
 */
type MochaBody = (this: unknown) => void | Promise<unknown>;
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: MochaBody): void;
declare function before(body: MochaBody): void;
declare function beforeEach(body: MochaBody): void;
declare function afterEach(body: MochaBody): void;
