// The print edition and briefing packs in a real browser: Chromium prints print/ to a PDF
// whose text (pdftotext, from Debian's poppler-utils) holds every title, the contents before
// the first entry and no navigation; the print pages have no axe violations; every page's
// print stylesheet leaves navigation out; and "Print these results" prints exactly the
// results of the search, with their kind, stages, summary and address.

import { settled } from '../search-page.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';

const at = (site, relative = '') => new URL(relative, site.url).href;

// Words of the site's chrome (src/i18n/en.toml) that a printout must not show.
const CHROME_WORDS = ['Skip to main content', 'Download as CSV', 'Download as JSON', 'Updates feed (Atom)', 'Print or save as PDF', 'Print this stage'];

// pdftotext, or a skip (a failure under CI=true, where .ci/run installs it).
function pdftotextOr(ctx) {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    if (process.env.CI === 'true') throw new Error('pdftotext is missing under CI=true (apt-get install poppler-utils)');
    ctx.skip('needs pdftotext (apt-get install poppler-utils)');
  }
}

// The page printed by Chromium, as text: whitespace runs made one space, ligatures undone.
async function printedText(page) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'copcat-print-'));
  try {
    const file = path.join(dir, 'page.pdf');
    await page.pdf({ path: file, outline: true, tagged: true });
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    return text.normalize('NFKC').replace(/\s+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const oneLine = (text) => text.normalize('NFKC').replace(/\s+/g, ' ').trim();


// Clicks "Print these results" with window.print recorded rather than run; returns the
// brief's entries as printing shows them.
async function printResults(ctx, page) {
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => { window.printed += 1; };
  });
  const button = page.locator('#search-print');
  ctx.assert.ok(await button.isVisible(), 'the button shows with results');
  await button.click();
  await page.waitForFunction(() => window.printed === 1);
  await page.emulateMedia({ media: 'print' });
  const shown = (selector) => page.$$eval(selector, (nodes) => nodes.filter((n) => n.checkVisibility()).length);
  for (const selector of ['#search-results', '#search-facets', '.search-form', '.page-header', '#search-print', '.site-header']) {
    ctx.assert.equal(await shown(selector), 0, `${selector} is left out of the printed brief`);
  }
  ctx.assert.equal(await shown('.search-brief'), 1, 'the brief prints');
  return page.$$eval('.search-brief .brief-item', (items) =>
    items.map((item) => ({
      title: item.querySelector('.brief-item-title').textContent,
      meta: item.querySelector('.brief-meta').textContent,
      summary: (item.querySelector('.brief-summary') || {}).textContent || '',
      address: item.querySelector('.brief-address').textContent,
    })),
  );
}

