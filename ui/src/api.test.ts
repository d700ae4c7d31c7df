import { beforeEach, describe, expect, it, vi } from 'vitest'

const invoke = vi.fn()
const error = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))
vi.mock('element-plus', () => ({ ElMessage: { error: (...a: unknown[]) => error(...a) } }))

import * as api from './api'
import { ApiError, toApiError } from './api'

beforeEach(() => {
  invoke.mockReset()
  error.mockReset()
})

describe('toApiError', () => {
  it('keeps the contract error as it is', () => {
    const e = toApiError({ code: 'invalid', message: '核定金额不能超过最高可补助额' })
    expect(e).toBeInstanceOf(ApiError)
    expect(e.code).toBe('invalid')
    expect(e.message).toBe('核定金额不能超过最高可补助额')
  })
  it('wraps a bare string (Tauri rejects with one for an unknown command)', () => {
    const e = toApiError('command foo not found')
    expect(e.code).toBe('internal')
    expect(e.message).toBe('command foo not found')
  })
  it('wraps a thrown Error (no Tauri runtime, IPC failure)', () => {
    const e = toApiError(new TypeError('window.__TAURI_INTERNALS__ is undefined'))
    expect(e.code).toBe('internal')
    expect(e.message).toContain('__TAURI_INTERNALS__')
  })
  it('never loses an odd rejection', () => {
    expect(toApiError({ code: 'x' }).message).toContain('未知错误')
    expect(toApiError(undefined).message).toContain('未知错误')
    expect(toApiError({ code: 7, message: '消息' }).code).toBe('internal')
  })
})

describe('command wrappers', () => {
  it('send camelCase args under the contract names', async () => {
    invoke.mockResolvedValue({ ok: true })
    await api.approveItem(3, 7, '100.00', '材料不全')
    expect(invoke).toHaveBeenCalledWith('approve_item', { caseId: 3, itemId: 7, amount: '100.00', reason: '材料不全' })
    await api.printNotice(3, 'result')
    expect(invoke).toHaveBeenLastCalledWith('print_notice', { caseId: 3, kind: 'result' })
    await api.saveLedger(2022, null, '小榄')
    expect(invoke).toHaveBeenLastCalledWith('save_ledger', { year: 2022, programme: null, town: '小榄' })
    await api.platforms(null)
    expect(invoke).toHaveBeenLastCalledWith('platforms', { enterpriseId: null })
    await api.appInfo()
    expect(invoke).toHaveBeenLastCalledWith('app_info', undefined)
  })

  it('reject with ApiError and show its message once', async () => {
    invoke.mockRejectedValue({ code: 'not_found', message: '案件不存在' })
    const p = api.caseView(99)
    await expect(p).rejects.toBeInstanceOf(ApiError)
    await expect(p).rejects.toMatchObject({ code: 'not_found', message: '案件不存在', shown: true })
    expect(error).toHaveBeenCalledTimes(1)
    expect(error.mock.calls[0][0]).toMatchObject({ message: '案件不存在' })
  })

  it('stay quiet when the caller shows the error itself', async () => {
    invoke.mockRejectedValue({ code: 'invalid', message: '须填写理由' })
    await expect(api.approveItem(1, 2, '1.00', '', { quiet: true })).rejects.toMatchObject({
      message: '须填写理由',
      shown: false,
    })
    expect(error).not.toHaveBeenCalled()
  })

  it('showError does not repeat a shown error', () => {
    const e = new ApiError('x', '一次')
    api.showError(e)
    api.showError(e)
    expect(error).toHaveBeenCalledTimes(1)
  })
})
