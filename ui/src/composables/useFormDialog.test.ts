import { describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { useFormDialog } from './useFormDialog'

function setup(over: { save?: () => Promise<string> } = {}) {
  const visible = ref(true)
  const saved = vi.fn()
  const focus = vi.fn()
  const save = vi.fn(over.save ?? (async () => 'ok'))
  const d = useFormDialog({
    visible,
    blank: () => ({ name: '', town: '' }),
    validate: (f) => ({ name: f.name.trim() ? '' : '请填写企业名称', town: f.town ? '' : '请选择镇街' }),
    save,
    saved,
    focus,
  })
  return { d, visible, saved, save, focus }
}

function enter(target: HTMLElement): KeyboardEvent {
  const e = new KeyboardEvent('keyup', { key: 'Enter', cancelable: true })
  Object.defineProperty(e, 'target', { value: target })
  return e
}

describe('useFormDialog', () => {
  it('starts each opening from a blank form without the last errors', async () => {
    const { d } = setup()
    d.form.name = '上次的输入'
    await d.submit()
    expect(d.errors.town).toBe('请选择镇街')
    d.open()
    expect(d.form).toEqual({ name: '', town: '' })
    expect(Object.keys(d.errors)).toEqual([])
  })

  it('shows every field error and sends nothing while a field is wrong', async () => {
    const { d, save, visible } = setup()
    d.form.name = '  '
    await d.submit()
    expect(d.errors).toEqual({ name: '请填写企业名称', town: '请选择镇街' })
    expect(save).not.toHaveBeenCalled()
    expect(visible.value).toBe(true)
  })

  it('saves, hands on the result and closes', async () => {
    const { d, save, saved, visible } = setup()
    Object.assign(d.form, { name: '中山市某公司', town: '小榄镇' })
    await d.submit()
    expect(save).toHaveBeenCalledWith({ name: '中山市某公司', town: '小榄镇' })
    expect(saved).toHaveBeenCalledWith('ok')
    expect(visible.value).toBe(false)
    expect(d.saving.value).toBe(false)
  })

  it('keeps the dialog and the input when saving fails', async () => {
    const { d, saved, visible } = setup({ save: async () => Promise.reject(new Error('重复的信用代码')) })
    Object.assign(d.form, { name: '中山市某公司', town: '小榄镇' })
    await expect(d.submit()).rejects.toThrow('重复的信用代码')
    expect(saved).not.toHaveBeenCalled()
    expect(visible.value).toBe(true)
    expect(d.form.name).toBe('中山市某公司')
    expect(d.saving.value).toBe(false)
  })

  it('saves once when Enter is pressed again while saving', async () => {
    let finish: (v: string) => void = () => {}
    const { d, save } = setup({ save: () => new Promise((r) => (finish = r)) })
    Object.assign(d.form, { name: '中山市某公司', town: '小榄镇' })
    const first = d.submit()
    expect(d.saving.value).toBe(true)
    await d.submit()
    finish('ok')
    await first
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('submits on Enter in a field, not in a textarea or an open select', async () => {
    const { d, save } = setup()
    Object.assign(d.form, { name: '中山市某公司', town: '小榄镇' })
    const select = document.createElement('div')
    select.className = 'el-select'
    const inSelect = document.createElement('input')
    select.appendChild(inSelect)
    d.onEnter(enter(document.createElement('textarea')))
    d.onEnter(enter(inSelect))
    expect(save).not.toHaveBeenCalled()
    const e = enter(document.createElement('input'))
    d.onEnter(e)
    await Promise.resolve()
    expect(e.defaultPrevented).toBe(true)
    expect(save).toHaveBeenCalledTimes(1)
  })

  it('focuses the first field once open and closes on cancel', () => {
    const { d, focus, visible } = setup()
    d.opened()
    expect(focus).toHaveBeenCalled()
    d.close()
    expect(visible.value).toBe(false)
  })
})
