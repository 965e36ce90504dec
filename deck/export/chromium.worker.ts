import { parentPort } from 'node:worker_threads'

import Chromium from '@sparticuz/chromium'

// Unpacks the Chromium of @sparticuz/chromium (see npmBrowser in browser.ts). The package
// unpacks into os.tmpdir() and takes no folder to unpack into, so this thread is started with
// an environment of its own whose TMPDIR is that folder: the process's environment is never
// changed. It runs as a bundle of its own (deck/shared/bundles.ts) and answers with the path
// of the program it unpacked; a failure ends it, with its error.

const port = parentPort
if (!port) throw new Error('chromium.worker runs only as a worker thread')
port.postMessage(await Chromium.executablePath())
