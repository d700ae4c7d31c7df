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
    differences: [],
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
})

describe('ImportPage: a workbook unlike the record', () => {
  beforeEach(() => invoke.mockReset())

  it('lists each difference and checks again, then imports, with the officer’s choice', async () => {
    const differs: ImportView = {
      ...checked('/in/补正.xlsx'),
      outcome: 'differs',
      ok: false,
      label: '申报表与登记信息不一致（1 处），需选择以申报表更正登记信息或按登记信息计算，未导入',
      differences: [{ key: 'paid_in_capital', field: '实缴注册资本', record: '8,000,000.00 元', workbook: '10,000,000.00 元' }],
    }
    const chosen: ImportView = {
      ...differs,
      outcome: 'checked',
      ok: true,
      label: '检查通过（未写入）；导入时将以申报表更正登记信息（实缴注册资本）',
    }
    invoke.mockImplementation((cmd: string, args: { paths: string[]; record?: string }) => {
      if (cmd === 'check_workbooks') return Promise.resolve(args.record ? [chosen] : [differs])
      if (cmd === 'import_workbooks') return Promise.resolve([{ ...chosen, outcome: 'replaced', case_id: 1, case_no: 'PTSP-2020-0001' }])
      return Promise.resolve(() => undefined)
    })
    const w = mount(ImportPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    dropHandler?.({ payload: { type: 'drop', paths: ['/in/补正.xlsx'] } })
    await flushPromises()
    const list = w.get('[data-testid="differences"]')
    expect(list.text()).toContain('登记信息')
    expect(list.text()).toContain('8,000,000.00 元')
    expect(list.text()).toContain('10,000,000.00 元')
    expect(w.text()).toContain('与登记信息不一致（1 处），请选择')
    expect(w.find('[data-testid="another-platform"]').exists()).toBe(false)
    expect(w.get('[data-testid="do-import"]').attributes('disabled')).toBeDefined()

    await w.get('[data-testid="record-update"] input').setValue(true)
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('check_workbooks', { paths: ['/in/补正.xlsx'], record: 'update' })
    expect(w.text()).toContain('导入时将以申报表更正登记信息（实缴注册资本）')

    await w.get('[data-testid="do-import"]').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('import_workbooks', { paths: ['/in/补正.xlsx'], record: 'update' })
    w.unmount()
  })
})

describe('ImportPage: a platform named otherwise than the record', () => {
  beforeEach(() => invoke.mockReset())

  it('says how to register it as another platform instead', async () => {
    const renamed: ImportView = {
      ...checked('/in/2021.xlsx'),
      outcome: 'differs',
      ok: false,
      label: '申报表与登记信息不一致（1 处），需选择以申报表更正登记信息或按登记信息计算，未导入',
      differences: [{ key: 'platform_name', field: '平台名称', record: '甲平台', workbook: '乙平台' }],
    }
    invoke.mockImplementation((cmd: string) =>
      cmd === 'check_workbooks' ? Promise.resolve([renamed]) : Promise.resolve(() => undefined),
    )
    const w = mount(ImportPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    dropHandler?.({ payload: { type: 'drop', paths: ['/in/2021.xlsx'] } })
    await flushPromises()
    expect(w.get('[data-testid="another-platform"]').text()).toContain('请先在“企业与平台”中登记该平台')
    expect(w.get('[data-testid="differences"]').text()).toContain('乙平台')
    w.unmount()
  })
})
