import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { CasePage } from '@/bindings/CasePage'
import type { CaseQueryArgs } from '@/bindings/CaseQueryArgs'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

import CasesPage from './CasesPage.vue'

const queries: CaseQueryArgs[] = []

beforeEach(() => {
  queries.length = 0
  invoke.mockReset()
  invoke.mockImplementation(async (cmd: string, args: { query: CaseQueryArgs }) => {
    if (cmd !== 'list_cases') throw { code: 'unknown', message: cmd }
    queries.push(args.query)
    const page: CasePage = { total: 1234, page: args.query.page, page_size: args.query.page_size, rows: [], elapsed_ms: 3 }
    return page
  })
})

function mountPage() {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { template: '<div />' } }],
  })
  return mount(CasesPage, { global: { plugins: [ElementPlus, router] } })
}

describe('CasesPage', () => {
  it('asks for 20 rows a page, and starts again at page 1 when the officer picks a larger page', async () => {
    const w = mountPage()
    await flushPromises()
    expect(queries.map((q) => [q.page, q.page_size])).toEqual([[1, 20]])
    expect(w.text()).toContain('1234') // the total, beside the pager

    const pager = w.findComponent({ name: 'ElPagination' })
    expect(pager.props('pageSizes')).toEqual([20, 50, 100])
    pager.vm.$emit('update:current-page', 3)
    await flushPromises()
    pager.vm.$emit('update:page-size', 50)
    await flushPromises()
    expect(queries.map((q) => [q.page, q.page_size])).toEqual([
      [1, 20],
      [3, 20],
      [1, 50],
    ])
    w.unmount()
  })
})
