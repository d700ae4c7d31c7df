// The workbook formats the importer reads: desk-sheets' one list (`FORMATS`), which the shell's
// file dialog filter and the command line use too, generated into the bindings by cargo test.
// Every hint and message on 导入 names them from here.

import { WORKBOOK_EXTENSIONS } from '@/bindings/WorkbookFormats'

export { WORKBOOK_EXTENSIONS }

/** ".xlsx、.xlsm、.xls、.ods", as the page names them. */
export const WORKBOOK_FORMATS = WORKBOOK_EXTENSIONS.map((e) => `.${e}`).join('、')

function extension(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? ''
  const dot = name.lastIndexOf('.')
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : ''
}

export function isWorkbook(path: string): boolean {
  return (WORKBOOK_EXTENSIONS as readonly string[]).includes(extension(path))
}

/** A dropped path without any extension may be a folder: the shell looks into it (subfolders too). */
function mayBeFolder(path: string): boolean {
  return extension(path) === ''
}

/**
 * Dropped files: the workbooks (and folders) to check, and a warning naming the files left out
 * (or null).
 */
export function sortDropped(paths: string[]): { workbooks: string[]; warning: string | null } {
  const kept = (p: string) => isWorkbook(p) || mayBeFolder(p)
  const workbooks = paths.filter(kept)
  const ignored = paths.filter((p) => !kept(p)).map((p) => p.split(/[\\/]/).pop() ?? p)
  const warning = ignored.length
    ? `只能导入申报表工作簿（${WORKBOOK_FORMATS}），已忽略 ${ignored.length} 个其他文件：${ignored.join('、')}`
    : null
  return { workbooks, warning }
}
