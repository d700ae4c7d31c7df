import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import type { ImportView } from '@/bindings/ImportView'
import { WORKBOOK_EXTENSIONS, WORKBOOK_FORMATS, isWorkbook, sortDropped } from '@/workbooks'

const invoke = vi.fn()
type DropHandler = (e: { payload: { type: string; paths?: string[] } }) => void
let dropHandler: DropHandler | undefined
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a), isTauri: () => true }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: (h: DropHandler) => {
      dropHandler = h
      return Promise.resolve(() => undefined)
    },
  }),
}))
vi.mock('vue-router', () => ({ useRouter: () => ({ push: vi.fn() }) }))

import ImportPage from './ImportPage.vue'

function checked(path: string): ImportView {
  return {
    path,
    file: path.split('/').pop() ?? path,
    sha256: '0'.repeat(64),
    applicant: '中山市某公司',
    credit_code: null,
    programme: 'zs-ptsp-2018',
    year: 2020,
    rows: 3,
    items: 1,
    outcome: 'checked',
    ok: true,
    case_id: null,
    case_no: null,
    label: '检查通过',
    errors: [],
    bureau: [],
  }
}

describe('workbook formats', () => {
  it('are the ones the shell’s file dialog offers', () => {
    const commands = readFileSync(resolve(process.cwd(), '../src-tauri/src/commands.rs'), 'utf8')
    const m = /const EXCEL: \[&str; \d+\] = \[([^\]]*)\]/.exec(commands)
    expect(m).not.toBeNull()
    const shell = [...(m?.[1] ?? '').matchAll(/"([a-z]+)"/g)].map((x) => x[1])
    expect(shell).toEqual([...WORKBOOK_EXTENSIONS])
    expect(WORKBOOK_FORMATS).toBe('.xlsx、.xlsm、.xls')
  })

  it('recognises each by extension, in any case, and nothing else', () => {
    for (const p of ['C:\\收件箱\\申报表.xlsx', '/tmp/a.XLSM', '旧版.xls', '/x.y/申报表.Xls']) expect(isWorkbook(p), p).toBe(true)
    for (const p of ['说明.pdf', 'a.xlsb', 'a.csv', 'xlsx', '/dir.xlsx/readme', 'a.xls.bak']) expect(isWorkbook(p), p).toBe(false)
  })

  it('names the files it leaves out', () => {
    expect(sortDropped(['/a/1.xlsx', '/a/2.xls'])).toEqual({ workbooks: ['/a/1.xlsx', '/a/2.xls'], warning: null })
    const { workbooks, warning } = sortDropped(['/a/1.xlsm', '/a/通知.pdf', 'C:\\b\\清单.docx'])
    expect(workbooks).toEqual(['/a/1.xlsm'])
    expect(warning).toBe('只能导入 Excel 申报表（.xlsx、.xlsm、.xls），已忽略 2 个其他文件：通知.pdf、清单.docx')
  })
})

describe('ImportPage', () => {
  beforeEach(() => {
    invoke.mockReset()
    dropHandler = undefined
  })

  it('names every format it reads, in the hint and when a drop is refused', async () => {
    const warn = vi.spyOn(ElMessage, 'warning')
    invoke.mockImplementation((cmd: string, args: { paths: string[] }) =>
      cmd === 'check_workbooks' ? Promise.resolve(args.paths.map(checked)) : Promise.resolve(null),
    )
    const w = mount(ImportPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(w.get('[data-testid="import-hint"]').text()).toContain('.xlsx、.xlsm、.xls')
    expect(w.text()).not.toMatch(/（\.xlsx）/)
    expect(dropHandler).toBeDefined()

    dropHandler?.({ payload: { type: 'drop', paths: ['/in/旧版.xls', '/in/宏.xlsm', '/in/附件.pdf'] } })
    await flushPromises()
    expect(warn).toHaveBeenCalledWith('只能导入 Excel 申报表（.xlsx、.xlsm、.xls），已忽略 1 个其他文件：附件.pdf')
    expect(invoke).toHaveBeenCalledWith('check_workbooks', { paths: ['/in/旧版.xls', '/in/宏.xlsm'] })
    expect(w.get('[data-testid="import-hint"]').text()).toContain('.xlsx、.xlsm、.xls')
    expect(w.text()).toContain('旧版.xls')
    w.unmount()
  })

  it('shows a problem the bureau must solve as the bureau’s, with nothing to send back', async () => {
    const message = '第8条“园区数字化基础设施补助”的补助比例（占园区、载体基础设施建设投资额）未设置（zs-iip-2021 8.rate，适用于 2023-01-01）。请在“设置 › 政策参数”中设定后重新检查'
    invoke.mockImplementation((cmd: string, args: { paths: string[] }) =>
      cmd === 'check_workbooks'
        ? Promise.resolve(
            args.paths.map((p) => ({ ...checked(p), outcome: 'for_bureau', ok: false, label: '申报表本身无误，需由业务科室处理后重新导入，未导入', bureau: [message] })),
          )
        : Promise.resolve(null),
    )
    const w = mount(ImportPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    dropHandler?.({ payload: { type: 'drop', paths: ['/in/第8条.xlsx'] } })
    await flushPromises()
    expect(w.text()).toContain('需由业务科室处理')
    const block = w.get('[data-testid="bureau-problems"]')
    expect(block.text()).toContain('申报表本身无误，不要退回企业')
    expect(block.text()).toContain('zs-iip-2021 8.rate')
    // Nothing to mark or to ask the applicant to correct.
    expect(w.find('[data-testid="save-marked"]').exists()).toBe(false)
    expect(w.text()).not.toContain('打印补正通知书')
    expect(w.get('[data-testid="do-import"]').attributes('disabled')).toBeDefined()
    w.unmount()
  })
})
