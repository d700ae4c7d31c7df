// el-table has no per-row attributes, so rows are made focusable from outside: every <tr>
// matching `selector` gets tabindex=0, Enter opens the row, ↑/↓ move between rows.

import { onBeforeUnmount, onMounted, type Ref } from 'vue'

export function useFocusableRows<T>(
  container: Ref<HTMLElement | null>,
  rows: () => T[],
  open: (row: T) => void,
  selector = 'tr.case-row',
) {
  let observer: MutationObserver | null = null

  const mark = () => {
    container.value?.querySelectorAll<HTMLElement>(selector).forEach((tr) => {
      if (tr.tabIndex !== 0) tr.tabIndex = 0
    })
  }

  onMounted(() => {
    mark()
    if (container.value && typeof MutationObserver !== 'undefined') {
      observer = new MutationObserver(mark)
      observer.observe(container.value, { childList: true, subtree: true })
    }
  })
  onBeforeUnmount(() => observer?.disconnect())

  function onKeydown(e: KeyboardEvent) {
    const tr = (e.target as HTMLElement | null)?.closest<HTMLElement>(selector)
    if (!tr || !container.value) return
    const all = Array.from(container.value.querySelectorAll<HTMLElement>(selector))
    const i = all.indexOf(tr)
    if (i < 0) return
    if (e.key === 'Enter') {
      e.preventDefault()
      const row = rows()[i]
      if (row !== undefined) open(row)
    } else if (e.key === 'ArrowDown' && i + 1 < all.length) {
      e.preventDefault()
      all[i + 1].focus()
    } else if (e.key === 'ArrowUp' && i > 0) {
      e.preventDefault()
      all[i - 1].focus()
    }
  }

  return { onKeydown }
}
