import { expect } from '@open-wc/testing';
import { loadModule, setModuleLoader, type ModuleLoader } from './on-demand.ts';

// The loader is module state shared by the whole page: each test sets its own, and names modules
// no other test asks for, so the cache of one test never answers another.

describe('loadModule', () => {
  let asked: string[];
  const answering = (answer: (folder: string, name: string) => Promise<{ default: unknown }>): ModuleLoader =>
    ((folder: string, name: string) => {
      asked.push(`${folder}/${name}`);
      return answer(folder, name);
    }) as ModuleLoader;

  beforeEach(() => {
    asked = [];
  });

  it("resolves to the module's default export, fetched once for every caller", async () => {
    setModuleLoader(answering(async (_folder, name) => ({ default: { name } })));
    const [a, b] = await Promise.all([loadModule('locales', 'de'), loadModule('locales', 'de')]);
    expect(a).to.equal(b);
    expect(a).to.deep.equal({ name: 'de' });
    expect(await loadModule('locales', 'de')).to.equal(a);
    expect(asked).to.deep.equal(['locales/de']);
  });

  it('tells a folder from another: locales/x and features/x are two modules', async () => {
    setModuleLoader(answering(async (folder) => ({ default: folder })));
    expect(await loadModule('locales', 'fr')).to.equal('locales');
    expect(await loadModule('features', 'fr' as never)).to.equal('features');
    expect(asked).to.deep.equal(['locales/fr', 'features/fr']);
  });

  it('rejects when the fetch fails, and fetches again at the next use', async () => {
    let fail = true;
    setModuleLoader(answering(async () => (fail ? Promise.reject(new TypeError('Failed to fetch')) : { default: 'in' })));
    let error: unknown;
    await loadModule('locales', 'it').catch((e: unknown) => (error = e));
    expect(String(error)).to.contain('Failed to fetch');
    fail = false;
    expect(await loadModule('locales', 'it')).to.equal('in');
    expect(asked).to.deep.equal(['locales/it', 'locales/it']);
  });

  it('rejects, rather than throwing, before any entry point set a loader', async () => {
    setModuleLoader(null as unknown as ModuleLoader);
    let rejected = false;
    await loadModule('locales', 'ja').catch(() => (rejected = true));
    expect(rejected).to.equal(true);
  });
});
