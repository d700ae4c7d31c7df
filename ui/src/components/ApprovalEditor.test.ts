import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { ItemView } from '@/bindings/ItemView'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

import ApprovalEditor from './ApprovalEditor.vue'

function item(over: Partial<ItemView> = {}): ItemView {
  return {
    id: 41,
    seq: 2,
    clause: '6.2',
    clause_title: '租赁经营场地补助',
    citation: '第六条第（二）项',
    clause_text: '',
    units: [],
    declared_amount: '300000.00',
    ceiling: '200000.00',
    explanation: null,
    approved: null,
    reason: '',
    can_approve: true,
    can_refuse: true,
    bound: { amount: '200000.00', by: 'ceiling' },
    needs_request: false,
    ...over,
  }
}

function mountEditor(it: ItemView) {
  return mount(ApprovalEditor, { props: { caseId: 7, item: it }, global: { plugins: [ElementPlus] }, attachTo: document.body })
}

async function fill(w: ReturnType<typeof mountEditor>, amount: string, reason: string) {
  await w.get('[data-testid="amount-2"]').setValue(amount)
  await w.get('[data-testid="reason-2"]').setValue(reason)
  await w.get('[data-testid="approve-2"]').trigger('click')
  await flushPromises()
  // el-form-item shows its error after a 100 ms debounce.
  await new Promise((r) => setTimeout(r, 150))
}

// Braces: a function returned from beforeEach would be called as a teardown.
beforeEach(() => {
  invoke.mockReset()
})

describe('ApprovalEditor', () => {
  it('proposes the ceiling', () => {
    const w = mountEditor(item())
    expect((w.get('[data-testid="amount-2"]').element as HTMLInputElement).value).toBe('200000.00')
    w.unmount()
  })

  it('refuses an amount above the ceiling', async () => {
    const w = mountEditor(item())
    await fill(w, '200000.01', '')
    expect(w.text()).toContain('核定金额不能超过最高可补助额')
    expect(invoke).not.toHaveBeenCalled()
    w.unmount()
  })

  it('refuses a lower amount without a reason', async () => {
    const w = mountEditor(item())
    await fill(w, '150000', '   ')
    expect(w.text()).toContain('须填写核减理由')
    expect(invoke).not.toHaveBeenCalled()
    w.unmount()
  })

  it('refuses what is not an amount', async () => {
    const w = mountEditor(item())
    await fill(w, '十五万', '')
    expect(w.text()).toContain('金额必须是数字')
    expect(invoke).not.toHaveBeenCalled()
    w.unmount()
  })

  it('saves a lower amount with a reason, sending the canonical amount', async () => {
    const view = { items: [] }
    invoke.mockResolvedValue(view)
    const w = mountEditor(item())
    await fill(w, '150,000', '部分租赁合同不在申报期内')
    expect(invoke).toHaveBeenCalledWith('approve_item', {
      caseId: 7,
      itemId: 41,
      amount: '150000.00',
      reason: '部分租赁合同不在申报期内',
    })
    expect(w.emitted('saved')?.[0]).toEqual([view])
    w.unmount()
  })

  it('saves the full ceiling without a reason', async () => {
    invoke.mockResolvedValue({})
    const w = mountEditor(item())
    await fill(w, '200000', '')
    expect(invoke).toHaveBeenCalledTimes(1)
    w.unmount()
  })

  it('proposes the request when it is below the ceiling, and says so', () => {
    const w = mountEditor(item({ declared_amount: '100000.00', ceiling: '400000.00', bound: { amount: '100000.00', by: 'request' } }))
    expect((w.get('[data-testid="amount-2"]').element as HTMLInputElement).value).toBe('100000.00')
    expect(w.get('[data-testid="bound-2"]').text()).toContain('上限为申请金额 100,000.00 元（低于最高可补助额 400,000.00 元）')
    w.unmount()
  })

  it('saves exactly the request without a reason, and refuses more', async () => {
    invoke.mockResolvedValue({})
    const w = mountEditor(item({ declared_amount: '100000.00', ceiling: '400000.00', bound: { amount: '100000.00', by: 'request' } }))
    await fill(w, '400000', '')
    expect(w.text()).toContain('核定金额不能超过申请金额')
    expect(invoke).not.toHaveBeenCalled()
    await fill(w, '100000', '')
    expect(invoke).toHaveBeenCalledWith('approve_item', { caseId: 7, itemId: 41, amount: '100000.00', reason: '' })
    w.unmount()
  })

  it('asks for the request of an item imported before it was required', async () => {
    invoke.mockResolvedValue({ items: [] })
    const w = mountEditor(item({ declared_amount: null, bound: { amount: '200000.00', by: 'ceiling' }, needs_request: true }))
    expect(w.text()).toContain('请先补录申请金额再核定')
    expect(w.find('[data-testid="approve-2"]').exists()).toBe(false)
    await w.get('[data-testid="request-2"]').setValue('150,000')
    await w.get('[data-testid="save-request-2"]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('set_item_request', { caseId: 7, itemId: 41, amount: '150000.00' })
    w.unmount()
  })

  it("shows the backend's message when it refuses", async () => {
    invoke.mockRejectedValue({ code: 'invalid', message: '案件已审批，不能再修改核定金额' })
    const w = mountEditor(item())
    await fill(w, '200000', '')
    expect(w.text()).toContain('案件已审批，不能再修改核定金额')
    expect(w.emitted('saved')).toBeUndefined()
    w.unmount()
  })

  it('cannot save when the item cannot be approved', async () => {
    const w = mountEditor(item({ can_approve: false }))
    const button = w.get('[data-testid="approve-2"]').element as HTMLButtonElement
    expect(button.disabled).toBe(true)
    await w.get('[data-testid="approve-2"]').trigger('click')
    expect(invoke).not.toHaveBeenCalled()
    w.unmount()
  })
})
