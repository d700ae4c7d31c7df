// The workbook formats the importer reads: desk-sheets `read_submission` (the lean .xlsx/.xlsm
// reader, calamine for legacy .xls) and the shell's file dialog filter (`EXCEL` in
// src-tauri/src/commands.rs). Every hint and message on 导入 names them from here.

export const WORKBOOK_EXTENSIONS = ['xlsx', 'xlsm', 'xls'] as const

/** ".xlsx、.xlsm、.xls", as the page names them. */
export const WORKBOOK_FORMATS = WORKBOOK_EXTENSIONS.map((e) => `.${e}`).join('、')

function extension(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export function isWorkbook(path: string): boolean {
  return (WORKBOOK_EXTENSIONS as readonly string[]).includes(extension(path))
}

/** Dropped files: the workbooks to check, and a warning naming the files left out (or null). */
export function sortDropped(paths: string[]): { workbooks: string[]; warning: string | null } {
  const workbooks = paths.filter(isWorkbook)
  const ignored = paths.filter((p) => !isWorkbook(p)).map((p) => p.split(/[\\/]/).pop() ?? p)
  const warning = ignored.length
    ? `只能导入 Excel 申报表（${WORKBOOK_FORMATS}），已忽略 ${ignored.length} 个其他文件：${ignored.join('、')}`
    : null
  return { workbooks, warning }
}
