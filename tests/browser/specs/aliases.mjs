// Redirect pages of aliases (an entry's old addresses) in a real browser: opening an old
// address lands on the entry's page, served under a sub-path with a strict
// Content-Security-Policy (the redirect needs no script) and opened straight from disk.

function fixtureOf(ctx) {
  if (!ctx.fixture) ctx.skip('needs the fixture (--fixture, built from tests/fixtures/browser)');
  return ctx.fixture;
}

// Opens `from` and waits until the browser has followed the refresh to `to`.
async function lands(ctx, page, from, to, title) {
  const { assert } = ctx;
  await page.goto(from);
  await page.waitForURL((url) => url.href === to, { timeout: 10_000 }).catch(() => {});
  assert.equal(page.url(), to, `${from} did not lead to ${to}`);
  assert.equal((await page.locator('h1').first().textContent()).trim(), title, `the page at ${to}`);
}

export const tests = [
  {
    name: 'an old address lands on the entry, under a sub-path and from file://',
    run: async (ctx) => {
      const site = fixtureOf(ctx);
      const entry = site.catalog.entries.find((candidate) => (candidate.aliases || []).length);
      ctx.assert.ok(entry, 'the fixture has an entry with aliases (catalog.json lists them)');
      ctx.assert.ok(entry.aliases.length >= 2, 'a short alias and a deeper one');
      for (const base of [site.url, site.fileUrl]) {
        const to = new URL(`${entry.path}index.html`, base).href;
        for (const alias of entry.aliases) {
          await lands(ctx, ctx.page, new URL(`${alias}index.html`, base).href, to, entry.title);
        }
      }
    },
  },
  {
    name: 'the redirect needs no script, and shows a link for browsers that stay',
    run: async (ctx) => {
      const site = fixtureOf(ctx);
      const entry = site.catalog.entries.find((candidate) => (candidate.aliases || []).length);
      const old = new URL(`${entry.aliases[0]}index.html`, site.url).href;
      // The refresh is not a script: it works with JavaScript off.
      const still = await ctx.newPage({ javaScriptEnabled: false });
      await lands(ctx, still, old, new URL(`${entry.path}index.html`, site.url).href, entry.title);
      // Read without following: one link, to the entry, named by its title; no script.
      const html = await (await ctx.page.request.get(old)).text();
      const found = await ctx.page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'text/html');
        const links = [...doc.querySelectorAll('a')];
        return {
          links: links.map((a) => [a.getAttribute('href'), a.textContent.trim()]),
          scripts: doc.querySelectorAll('script').length,
          canonical: doc.querySelector('link[rel="canonical"]')?.getAttribute('href'),
        };
      }, html);
      ctx.assert.deepEqual(found.links, [[`../../${entry.path}index.html`, entry.title]]);
      ctx.assert.equal(found.scripts, 0, 'no script');
      ctx.assert.equal(found.canonical, entry.url, "the canonical link is the entry's address");
    },
  },
];
