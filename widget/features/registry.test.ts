import { expect } from '@open-wc/testing';
import { setModuleLoader, type ModuleLoader } from '../on-demand/on-demand.ts';
import type { FeatureModule } from './feature.ts';
import { english, extras, loadFeature, views } from './registry.ts';

// A feature module as the loader hands it over: what it brings becomes every element's.

describe('loadFeature', () => {
  it('fetches features/<name> and makes its steps and its English, error sentences included, available', async () => {
    const asked: string[] = [];
    const link: FeatureModule = {
      en: { linkTitle: 'Continue signing in', errors: { invalid_link: 'Used already.' } },
      steps: { link: { title: (m) => m.linkTitle, render: (host) => host.html`<p>link</p>` } },
    };
    setModuleLoader(((folder: string, name: string) => {
      asked.push(`${folder}/${name}`);
      return Promise.resolve({ default: link });
    }) as ModuleLoader);
    expect(views.link).to.equal(undefined);

    expect(await loadFeature('link')).to.equal(link);
    expect(asked).to.deep.equal(['features/link']);
    expect(views.link).to.equal(link.steps!.link);
    expect(english.linkTitle).to.equal('Continue signing in');
    expect(english.errors?.invalid_link).to.equal('Used already.');
  });

  it('keeps the error sentences of earlier features when another brings its own', async () => {
    const other = { en: { errors: { rate_limited: 'Slow down.' } } } as FeatureModule;
    setModuleLoader((() => Promise.resolve({ default: other })) as ModuleLoader);
    await loadFeature('access-token');
    expect(english.errors).to.deep.equal({ invalid_link: 'Used already.', rate_limited: 'Slow down.' });
  });

  it('makes the parts a feature adds to the element\'s own steps available', async () => {
    const part = () => 'under the email form';
    const passkey = { extras: { email: part } } as unknown as FeatureModule;
    setModuleLoader((() => Promise.resolve({ default: passkey })) as ModuleLoader);
    expect(extras.passkey).to.equal(null);
    await loadFeature('passkey');
    expect(extras.passkey?.email).to.equal(part);
    expect(extras.passkey?.['signed-in']).to.equal(undefined);
  });

  it('keeps the parts of two modules on one step, each once, in the config\'s order whichever came in first', async () => {
    // Each module is fetched once per page (on-demand.ts), so this test's two are ones not fetched above.
    const first = () => 'the first module\'s';
    const second = () => 'the second module\'s';
    const modules: Record<string, FeatureModule> = {
      approval: { extras: { 'signed-in': first } } as unknown as FeatureModule,
      account: { extras: { 'signed-in': second } } as unknown as FeatureModule,
    };
    setModuleLoader(((_folder: string, name: string) => Promise.resolve({ default: modules[name] })) as ModuleLoader);
    await loadFeature('account');
    await loadFeature('approval');
    // Handed back again (a module is loaded at each use): still once, in its place.
    await loadFeature('account');
    const signedIn = Object.values(extras).flatMap((parts) => (parts?.['signed-in'] ? [parts['signed-in']] : []));
    expect(signedIn).to.deep.equal([first, second]);
  });
});
