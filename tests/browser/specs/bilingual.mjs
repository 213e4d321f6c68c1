// A site in two languages (spec §9): the shipped catalog (--site, English with a complete
// French edition under fr/) and a bilingual fixture with an entry not translated yet
// (--bilingual, built from tests/fixtures/bilingual). The switcher goes to the same page in
// the other language and back, hreflang alternates are reciprocal, French search stems
// French words and speaks French, and French pages have no axe violations, an entry shown
// in its original English included.

import { settled } from '../search-page.mjs';

const NBSP = '\u00a0';

function bilingualOf(ctx) {
  if (!ctx.bilingual) ctx.skip('needs the bilingual site (--bilingual, built from tests/fixtures/bilingual)');
  return ctx.bilingual;
}

async function open(page, site, relative) {
  await page.goto(new URL(relative, site.url).href, { waitUntil: 'load' });
}

// The alternates a page declares, by language, as paths below the site's root.
async function alternates(page) {
  return page.$$eval('link[rel="alternate"][hreflang]', (links) =>
    Object.fromEntries(links.map((link) => [link.hreflang, new URL(link.href).pathname])),
  );
}

const relativeTo = (site, url) => decodeURI(new URL(url).pathname).slice(new URL(site.url).pathname.length);

export const tests = [
  {
    name: 'the language switcher goes to the same page in the other language, and back',
    run: async (ctx) => {
      const { page, assert, site } = ctx;
      for (const relative of ['roles/knowledge-broker/index.html', 'stages/generate-knowledge/index.html', 'index.html']) {
        await open(page, site, relative);
        assert.equal(await page.getAttribute('html', 'lang'), 'en');
        const english = (await page.textContent('h1')).trim();
        await page.click('.language-switch a[hreflang="fr"]');
        await page.waitForURL(new URL(`fr/${relative}`, site.url).href);
        assert.equal(relativeTo(site, page.url()), `fr/${relative}`);
        assert.equal(await page.getAttribute('html', 'lang'), 'fr');
        const french = (await page.textContent('h1')).trim();
        assert.notEqual(french, english, `${relative}: the French page has its own title`);
        // By keyboard, as a reader without a mouse would.
        await page.focus('.language-switch a[hreflang="en"]');
        await page.keyboard.press('Enter');
        await page.waitForURL(new URL(relative, site.url).href);
        assert.equal(relativeTo(site, page.url()), relative);
        assert.equal((await page.textContent('h1')).trim(), english);
      }
    },
  },
  {
    name: 'hreflang alternates are reciprocal, with an x-default',
    run: async (ctx) => {
      const { page, assert, site } = ctx;
      for (const relative of ['index.html', 'roles/knowledge-broker/index.html', 'search/index.html', 'pages/about/index.html']) {
        await open(page, site, relative);
        const fromEnglish = await alternates(page);
        await open(page, site, `fr/${relative}`);
        const fromFrench = await alternates(page);
        assert.deepEqual(fromFrench, fromEnglish, relative);
        assert.deepEqual(Object.keys(fromEnglish).sort(), ['en', 'fr', 'x-default'], relative);
        assert.equal(fromEnglish['x-default'], fromEnglish.en, relative);
        assert.ok(fromEnglish.fr.endsWith(`fr/${relative.replace(/index\.html$/, '')}`), `${relative}: ${fromEnglish.fr}`);
      }
    },
  },
  {
    name: 'French search finds an inflection the catalog never uses, and speaks French',
    run: async (ctx) => {
      const { page, assert, site } = ctx;
      // "financements" occurs nowhere in the French edition ("financement" and "financer"
      // do): the French stemmer brings it to the same stem.
      const search = async (query) => {
        await open(page, site, `fr/search/index.html?q=${encodeURIComponent(query)}`);
        await settled(page);
        return page.textContent('#search-status');
      };
      const status = await search('financements');
      assert.match(status, new RegExp(`^\\d+${NBSP}résultats? pour «${NBSP}financements${NBSP}»`), status);
      const first = await page.getAttribute('#search-results a', 'href');
      assert.ok(first && !first.startsWith('../roles') && !first.startsWith('/roles'), `results stay in French: ${first}`);
      await page.click('#search-results a');
      await page.waitForURL((url) => !url.href.includes('/search/'));
      assert.ok(relativeTo(site, page.url()).startsWith('fr/'), page.url());
      assert.equal(await page.getAttribute('html', 'lang'), 'fr');
      const none = await search('zqxjvw');
      assert.equal(none, `Aucun résultat pour «${NBSP}zqxjvw${NBSP}».`);
    },
  },
  {
    name: 'French pages have no axe violations, an entry not translated yet included',
    run: async (ctx) => {
      const site = bilingualOf(ctx);
      for (const relative of [
        'fr/index.html',
        'fr/practices/safety-huddle/index.html',
        'fr/practices/falls-audit/index.html',
        'fr/practices/index.html',
        'fr/stages/notice/index.html',
        'fr/search/index.html',
        'fr/pages/about/index.html',
        'practices/safety-huddle/index.html',
      ]) {
        const page = await ctx.newPage();
        await open(page, site, relative);
        await ctx.expectAccessible(page, relative);
      }
      const page = await ctx.newPage();
      await open(page, site, 'fr/practices/falls-audit/index.html');
      ctx.assert.equal(await page.getAttribute('h1', 'lang'), 'en', 'the untranslated title says its language');
      ctx.assert.equal(await page.getAttribute('.entry-body', 'lang'), 'en');
      ctx.assert.ok((await page.textContent('.untranslated-note')).includes('pas encore été traduit'));
      // Its card in a French list says so too.
      await open(page, site, 'fr/stages/notice/index.html');
      const untranslated = await page.$$eval('.card h3[lang="en"]', (nodes) => nodes.map((n) => n.textContent.trim()));
      ctx.assert.deepEqual(untranslated, ['Falls audit']);
    },
  },
];
