// Search in a real browser, on the search fixture (tests/fixtures/browser) and the shipped
// catalog: words, typos, inflections, drafts, facets with counts, state in the URL,
// keyboard use, file://, WebAssembly disabled, and zero axe violations.

import { settled } from '../search-page.mjs';
import fs from 'node:fs';
import path from 'node:path';

const SEARCH = 'search/index.html';

function fixtureOf(ctx) {
  if (!ctx.fixture) ctx.skip('needs the search fixture (--fixture, built from tests/fixtures/browser)');
  return ctx.fixture;
}

const searchUrl = (site, query = '') => new URL(SEARCH + query, site.url).href;


async function open(page, site, query = '') {
  await page.goto(searchUrl(site, query), { waitUntil: 'load' });
  await settled(page);
}

const titles = (page) =>
  page.$$eval('#search-results .search-result-title', (nodes) => nodes.map((node) => node.textContent.trim()));
const status = (page) => page.textContent('#search-status');
const count = async (page) => parseInt(await status(page), 10) || 0;

async function search(page, text) {
  await page.fill('#search-q', text);
  await page.press('#search-q', 'Enter');
  await settled(page);
}

// The count shown beside a facet value, e.g. ("stage", "generate-knowledge") → 2.
async function facetCount(page, facet, value) {
  const text = await page
    .locator(`#search-facets input[name="${facet}"][value="${value}"]`)
    .locator('xpath=..')
    .locator('.facet-count')
    .textContent();
  return parseInt(text.replace(/[^0-9]/g, ''), 10);
}

async function checkBox(page, facet, value) {
  await page.check(`#search-facets input[name="${facet}"][value="${value}"]`);
  await settled(page);
}

// Chromium with WebAssembly removed (see "works with WebAssembly disabled"), for the tests
// of words readers use: each opens the site from file:// in it.
async function withoutWasm(ctx, run) {
  const browser = await ctx.browser.browserType().launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--js-flags=--noexpose_wasm,--jitless'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    const openFile = async (site, query) => {
      await page.goto(new URL(SEARCH + query, site.fileUrl).href, { waitUntil: 'load' });
      await settled(page);
      ctx.assert.equal(await page.evaluate(() => typeof WebAssembly), 'undefined', 'WebAssembly is disabled');
    };
    await run(page, openFile);
    ctx.assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
}

const bodySnippets = (page) =>
  page.$$eval('#search-results .search-result', (items) =>
    items.map((item) => {
      const body = item.querySelector('.search-body-snippet');
      return {
        title: item.querySelector('.search-result-title').textContent.trim(),
        body: body ? body.textContent : null,
        marks: body ? [...body.querySelectorAll('mark')].map((mark) => mark.textContent) : [],
      };
    }),
  );

