/**
 * The headless API token: the page is opened as `/?token=…`; the token moves into sessionStorage (gone when the tab
 * closes) and out of the address bar, so it is not left in history, screenshots or a copied link.
 */
const KEY = 'sentinel.token';

export function takeToken(loc: Location = window.location, storage: Storage = window.sessionStorage): string | null {
  const url = new URL(loc.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(KEY);
}