export const tests = [
  {
    name: 'Chromium prints print/ to a PDF with every title, the contents first and no navigation',
    run: async (ctx) => {
      pdftotextOr(ctx);
      const { page, assert } = ctx;
      const site = ctx.site;
      await page.goto(at(site, 'print/index.html'), { waitUntil: 'load' });
      const text = await printedText(page);
      const titles = site.catalog.entries.map((entry) => oneLine(entry.title));
      for (const title of titles) assert.ok(text.includes(title), `the PDF lacks "${title}"`);
      for (const word of CHROME_WORDS) assert.ok(!text.includes(word), `the PDF shows "${word}"`);
      // The contents, listing the first entry printed, before the entry itself.
      const first = oneLine(await page.locator('article.print-entry .print-entry-header > :is(h2, h3)').first().textContent());
      const contents = text.indexOf('Contents');
      assert.ok(contents >= 0, 'the PDF has a table of contents');
      const listed = text.indexOf(first, contents);
      assert.ok(listed > contents && text.indexOf(first, listed + first.length) > listed, `"${first}" is listed, then printed`);
      assert.ok(text.includes('References'), 'one reference list');
    },
  },
  {
    name: "a stage's page leads to its print document, which prints that stage's entries",
    run: async (ctx) => {
      pdftotextOr(ctx);
      const { page, assert } = ctx;
      const site = ctx.site;
      await page.goto(at(site, 'stages/identify-priorities/index.html'));
      await Promise.all([page.waitForURL(/print\/identify-priorities\/index\.html$/), page.click('.print-link a')]);
      const serving = site.catalog.entries.filter((entry) => entry.stages.includes('identify-priorities'));
      const printed = await page.$$eval('article.print-entry .print-entry-header > :is(h2, h3)', (nodes) => nodes.map((n) => n.textContent));
      assert.deepEqual(printed.map(oneLine).sort(), serving.map((entry) => oneLine(entry.title)).sort());
      const text = await printedText(page);
      for (const entry of serving) assert.ok(text.includes(oneLine(entry.title)), `the stage's PDF lacks "${entry.title}"`);
      for (const word of CHROME_WORDS) assert.ok(!text.includes(word), `the stage's PDF shows "${word}"`);
    },
  },
  {
    name: 'the print pages have zero axe violations',
    run: async (ctx) => {
      const { page } = ctx;
      for (const site of [ctx.site, ctx.fixture].filter(Boolean)) {
        for (const relative of ['print/index.html', `print/${site.catalog.entries[0].stages[0]}/index.html`]) {
          await page.goto(at(site, relative), { waitUntil: 'load' });
          await ctx.expectAccessible(page, relative);
        }
      }
      await page.emulateMedia({ media: 'print' });
      await page.goto(at(ctx.site, 'print/index.html'), { waitUntil: 'load' });
      await ctx.expectAccessible(page, 'print/ in print media');
    },
  },
  {
    name: "every page's print stylesheet leaves navigation out; the edition starts each stage on a new page",
    run: async (ctx) => {
      const { page, assert } = ctx;
      await page.emulateMedia({ media: 'print' });
      for (const relative of ['', 'landscape/index.html', 'sources/index.html', 'search/index.html', 'stages/identify-priorities/index.html', 'print/index.html']) {
        await page.goto(at(ctx.site, relative), { waitUntil: 'load' });
        const shown = await page.$$eval('nav:not(.print-toc), .site-header, .site-footer, .site-search, .skip-link', (nodes) =>
          nodes.filter((node) => node.checkVisibility()).map((node) => node.className || node.tagName),
        );
        assert.deepEqual(shown, [], `${relative || 'home'} prints its navigation`);
      }
      // On print/: the contents print, the button does not, and each stage starts a page.
      assert.ok(await page.locator('.print-toc').isVisible(), 'the contents print');
      assert.ok(!(await page.locator('button[data-print]').isVisible()), 'the print button does not');
      const breaks = await page.$$eval('.print-stage', (sections) => sections.map((s) => getComputedStyle(s).breakBefore));
      assert.ok(breaks.length > 1 && breaks.every((value) => value === 'page'), `stage breaks: ${breaks}`);
      // Readable in greyscale: every text that prints is a grey (black, or white on the
      // stages' dark numbers), so nothing is told by colour alone.
      const coloured = await page.$$eval('main *', (nodes) =>
        nodes
          .filter((node) => node.checkVisibility() && [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim()))
          .map((node) => [node.tagName + '.' + node.className, getComputedStyle(node).color])
          .filter(([, color]) => {
            const [r, g, b] = color.match(/\d+(\.\d+)?/g).map(Number);
            return r !== g || g !== b;
          }),
      );
      assert.deepEqual(coloured.slice(0, 5), [], 'text printed in colour');
      // On screen, the button prints the page.
      await page.emulateMedia({ media: 'screen' });
      await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed += 1; }; });
      await page.click('button[data-print]');
      assert.equal(await page.evaluate(() => window.printed), 1);
    },
  },
  {
    name: '"Print these results" prints exactly the results of "funding" for executives, with kind, stages and address',
    run: async (ctx) => {
      const { page, assert } = ctx;
      const site = ctx.site;
      await page.goto(at(site, 'search/index.html?q=funding&audience=executive'), { waitUntil: 'load' });
      await settled(page);
      const count = parseInt(await page.textContent('#search-status'), 10);
      assert.ok(count > 0, 'funding for executives finds entries');
      const brief = await printResults(ctx, page);
      assert.equal(brief.length, count, 'the brief holds every result, not only those shown');
      const byTitle = new Map(site.catalog.entries.map((entry) => [entry.title, entry]));
      for (const item of brief) {
        const entry = byTitle.get(item.title);
        assert.ok(entry, `"${item.title}" is an entry`);
        assert.ok(entry.terms.audience.includes('executive'), `"${item.title}" is not for executives`);
        assert.equal(item.summary, entry.summary);
        assert.equal(item.address, new URL(`${entry.path}index.html`, site.url).href, 'the address opens the entry');
        assert.ok(item.meta.length > 0, `"${item.title}" shows its kind and stages`);
      }
      const heading = await page.textContent('.search-brief .brief-title');
      assert.match(heading, /funding/, 'the brief names the query');
      assert.match(await page.textContent('.search-brief .brief-filters'), /Executives and sponsors/, 'and the filter');
      await ctx.expectAccessible(page, 'search page with a brief, in print media');
      // A new search ends the brief: printing the page again prints the results as they are.
      await page.emulateMedia({ media: 'screen' });
      await page.fill('#search-q', 'sponsor');
      await page.press('#search-q', 'Enter');
      await settled(page);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('printing-brief')), false);
    },
  },
  {
    name: '"Print these results" prints only the filtered entries, from file:// too, with the public address',
    run: async (ctx) => {
      if (!ctx.fixture) ctx.skip('needs the search fixture (--fixture)');
      const { page, assert } = ctx;
      await page.goto(new URL('search/index.html?stage=generate-knowledge', ctx.fixture.fileUrl).href, { waitUntil: 'load' });
      await settled(page);
      const onScreen = await page.$$eval('#search-results .search-result-title', (nodes) => nodes.map((n) => n.textContent.trim()));
      const brief = await printResults(ctx, page);
      assert.deepEqual(brief.map((item) => item.title).sort(), onScreen.sort());
      assert.deepEqual(brief.map((item) => item.title).sort(), ['Evidence synthesizer', 'Knowledge broker']);
      // The fixture's base_url is absolute: the brief gives the entries' public addresses.
      for (const item of brief) assert.match(item.address, /^https:\/\/example\.org\/search-fixture\/roles\/[a-z-]+\/$/);
    },
  },
];
