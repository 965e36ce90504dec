import { CLIENT_PATH, EVENTS_PATH, PDF_PATH } from './routes.ts'

// The script the dev server adds to the deck it serves. It runs in the browser:
// it listens for rebuilds over server-sent events, reloads the page when a new deck
// is ready (the slide stays, since the URL hash keeps it), and shows a build's
// problems over the last good deck until the next good save. Bundled on its own
// (deck/shared/bundles.ts) and served as /__deck/client.js.

// The presenter view shows the next slide in a frame of the same deck: the view itself reloads.
if (new URLSearchParams(location.search).get('view') !== 'next') start()

function start(): void {
  const OVERLAY_ID = 'deck-dev-overlay'
  const show = (message: string) => {
    let overlay = document.getElementById(OVERLAY_ID)
    if (!overlay) {
      overlay = document.createElement('div')
      overlay.id = OVERLAY_ID
      overlay.setAttribute('role', 'alert')
      overlay.style.cssText =
        'position:fixed;left:0;right:0;top:0;z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:16px 20px;' +
        'background:rgba(29,39,51,.94);color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;white-space:pre-wrap;box-shadow:0 4px 24px rgba(0,0,0,.3)'
      document.body.append(overlay)
    }
    overlay.textContent = `${message}\n\nThe deck below is the last one that built. Save a fix and this goes away.`
  }
  const hide = () => document.getElementById(OVERLAY_ID)?.remove()

  const pdf = document.createElement('a')
  pdf.href = PDF_PATH
  pdf.textContent = 'PDF'
  pdf.title = 'The PDF of this deck, as it is now'
  pdf.style.cssText =
    'position:fixed;right:12px;top:12px;z-index:2147483646;padding:4px 10px;border-radius:4px;background:rgba(20,48,90,.85);color:#fff;font:600 13px/1.4 system-ui,sans-serif;text-decoration:none;opacity:.6'
  document.body.append(pdf)

  // The version of the deck this page shows, written into the script tag by the server.
  const shown = document.querySelector<HTMLScriptElement>(`script[src="${CLIENT_PATH}"]`)?.dataset.version
  const events = new EventSource(EVENTS_PATH)
  events.addEventListener('state', (e) => {
    const state = JSON.parse((e as MessageEvent<string>).data) as { version: number; ok: boolean; message?: string }
    if (!state.ok) show(state.message ?? 'The build failed.')
    else if (String(state.version) !== shown) location.reload()
    else hide()
  })
}
