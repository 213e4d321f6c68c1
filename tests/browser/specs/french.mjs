// A catalog in French (tests/fixtures/french, --french): the search client's messages come
// from the page's strings, in French, with French plurals and « guillemets », and its
// pages have no axe violations.

import { settled } from '../search-page.mjs';

const NBSP = '\u00a0';

function frenchOf(ctx) {
  if (!ctx.french) ctx.skip('needs the French site (--french, built from tests/fixtures/french)');
  return ctx.french;
}


async function open(page, site, query = '') {
  await page.goto(new URL(`search/index.html${query}`, site.url).href, { waitUntil: 'load' });
  await settled(page);
}

const status = (page) => page.textContent('#search-status');

export const tests = [
  {
    name: 'the search client speaks French: counts, quotes, filters, typos and errors',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const site = frenchOf(ctx);
      await open(page, site);
      assert.equal(await status(page), `4${NBSP}fiches`);
      const legends = await page.$$eval('#search-facets legend', (nodes) => nodes.map((n) => n.textContent));
      assert.deepEqual(legends.slice(0, 2), ['Étape', 'Type']);

      await open(page, site, '?q=chevet');
      assert.equal(await status(page), `1${NBSP}résultat pour «${NBSP}chevet${NBSP}»`);
      await open(page, site, '?q=caucus');
      assert.equal(await status(page), `2${NBSP}résultats pour «${NBSP}caucus${NBSP}»`);

      await page.check('#search-facets input[name="kind"][value="outil"]');
      await settled(page);
      assert.equal(await status(page), `1${NBSP}résultat pour «${NBSP}caucus${NBSP}» avec ces filtres`);
      assert.equal((await page.textContent('.search-clear')).trim(), 'Effacer les filtres');
      await page.fill('#search-q', '');
      await page.press('#search-q', 'Enter');
      await settled(page);
      assert.equal(await status(page), `1${NBSP}fiche correspond aux filtres`);

      await open(page, site, '?q=zqxjvw');
      assert.equal(await status(page), `Aucun résultat pour «${NBSP}zqxjvw${NBSP}».`);

      // A typo is forgiven, and the count says which word it was read as; three letters
      // get a suggestion instead.
      await open(page, site, '?q=chtes');
      assert.equal(await status(page), `1${NBSP}résultat pour «${NBSP}chtes${NBSP}», dont «${NBSP}chutes${NBSP}»`);
      await open(page, site, '?q=jur');
      assert.equal(await status(page), `Aucun résultat pour «${NBSP}jur${NBSP}».`);
      const suggestion = page.locator('.search-suggestion');
      await suggestion.locator('a').waitFor();
      assert.equal(await suggestion.textContent(), `Vouliez-vous dire jour${NBSP}?`);
      await ctx.expectAccessible(page, 'French search with results');
    },
  },
  {
    name: 'a search index that cannot load is reported in French',
    run: async (ctx) => {
      const site = frenchOf(ctx);
      ctx.allowConsoleErrors();
      const page = await ctx.newPage();
      await page.route('**/search/meta.js', (route) => route.abort());
      await page.goto(new URL('search/index.html?q=caucus', site.url).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.getElementById('search-fallback').hidden === false);
      ctx.assert.equal(
        await page.textContent('#search-status'),
        'La recherche n’a pas pu se charger. Parcourez plutôt les fiches ci-dessous.',
      );
    },
  },
  {
    name: 'French pages have no axe violations',
    run: async (ctx) => {
      const site = frenchOf(ctx);
      for (const relative of [
        'index.html',
        'pratiques/caucus-de-securite/index.html',
        'stages/reperer/index.html',
        'public/equipes/index.html',
        'landscape/index.html',
        'sources/index.html',
        'pages/a-propos/index.html',
      ]) {
        const page = await ctx.newPage();
        await page.goto(new URL(relative, site.url).href, { waitUntil: 'load' });
        ctx.assert.equal(await page.getAttribute('html', 'lang'), 'fr');
        await ctx.expectAccessible(page, relative);
      }
      const page = await ctx.newPage();
      await page.goto(new URL('404.html', site.url).href, { waitUntil: 'load' });
      ctx.assert.equal((await page.textContent('h1')).trim(), 'Page introuvable');
      await ctx.expectAccessible(page, '404');
    },
  },
];
