// App-wide facts loaded once at start and again after anything that changes them
// (demo data, a restore, a new enterprise): app_info and choices.

import { reactive } from 'vue'
import { ElMessage } from 'element-plus'
import * as api from '@/api'
import type { AppInfo } from '@/bindings/AppInfo'
import type { CaseStatus } from '@/bindings/CaseStatus'
import type { Choice } from '@/bindings/Choice'
import type { Choices } from '@/bindings/Choices'
import type { Grade } from '@/bindings/Grade'

export const state = reactive({
  info: null as AppInfo | null,
  choices: null as Choices | null,
  loadError: '' as string,
  /** The code of loadError: 'db_missing' on the first run, when the database is still to be made. */
  loadErrorCode: '' as string,
})

/** The database has no case yet (counts may be typed bigint; they arrive as numbers). */
export function noCases(): boolean {
  return state.info !== null && Number(state.info.cases) === 0
}

export async function refreshState(): Promise<void> {
  try {
    const [info, choices] = await Promise.all([api.appInfo({ quiet: true }), api.choices({ quiet: true })])
    state.info = info
    state.choices = choices
    state.loadError = ''
    state.loadErrorCode = ''
    for (const notice of info.notices) {
      ElMessage.warning({ message: notice, showClose: true, duration: 0 })
    }
  } catch (e) {
    const err = api.toApiError(e)
    state.loadError = err.message
    state.loadErrorCode = err.code
  }
}

function label(list: Choice[] | undefined, id: string): string {
  return list?.find((c) => c.id === id)?.label ?? id
}

export const statusLabel = (id: string) => label(state.choices?.statuses, id)
export const programmeLabel = (id: string) => label(state.choices?.programmes, id)

/** Element Plus tag type for a status, so the same colour means the same thing everywhere. */
export function statusType(status: CaseStatus): 'primary' | 'success' | 'warning' | 'danger' | 'info' {
  switch (status) {
    case 'approved':
      return 'success'
    case 'rejected':
    case 'returned':
      return 'danger'
    case 'verifying':
    case 'reviewing':
    case 'approving':
      return 'warning'
    case 'draft':
    case 'withdrawn':
      return 'info'
    default:
      return 'primary'
  }
}

/** Category label ("第 3 类 …") for zs-ptsp-2018, level label for zs-iip-2021. */
export function gradeLabel(grade: Grade): string {
  if ('category' in grade) return label(state.choices?.categories, String(grade.category))
  return label(state.choices?.levels, grade.level)
}

/** Year the dashboard opens on: this year if it has cases, else the latest year that does. */
export function defaultYear(): number {
  const today = Number.parseInt(state.info?.today?.slice(0, 4) ?? '', 10)
  const years = state.choices?.years ?? []
  if (years.includes(today)) return today
  if (years.length) return Math.max(...years)
  return Number.isFinite(today) ? today : new Date().getFullYear()
}
