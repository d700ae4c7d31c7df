// Keyboard helpers shared by the pages.

/** Menu order for Alt+1..7. */
export const MENU = [
  { path: '/', title: '工作台', icon: 'Odometer' },
  { path: '/cases', title: '案件', icon: 'Document' },
  { path: '/import', title: '导入', icon: 'Upload' },
  { path: '/templates', title: '模板', icon: 'Files' },
  { path: '/print', title: '打印', icon: 'Printer' },
  { path: '/registry', title: '企业与平台', icon: 'OfficeBuilding' },
  { path: '/settings', title: '设置', icon: 'Setting' },
] as const

/** Index 0..6 for Alt+1..Alt+7, else -1. Uses `code` because Alt changes `key` on some layouts. */
export function menuShortcut(e: KeyboardEvent): number {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return -1
  const m = /^(?:Digit|Numpad)([1-7])$/.exec(e.code) ?? /^([1-7])$/.exec(e.key)
  return m ? Number(m[1]) - 1 : -1
}

/**
 * For `@keyup.enter` on a form: submit, except when Enter belonged to a control that uses it
 * itself (choosing in a select or date picker, a new line in a textarea, a button press).
 */
export function enterSubmits(submit: () => unknown) {
  return (e: KeyboardEvent) => {
    const t = e.target as HTMLElement | null
    if (t?.closest('textarea, button, .el-select, .el-date-editor, .el-picker-panel, .el-select-dropdown')) return
    e.preventDefault()
    void submit()
  }
}