export const wordsReadersUse = [
  {
    name: 'an inflection the catalog never uses finds its entries (English, stemmed in the browser)',
    run: async (ctx) => {
      const fixture = fixtureOf(ctx);
      const vocabulary = fs.readdirSync(path.join(fixture.dir, 'search', 'vocabulary'))
        .map((name) => fs.readFileSync(path.join(fixture.dir, 'search', 'vocabulary', name), 'utf8')).join('');
      ctx.assert.ok(!/sponsoring/.test(vocabulary), '"sponsoring" is not in the fixture');
      await withoutWasm(ctx, async (page, openFile) => {
        await openFile(fixture, '?q=sponsoring');
        ctx.assert.equal((await titles(page))[0], 'Secure executive sponsorship');
        ctx.assert.match(await status(page), /^\d+ results? for “sponsoring”/);
      });
    },
  },
  {
    name: 'an inflection the catalog never uses finds its entries (French)',
    run: async (ctx) => {
      if (!ctx.frenchSearch) ctx.skip('needs the French fixture (--french-search, built from tests/fixtures/browser-fr)');
      await withoutWasm(ctx, async (page, openFile) => {
        // The fixture says "financement" and "hôpitaux", never these forms.
        await openFile(ctx.frenchSearch, '?q=financements');
        ctx.assert.deepEqual(await titles(page), ['Financer la coordination']);
        await openFile(ctx.frenchSearch, '?q=h%C3%B4pital');
        const found = await bodySnippets(page);
        ctx.assert.equal(found[0].title, 'Financer la coordination');
        ctx.assert.deepEqual(found[0].marks, ['hôpitaux']);
        // A declared French synonym: "CdP" means "communauté de pratique".
        await openFile(ctx.frenchSearch, '?q=CdP');
        ctx.assert.ok((await titles(page)).includes('Animatrice de communauté'));
        ctx.assert.match(await status(page), /dont «\u00a0communauté de pratique\u00a0»/);
      });
    },
  },
  {
    name: 'a word only in the body shows the body sentence that holds it, highlighted',
    run: async (ctx) => {
      await withoutWasm(ctx, async (page, openFile) => {
        await openFile(fixtureOf(ctx), '?q=infrastructure');
        const found = await bodySnippets(page);
        ctx.assert.equal(found.length, 1, JSON.stringify(found));
        ctx.assert.equal(found[0].title, 'Knowledge broker');
        ctx.assert.equal(found[0].body, 'Communities of practice act as infrastructure for sharing across a learning health system.');
        ctx.assert.deepEqual(found[0].marks, ['infrastructure']);
        // A word in the title needs no body sentence.
        await openFile(fixtureOf(ctx), '?q=broker');
        ctx.assert.equal((await bodySnippets(page))[0].body, null);
      });
    },
  },
  {
    name: 'two words that no entry has together: entries with the most of them, and a line saying so',
    run: async (ctx) => {
      await withoutWasm(ctx, async (page, openFile) => {
        await openFile(fixtureOf(ctx), '?q=infrastructure%20sponsor');
        const found = await titles(page);
        ctx.assert.ok(found.includes('Knowledge broker') && found.includes('Secure executive sponsorship'), `${found}`);
        ctx.assert.equal(await page.locator('.search-partial').count(), 1);
        // When an entry has both words, only such entries are listed, the one whose title
        // holds them first.
        await openFile(fixtureOf(ctx), '?q=broker%20knowledge');
        ctx.assert.equal((await titles(page))[0], 'Knowledge broker');
        ctx.assert.equal(await page.locator('.search-partial').count(), 0);
      });
    },
  },
  {
    name: 'a typo in the first letter is corrected ("nowledge", "bfoker", "xbroker", "gnowledge", "nkowledge")',
    run: async (ctx) => {
      await withoutWasm(ctx, async (page, openFile) => {
        await openFile(fixtureOf(ctx), '?q=nowledge');
        ctx.assert.equal((await titles(page))[0], 'Knowledge broker');
        ctx.assert.match(await status(page), /including “knowledge”/);
        await openFile(fixtureOf(ctx), '?q=bfoker');
        ctx.assert.equal((await titles(page))[0], 'Knowledge broker');
        await openFile(fixtureOf(ctx), '?q=xbroker');
        ctx.assert.equal((await titles(page))[0], 'Knowledge broker');
        // A first letter mistyped, or swapped with the second.
        for (const typo of ['gnowledge', 'nkowledge']) {
          await openFile(fixtureOf(ctx), `?q=${typo}`);
          ctx.assert.equal((await titles(page))[0], 'Knowledge broker', typo);
          ctx.assert.match(await status(page), /including “knowledge”/, typo);
        }
      });
    },
  },
  {
    name: 'a declared synonym finds the entries that use another word of its group, and says so',
    run: async (ctx) => {
      await withoutWasm(ctx, async (page, openFile) => {
        // The fixture never says "resourcing": catalog.toml declares it a synonym of funding.
        await openFile(fixtureOf(ctx), '?q=resourcing');
        ctx.assert.equal((await titles(page))[0], 'Fund a facilitator');
        ctx.assert.match(await status(page), /^\d+ results? for “resourcing”, including “funding”/);
        // An abbreviation for a phrase.
        await openFile(fixtureOf(ctx), '?q=CoP');
        ctx.assert.ok((await count(page)) >= 3);
        ctx.assert.ok((await titles(page)).includes('Secure executive sponsorship'), 'it says "community of practice" only');
        // And the phrase for the abbreviation: "Evidence synthesizer" says "CoP" only.
        await openFile(fixtureOf(ctx), '?q=community%20of%20practice');
        const found = await titles(page);
        ctx.assert.ok(found.includes('Evidence synthesizer') && found.includes('Knowledge broker'), `${found}`);
        ctx.assert.equal(await page.locator('.search-partial').count(), 0, 'every word matched');
        ctx.assert.match(await status(page), /^\d+ results? for “community of practice”, including “CoP”/);
        const marks = await page.$$eval('#search-results mark', (nodes) => nodes.map((node) => node.textContent.toLowerCase()));
        ctx.assert.ok(marks.includes('cop') && marks.includes('community'), `highlighted: ${marks}`);
        // The words apart, or in another order, are no phrase.
        await openFile(fixtureOf(ctx), '?q=practice%20community');
        ctx.assert.ok(!(await titles(page)).includes('Evidence synthesizer'));
      });
    },
  },
];

