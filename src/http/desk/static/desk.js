// Live updates for the web desk (progressive enhancement: every page works without this script).
// The server sends an `inbox` event when a help request comes in or changes; the page then fetches
// itself again and swaps the parts marked `data-live` (lists, threads, counts) and the title. Forms
// are never swapped, so nothing a staff member is typing is lost.
(() => {
  const body = document.body;
  const source = body.getAttribute('data-live-source');
  if (!source || !('EventSource' in window) || !('DOMParser' in window)) return;
  let busy = false;
  let again = false;
  const refresh = async () => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const response = await fetch(window.location.href, {
        credentials: 'same-origin',
        // Marks the request as a refresh, not a staff member opening the page (no audit entry).
        headers: { accept: 'text/html', 'x-desk-live': '1' },
      });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
      document.title = fresh.title;
      for (const part of document.querySelectorAll('[data-live]')) {
        const next = part.id ? fresh.getElementById(part.id) : null;
        if (next && next.innerHTML !== part.innerHTML) part.innerHTML = next.innerHTML;
      }
    } catch {
      // A failed refresh waits for the next event.
    } finally {
      busy = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };
  const events = new EventSource(source);
  events.addEventListener('inbox', refresh);
  window.addEventListener('pagehide', () => events.close());
})();
