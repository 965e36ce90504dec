// The dev server's own URLs, shared by the server and the dev client it serves.

export const EVENTS_PATH = '/__deck/events'
export const CLIENT_PATH = '/__deck/client.js'
export const PDF_PATH = '/__deck/pdf'