export const tests = [
  {
    name: 'a word only in bodies: each result shows its sentence, highlighted, once it comes on screen, and a short screen fetches fewer sentences first',
    run: async (ctx) => {
      const { assert } = ctx;
      // "workload" is in the bodies of the shipped catalog's entries, never in a title or
      // summary; its results' sentences are in several snippets parts.
      const query = '?q=workload';
      const snippetParts = (page) => {
        const parts = [];
        page.on('request', (request) => /\/search\/snippets\//.test(request.url()) && parts.push(request.url()));
        return parts;
      };
      // Every result on one tall screen: every sentence at once.
      const tall = await ctx.newPage({ viewport: { width: 1366, height: 8000 } });
      const tallParts = snippetParts(tall);
      await open(tall, ctx.site, query);
      const every = await bodySnippets(tall);
      const withSentence = every.filter((result) => result.body !== null).length;
      assert.ok(every.length >= 5 && withSentence >= 5, JSON.stringify(every));
      for (const result of every) {
        if (result.body !== null) assert.deepEqual(result.marks.map((mark) => mark.toLowerCase()), ['workload'], result.body);
      }
      // A short screen: the results below it wait for their sentences.
      const page = await ctx.newPage({ viewport: { width: 1366, height: 600 } });
      const parts = snippetParts(page);
      await open(page, ctx.site, query);
      const first = await bodySnippets(page);
      assert.deepEqual(first.map((result) => result.title), every.map((result) => result.title), 'the same results');
      assert.ok(first.filter((result) => result.body !== null).length < withSentence, JSON.stringify(first));
      assert.ok(first[first.length - 1].body === null, 'the last result has no sentence before it is on screen');
      assert.ok(parts.length < tallParts.length, `first screen: ${parts}; tall screen: ${tallParts}`);
      // Scrolled to, each result gets the sentence it has on the tall screen.
      const results = page.locator('#search-results .search-result');
      for (let i = 0; i < every.length; i++) await results.nth(i).scrollIntoViewIfNeeded();
      await page.waitForFunction((count) => document.querySelectorAll('#search-results .search-body-snippet').length === count, withSentence);
      assert.deepEqual(await bodySnippets(page), every);
      // Keyboard: the results' links are reached with the arrow keys, as before.
      await page.focus('#search-q');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), every[0].title);
    },
  },
  {
    name: 'a word finds the right entry first, with the word highlighted',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await open(page, fixtureOf(ctx), '?q=funding');
      const found = await titles(page);
      assert.equal(found[0], 'Fund a facilitator', `results: ${found}`);
      assert.match(await status(page), /^\d+ results? for “funding”/);
      const marks = await page.$$eval('#search-results mark', (nodes) => nodes.map((n) => n.textContent.toLowerCase()));
      assert.ok(marks.some((m) => m.startsWith('fund')), `highlighted: ${marks}`);
      assert.equal(await page.isVisible('#search-fallback'), false, 'the A–Z fallback is hidden when the script runs');
    },
  },
  {
    name: 'a typo finds the entry, and "did you mean" offers a respelling when nothing matches',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const fixture = fixtureOf(ctx);
      await open(page, fixture, '?q=knowlege%20broker');
      assert.equal((await titles(page))[0], 'Knowledge broker');
      await open(page, fixture, '?q=facilitatr');
      assert.ok((await titles(page)).includes('CoP facilitator'));
      // Three letters get no typo tolerance, but a suggestion.
      await open(page, fixture, '?q=fnd');
      assert.match(await status(page), /^No results/);
      const suggestion = page.locator('.search-suggestion a');
      await suggestion.waitFor();
      assert.equal(await suggestion.textContent(), 'fund');
      await suggestion.click();
      await settled(page);
      assert.equal(await page.inputValue('#search-q'), 'fund');
      assert.ok((await count(page)) > 0);
      assert.match(page.url(), /[?&]q=fund(&|$)/);
    },
  },
  {
    name: 'an inflected form finds the entries that use another form',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await open(page, fixtureOf(ctx), '?q=funded');
      const found = await titles(page);
      assert.ok(found.includes('Fund a facilitator'), `funded → funding: ${found}`);
      assert.ok(found.includes('Secure executive sponsorship'), `funded: ${found}`);
    },
  },
  {
    name: 'words complete as you type',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await open(page, fixtureOf(ctx));
      await page.type('#search-q', 'synthes', { delay: 30 });
      await page.waitForFunction(() => /“synthes”/.test(document.getElementById('search-status').textContent));
      await settled(page);
      assert.equal((await titles(page))[0], 'Evidence synthesizer');
    },
  },
  {
    name: 'drafts are never found nor shipped in the index',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const fixture = fixtureOf(ctx);
      await open(page, fixture, '?q=quillwort');
      assert.match(await status(page), /^No results/);
      assert.deepEqual(await titles(page), []);
      await open(page, fixture);
      assert.equal(await count(page), 7, 'seven published entries');
      const leaks = [];
      const walk = (dir) => {
        for (const name of fs.readdirSync(dir)) {
          const file = path.join(dir, name);
          if (fs.statSync(file).isDirectory()) walk(file);
          else if (/quillwort|Plan the next phase/i.test(fs.readFileSync(file, 'utf8'))) leaks.push(file);
        }
      };
      walk(path.join(fixture.dir, 'search'));
      assert.deepEqual(leaks, [], 'the draft is in the index');
    },
  },
  {
    name: 'a stage facet narrows the results, with counts that reflect the other filters',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await open(page, fixtureOf(ctx));
      assert.equal(await count(page), 7, 'an empty query lists every entry');
      assert.equal(await facetCount(page, 'stage', 'generate-knowledge'), 2);
      assert.equal(await facetCount(page, 'kind', 'guidance'), 3);
      await checkBox(page, 'stage', 'generate-knowledge');
      assert.deepEqual((await titles(page)).sort(), ['Evidence synthesizer', 'Knowledge broker']);
      assert.match(await status(page), /^2 entries match/);
      // Other facets count within the stage; the stage facet ignores its own filter.
      assert.equal(await facetCount(page, 'kind', 'guidance'), 0);
      assert.equal(await facetCount(page, 'kind', 'role'), 2);
      assert.equal(await facetCount(page, 'stage', 'identify-priorities'), 3);
      // OR within a facet.
      await checkBox(page, 'stage', 'identify-priorities');
      assert.equal(await count(page), 5);
      // AND across facets.
      await checkBox(page, 'kind', 'guidance');
      assert.deepEqual(await titles(page), ['Secure executive sponsorship']);
      assert.match(page.url(), /stage=generate-knowledge/);
      assert.match(page.url(), /kind=guidance/);
      // With a query.
      await search(page, 'sponsor');
      assert.deepEqual(await titles(page), ['Secure executive sponsorship']);
    },
  },
  {
    name: 'the URL restores query and filters on reload and with back and forward',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const fixture = fixtureOf(ctx);
      await open(page, fixture, '?q=facilitator&stage=implement-evaluate');
      const first = await titles(page);
      assert.equal(await page.inputValue('#search-q'), 'facilitator');
      assert.ok(await page.isChecked('#search-facets input[name="stage"][value="implement-evaluate"]'));
      assert.ok(!first.includes('Knowledge broker'), `filtered: ${first}`);
      await page.reload({ waitUntil: 'load' });
      await settled(page);
      assert.deepEqual(await titles(page), first, 'reload keeps the list');
      await checkBox(page, 'kind', 'role');
      assert.deepEqual(await titles(page), ['CoP facilitator']);
      await page.goBack({ waitUntil: 'commit' });
      await settled(page);
      assert.equal(await page.isChecked('#search-facets input[name="kind"][value="role"]'), false);
      assert.deepEqual(await titles(page), first, 'back restores the list');
      await page.goForward({ waitUntil: 'commit' });
      await settled(page);
      assert.deepEqual(await titles(page), ['CoP facilitator'], 'forward restores the filter');
      // A shared link shows the same list in a fresh page.
      const shared = await ctx.newPage();
      await shared.goto(page.url(), { waitUntil: 'load' });
      await settled(shared);
      assert.deepEqual(await titles(shared), ['CoP facilitator']);
    },
  },
  {
    name: 'the status region announces the count; no console errors while searching',
    run: async (ctx) => {
      const { page, assert } = ctx;
      await open(page, fixtureOf(ctx));
      assert.equal(await page.getAttribute('#search-status', 'aria-live'), 'polite');
      await search(page, 'broker');
      assert.match(await status(page), /^\d+ results? for “broker”/);
      await checkBox(page, 'audience', 'cop-lead');
      await search(page, 'zzzzqqq');
      assert.match(await status(page), /^No results/);
      // The harness fails the test on any console error, page error or failed request.
    },
  },
  {
    name: 'keyboard: "/" focuses search, arrows and Enter open a result',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const fixture = fixtureOf(ctx);
      await page.goto(new URL('index.html', fixture.url).href, { waitUntil: 'load' });
      await page.keyboard.press('/');
      assert.equal(
        await page.evaluate(() => document.activeElement.matches('form.site-search input[name=q]')),
        true,
        '"/" focuses the header search box',
      );
      await page.keyboard.type('broker');
      await page.keyboard.press('Enter');
      await page.waitForURL(/search\/index\.html\?q=broker/);
      await settled(page);
      await page.locator('h1').click();
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
      await page.keyboard.press('ArrowDown');
      const focused = () => page.evaluate(() => document.activeElement.textContent.trim());
      const results = await titles(page);
      assert.ok(results.length >= 2, `results: ${results}`);
      assert.equal(await focused(), results[0]);
      await page.keyboard.press('ArrowDown');
      assert.equal(await focused(), results[1]);
      await page.keyboard.press('ArrowUp');
      assert.equal(await focused(), results[0]);
      await page.keyboard.press('Enter');
      await page.waitForURL(/roles\/knowledge-broker\/index\.html$/);
    },
  },
  {
    name: 'zero axe violations on the search page, empty and with results and filters',
    run: async (ctx) => {
      const { page } = ctx;
      const fixture = fixtureOf(ctx);
      await open(page, fixture);
      await ctx.expectAccessible(page, 'search page (empty query)');
      await open(page, fixture, '?q=facilitator&stage=implement-evaluate');
      await ctx.expectAccessible(page, 'search page (results and a filter)');
      await open(page, fixture, '?q=fnd');
      await page.locator('.search-suggestion a').waitFor();
      await ctx.expectAccessible(page, 'search page (did you mean)');
      await open(page, ctx.site, '?q=funding');
      await ctx.expectAccessible(page, 'shipped catalog search page');
    },
  },
  {
    name: 'works from file://',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const fixture = fixtureOf(ctx);
      await page.goto(new URL(SEARCH + '?q=knowledge%20broker', fixture.fileUrl).href, { waitUntil: 'load' });
      await settled(page);
      assert.equal((await titles(page))[0], 'Knowledge broker');
      await checkBox(page, 'stage', 'share-coordinate');
      assert.ok((await titles(page)).includes('Knowledge broker'));
      await page.click('#search-results .search-result-title a');
      await page.waitForURL(/roles\/knowledge-broker\/index\.html$/);
    },
  },
  {
    name: 'works with WebAssembly disabled',
    run: async (ctx) => {
      const { assert } = ctx;
      const fixture = fixtureOf(ctx);
      const browser = await ctx.browser.browserType().launch({
        executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
        // V8 in current Chromium no longer knows --noexpose_wasm (it is ignored); --jitless
        // removes WebAssembly (and the JIT, as some locked-down browsers do). Both are asked
        // for, and the test checks that WebAssembly is really gone.
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--js-flags=--noexpose_wasm,--jitless'],
      });
      try {
        const page = await browser.newPage();
        const errors = [];
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
        await open(page, fixture, '?q=funding');
        assert.equal(await page.evaluate(() => typeof WebAssembly), 'undefined', 'WebAssembly is disabled');
        assert.equal((await titles(page))[0], 'Fund a facilitator');
        await checkBox(page, 'stage', 'implement-evaluate');
        assert.ok((await count(page)) > 0);
        assert.deepEqual(errors, []);
      } finally {
        await browser.close();
      }
    },
  },
  {
    name: 'on the shipped catalog, "funding" and "knowlege broker" find the right entries first',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const hrefs = () => page.$$eval('#search-results .search-result-title a', (links) => links.map((a) => a.href));
      await open(page, ctx.site, '?q=funding');
      const funding = await hrefs();
      assert.match(funding[0], /guidance\/fund-a-facilitator\/index\.html$/, `funding: ${await titles(page)}`);
      await open(page, ctx.site, '?q=knowlege%20broker');
      const broker = await hrefs();
      assert.match(broker[0], /roles\/knowledge-broker\/index\.html$/, `knowlege broker: ${await titles(page)}`);
      const before = await count(page);
      await checkBox(page, 'stage', 'identify-priorities');
      assert.ok((await count(page)) < before, 'a stage narrows the list');
    },
  },
  ...wordsReadersUse,
];
