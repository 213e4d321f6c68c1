// What the specs share about the search page.

// Waits until search.js has answered: the page is not busy, and its status no longer says
// it is loading (in the page's own words, from its strings table).
export async function settled(page) {
  await page.waitForFunction(() => {
    const app = document.getElementById('search-app');
    const loading = JSON.parse(document.getElementById('search-messages').textContent).loading;
    const status = document.getElementById('search-status').textContent;
    return status && status !== loading && app.getAttribute('aria-busy') !== 'true';
  });
}
