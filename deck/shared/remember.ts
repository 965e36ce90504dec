// Work kept for the process by what it is made from: a font read, a face cut, a set of
// characters. A failure is not kept: it is its caller's, and the next call tries again.

/** The promise kept in `cache` under `key`, made by `make` the first time it is asked for. */
export function remember<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = cache.get(key)
  if (known) return known
  const made = make()
  cache.set(key, made)
  made.catch(() => cache.delete(key))
  return made
}
