import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

import CreditCodeField from './CreditCodeField.vue'

beforeEach(() => {
  vi.useFakeTimers()
  invoke.mockReset()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('CreditCodeField', () => {
  it('checks once typing pauses and shows a valid Zhongshan code in green', async () => {
    invoke.mockResolvedValue({ valid: true, message: '校验通过，登记管理机关行政区划 442000（中山市）', division: '442000', zhongshan: true })
    const w = mount(CreditCodeField, { props: { modelValue: '' }, global: { plugins: [ElementPlus] } })
    await w.setProps({ modelValue: '91442000MA4W4K8L0' })
    await w.setProps({ modelValue: '91442000MA4W4K8L06' })
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(invoke).toHaveBeenCalledTimes(1)
    expect(invoke).toHaveBeenCalledWith('check_credit_code', { text: '91442000MA4W4K8L06' })
    const msg = w.get('[data-testid="credit-code-message"]')
    expect(msg.classes()).toContain('valid')
    expect(msg.text()).toContain('中山市注册')
  })

  it('shows why a code is wrong in red', async () => {
    invoke.mockResolvedValue({ valid: false, message: '校验位错误', division: null, zhongshan: false })
    const w = mount(CreditCodeField, { props: { modelValue: '' }, global: { plugins: [ElementPlus] } })
    await w.setProps({ modelValue: '91442000MA4W4K8L07' })
    vi.advanceTimersByTime(300)
    await flushPromises()
    const msg = w.get('[data-testid="credit-code-message"]')
    expect(msg.classes()).toContain('invalid')
    expect(msg.text()).toBe('校验位错误')
  })

  it('keeps what the officer types, in capitals', async () => {
    invoke.mockResolvedValue({ valid: true, message: '', division: '442000', zhongshan: true })
    const w = mount(CreditCodeField, {
      props: { modelValue: '', 'onUpdate:modelValue': (v: string) => w.setProps({ modelValue: v }) },
      global: { plugins: [ElementPlus] },
    })
    await w.get('input').setValue('91442000ma4w4k8l06')
    await flushPromises()
    expect(w.emitted('update:modelValue')?.at(-1)).toEqual(['91442000MA4W4K8L06'])
    expect(w.props('modelValue')).toBe('91442000MA4W4K8L06')
    expect((w.get('input').element as HTMLInputElement).value).toBe('91442000MA4W4K8L06')
  })
})
