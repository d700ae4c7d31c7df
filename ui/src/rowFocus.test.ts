import { describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick, ref } from 'vue'
import { mount } from '@vue/test-utils'
import { useFocusableRows } from './rowFocus'

const Table = defineComponent({
  props: { rows: { type: Array as () => string[], required: true }, open: { type: Function, required: true } },
  setup(props) {
    const box = ref<HTMLElement | null>(null)
    const { onKeydown } = useFocusableRows(box, () => props.rows, (r) => props.open(r))
    return () =>
      h('div', { ref: box, onKeydown }, [
        h('table', [h('tbody', props.rows.map((r) => h('tr', { class: 'case-row', key: r }, [h('td', r)])))]),
      ])
  },
})

describe('useFocusableRows', () => {
  it('makes rows focusable, opens on Enter and moves with the arrows', async () => {
    const open = vi.fn()
    const w = mount(Table, { props: { rows: ['a', 'b', 'c'], open }, attachTo: document.body })
    await nextTick()
    const trs = w.findAll('tr.case-row')
    expect(trs.map((t) => t.attributes('tabindex'))).toEqual(['0', '0', '0'])

    await trs[1].trigger('keydown', { key: 'Enter' })
    expect(open).toHaveBeenCalledWith('b')

    ;(trs[1].element as HTMLElement).focus()
    await trs[1].trigger('keydown', { key: 'ArrowDown' })
    expect(document.activeElement).toBe(trs[2].element)
    await trs[2].trigger('keydown', { key: 'ArrowUp' })
    expect(document.activeElement).toBe(trs[1].element)
    w.unmount()
  })

  it('marks rows that arrive later', async () => {
    const w = mount(Table, { props: { rows: ['a'], open: vi.fn() }, attachTo: document.body })
    await w.setProps({ rows: ['a', 'b'] })
    await new Promise((r) => setTimeout(r, 0)) // MutationObserver callbacks are microtasks
    expect(w.findAll('tr.case-row').map((t) => t.attributes('tabindex'))).toEqual(['0', '0'])
    w.unmount()
  })
})
