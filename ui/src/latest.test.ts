import { describe, expect, it, vi } from 'vitest'
import { latestOnly } from './latest'

/** A query whose answers the test releases by hand, in any order. */
function controlled() {
  const pending: { text: string; resolve: (v: string) => void; reject: (e: unknown) => void }[] = []
  let text = ''
  const query = vi.fn(
    () =>
      new Promise<string>((resolve, reject) => {
        pending.push({ text, resolve, reject })
      }),
  )
  return { pending, query, type: (t: string) => (text = t) }
}

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('latestOnly', () => {
  it('runs at once, then coalesces every call made meanwhile into one query with the newest state', async () => {
    const c = controlled()
    const applied: string[] = []
    const busy: boolean[] = []
    const run = latestOnly(c.query, (a) => applied.push(a), (b) => busy.push(b))

    c.type('9')
    const first = run()
    expect(c.query).toHaveBeenCalledTimes(1)
    for (const t of ['91', '914', '9144']) {
      c.type(t)
      void run()
    }
    expect(c.query).toHaveBeenCalledTimes(1)

    c.pending[0].resolve('rows of ' + c.pending[0].text)
    await settle()
    expect(applied).toEqual([]) // superseded while in flight: never shown
    expect(c.query).toHaveBeenCalledTimes(2)
    expect(c.pending[1].text).toBe('9144')

    c.pending[1].resolve('rows of ' + c.pending[1].text)
    await first
    expect(applied).toEqual(['rows of 9144'])
    expect(busy).toEqual([true, false])

    // Idle again: the next call runs at once.
    c.type('智能')
    void run()
    expect(c.query).toHaveBeenCalledTimes(3)
    c.pending[2].resolve('rows of 智能')
    await settle()
    expect(applied).toEqual(['rows of 9144', 'rows of 智能'])
  })

  it('drops the error of a superseded query and throws the newest one', async () => {
    const c = controlled()
    const applied: string[] = []
    const run = latestOnly(c.query, (a) => applied.push(a))
    const first = run()
    void run()
    c.pending[0].reject(new Error('stale'))
    await settle()
    c.pending[1].reject(new Error('newest'))
    await expect(first).rejects.toThrow('newest')
    expect(applied).toEqual([])
  })
})
