/**
 * Runs a query for the newest state only, e.g. the case list as the officer types.
 *
 * `run()` starts `query` at once when nothing is in flight, so the rows follow the keystroke with no
 * debounce. Called while a query is in flight, it starts nothing: when the running query settles,
 * one more runs with the state as it is then, however many calls came in between. So typing fast
 * queues at most one query, and an answer that a newer call has superseded is never applied (nor
 * its error thrown): a slow query cannot overwrite a newer one.
 *
 * `busy(true)` when the first query starts, `busy(false)` when the last one settles.
 */
export function latestOnly<T>(
  query: () => Promise<T>,
  apply: (answer: T) => void,
  busy: (busy: boolean) => void = () => {},
): () => Promise<void> {
  let running: Promise<void> | null = null
  let again = false

  async function loop() {
    busy(true)
    try {
      do {
        again = false
        try {
          const answer = await query()
          if (!again) apply(answer)
        } catch (e) {
          if (!again) throw e
        }
      } while (again)
    } finally {
      running = null
      busy(false)
    }
  }

  return () => {
    if (running) {
      again = true
      return running
    }
    running = loop()
    return running
  }
}
