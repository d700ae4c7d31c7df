import { describe, expect, it, vi } from 'vitest'
import { checkApproval } from './approval'
import { enterSubmits, menuShortcut } from './keys'

const key = (init: KeyboardEventInit) => new KeyboardEvent('keydown', init)

describe('menuShortcut', () => {
  it('maps Alt+1..7 to the menu', () => {
    expect(menuShortcut(key({ altKey: true, code: 'Digit1', key: '1' }))).toBe(0)
    expect(menuShortcut(key({ altKey: true, code: 'Digit7', key: '¶' }))).toBe(6)
    expect(menuShortcut(key({ altKey: true, code: 'Numpad3', key: '3' }))).toBe(2)
  })
  it('ignores other keys', () => {
    expect(menuShortcut(key({ code: 'Digit1', key: '1' }))).toBe(-1)
    expect(menuShortcut(key({ altKey: true, code: 'Digit8', key: '8' }))).toBe(-1)
    expect(menuShortcut(key({ altKey: true, ctrlKey: true, code: 'Digit1', key: '1' }))).toBe(-1)
  })
})

describe('enterSubmits', () => {
  function enterOn(el: HTMLElement, submit: () => void) {
    document.body.appendChild(el)
    const e = new KeyboardEvent('keyup', { key: 'Enter', bubbles: true })
    Object.defineProperty(e, 'target', { value: el.querySelector('input, textarea, button') ?? el })
    enterSubmits(submit)(e)
    el.remove()
  }
  it('submits from a text field', () => {
    const submit = vi.fn()
    const div = document.createElement('div')
    div.innerHTML = '<div class="el-input"><input></div>'
    enterOn(div, submit)
    expect(submit).toHaveBeenCalledOnce()
  })
  it('leaves Enter to selects, date pickers and textareas', () => {
    const submit = vi.fn()
    for (const html of ['<div class="el-select"><input></div>', '<div class="el-date-editor"><input></div>', '<textarea></textarea>']) {
      const div = document.createElement('div')
      div.innerHTML = html
      enterOn(div, submit)
    }
    expect(submit).not.toHaveBeenCalled()
  })
})

describe('checkApproval', () => {
  it('follows the rules of the approval editor', () => {
    const ceiling = { amount: '200000.00', by: 'ceiling' as const }
    const request = { amount: '10.00', by: 'request' as const }
    expect(checkApproval('200000', '', ceiling)).toMatchObject({ ok: true, amount: '200000.00' })
    expect(checkApproval('200000.01', '理由', ceiling)).toMatchObject({ ok: false, amountError: '核定金额不能超过最高可补助额' })
    expect(checkApproval('10.01', '理由', request)).toMatchObject({ ok: false, amountError: '核定金额不能超过申请金额' })
    expect(checkApproval('0', '', request)).toMatchObject({ ok: false, reasonError: '核定金额低于申请金额，须填写核减理由' })
    expect(checkApproval('10', '', request)).toMatchObject({ ok: true, amount: '10.00' })
    expect(checkApproval('0', '不符合条件', request)).toMatchObject({ ok: true, amount: '0.00' })
    expect(checkApproval('5', '', null)).toMatchObject({ ok: true })
  })
})
