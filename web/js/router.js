// router.js — a tiny client-side router on the History API. The server
// answers every path without a dot with index.html, so any such path can be
// a view. Views are modules loaded on first use:
//
//   export const titleKey = 'landing.title';          // i18n key of <title>
//   export function render(outlet, {params, path, query, router}) { ...; return cleanup? }
//   (or an async render resolving to the same: nodes to append or a cleanup)
//
// Views mark their strings with data-i18n so a language switch updates them in
// place. Links inside the page navigate without a reload; after a navigation
// focus moves to the view's first heading so screen readers announce it.

import { t, onLangChange } from './i18n.js';
import { h } from './dom.js';
import { compile } from './routes.js';

export class Router {
  /** outlet: the element views render into; notFound: the loader used when no route matches. */
  constructor(outlet, { notFound }) {
    this.outlet = outlet;
    this.routes = [];
    this.notFound = notFound;
    this.cleanup = null;
    this.current = null;
    this.renderId = 0;
    this.renderedKey = null;
    onLangChange(() => this.updateTitle());
  }

  /** Adds a route: pattern like "/meetings/:id", load() resolves to a view module. */
  add(pattern, load) {
    this.routes.push({ ...compile(pattern), load });
    return this;
  }

  match(path) {
    for (const r of this.routes) {
      const m = r.re.exec(path);
      if (m) {
        const params = {};
        r.names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1]);
        });
        return { load: r.load, params };
      }
    }
    return { load: this.notFound, params: {} };
  }

  /** Renders the current location and starts following links and history. */
  start() {
    window.addEventListener('popstate', () => {
      // In-page links (the skip link) fire popstate too: the view stays.
      if (this.locationKey() !== this.renderedKey) this.render({ focus: true });
    });
    document.addEventListener('click', (ev) => this.onClick(ev));
    return this.render({ focus: false });
  }

  /** Goes to path (pushState, or replaceState with replace: true) and renders it. */
  navigate(path, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    return this.render({ focus: true });
  }

  onClick(ev) {
    if (ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    const a = ev.target.closest && ev.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (href.startsWith('#')) return; // in-page links (the skip link) stay native
    const url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    const last = url.pathname.split('/').pop();
    if (last.includes('.') || url.pathname.startsWith('/api/')) return; // files and API: a real load
    if (url.pathname === '/public' || url.pathname.startsWith('/public/')) return; // server-rendered pages
    ev.preventDefault();
    if (url.pathname + url.search !== window.location.pathname + window.location.search) {
      this.navigate(url.pathname + url.search + url.hash);
    }
  }

  locationKey() {
    return window.location.pathname + window.location.search;
  }

  async render({ focus }) {
    const id = ++this.renderId;
    this.renderedKey = this.locationKey();
    const path = window.location.pathname;
    const { load, params } = this.match(path);
    let view;
    try {
      view = await load();
    } catch (err) {
      if (id !== this.renderId) return;
      this.swap(null, () => [h('h1', { tabindex: '-1', i18n: 'error.viewFailed' })]);
      throw err; // errors.js reports it
    }
    if (id !== this.renderId) return; // a newer navigation won
    this.current = view;
    const query = new URLSearchParams(window.location.search);
    // A view may render asynchronously (it loads data first): render() then
    // returns a promise of what it would have returned; focus waits for it.
    await this.swap(view, (outlet) => view.render(outlet, { params, path, query, router: this }), id);
    if (id !== this.renderId) return;
    this.updateTitle();
    if (focus) {
      const heading = this.outlet.querySelector('h1');
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.setAttribute('tabindex', '-1');
        heading.focus();
      }
    }
  }

  async swap(view, render, id = this.renderId) {
    if (typeof this.cleanup === 'function') {
      try {
        this.cleanup();
      } catch (err) {
        setTimeout(() => {
          throw err;
        });
      }
    }
    this.cleanup = null;
    this.outlet.replaceChildren();
    let result = render(this.outlet);
    if (result && typeof result.then === 'function') {
      result = await result;
      if (id !== this.renderId) {
        if (typeof result === 'function') result();
        return;
      }
    }
    if (Array.isArray(result)) this.outlet.append(...result);
    else if (typeof result === 'function') this.cleanup = result;
  }

  updateTitle() {
    const key = this.current && this.current.titleKey;
    document.title = key ? `${t(key)} — ${t('app.name')}` : t('app.title');
  }
}
