import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { nextTick } from 'vue'
import ElementPlus from 'element-plus'
import type { ParameterView } from '@/bindings/ParameterView'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

import ParameterDialog from './ParameterDialog.vue'

const RATE: ParameterView = {
  key: '8.rate',
  programme: 'zs-iip-2021',
  clause: '8',
  clause_title: '园区数字化基础设施补助',
  name: 'rate',
  label: '补助比例（占园区、载体基础设施建设投资额）',
  unit: '比例',
  bureau_sets: true,
  catalog_values: [],
  bureau_values: [],
  in_force: null,
}

beforeEach(() => {
  invoke.mockReset()
  document.body.innerHTML = ''
})

async function openDialog() {
  const w = mount(ParameterDialog, {
    props: { visible: false, parameter: RATE, 'onUpdate:visible': (v: boolean) => w.setProps({ visible: v }) },
    global: { plugins: [ElementPlus] },
    attachTo: document.body,
  })
  await w.setProps({ visible: true })
  await flushPromises()
  return w
}

const field = (placeholder: string) => document.querySelector<HTMLInputElement>(`input[placeholder="${placeholder}"]`)

describe('ParameterDialog', () => {
  it('shows the parameter by its Chinese label and saves on Enter', async () => {
    invoke.mockResolvedValue([RATE])
    const w = await openDialog()
    expect(document.body.textContent).toContain('补助比例（占园区、载体基础设施建设投资额）')
    expect(document.body.textContent).toContain('填小数，如 0.10 表示 10%')
    const inputs = document.querySelectorAll<HTMLInputElement>('.el-dialog input')
    inputs[0].value = '0.15'
    inputs[0].dispatchEvent(new Event('input'))
    const date = field('YYYY-MM-DD')
    expect(date).not.toBeNull()
    await w.findComponent({ name: 'ElDatePicker' }).vm.$emit('update:modelValue', '2024-01-01')
    const ref = field('如：中工信〔2024〕12号') as HTMLInputElement
    ref.value = '中工信〔2024〕12号'
    ref.dispatchEvent(new Event('input'))
    await nextTick()
    ref.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('set_parameter', {
      programme: 'zs-iip-2021',
      key: '8.rate',
      from: '2024-01-01',
      value: '0.15',
      reference: '中工信〔2024〕12号',
    })
    expect(w.emitted('saved')?.[0]).toEqual([[RATE]])
    expect(w.props('visible')).toBe(false)
    w.unmount()
  })

  it('names the missing fields and saves nothing', async () => {
    const w = await openDialog()
    const ref = field('如：中工信〔2024〕12号') as HTMLInputElement
    ref.dispatchEvent(new KeyboardEvent('keyup', { key: 'Enter', bubbles: true }))
    await flushPromises()
    await new Promise((r) => setTimeout(r, 150))
    expect(document.body.textContent).toContain('请填写新值')
    expect(document.body.textContent).toContain('请填写依据（文件名称及文号）')
    expect(invoke).not.toHaveBeenCalled()
    expect(w.props('visible')).toBe(true)
    w.unmount()
  })

  // Esc itself is Element Plus's (its handler does not fire under jsdom); the E2E presses it in the real window.
  it('asks el-dialog to close on Esc but not on a click outside', async () => {
    const w = await openDialog()
    const dialog = w.findComponent({ name: 'ElDialog' })
    expect(dialog.props('closeOnPressEscape')).toBe(true)
    expect(dialog.props('closeOnClickModal')).toBe(false)
    w.unmount()
  })
})
