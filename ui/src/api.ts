// One typed wrapper per backend command (CONTRACT.md). Every rejection becomes an ApiError;
// unless the caller passes { quiet: true } its message is also shown with ElMessage.error,
// and the error is marked as shown so the global handler does not show it twice.

import { invoke } from '@tauri-apps/api/core'
import { listen, type UnlistenFn } from '@tauri-apps/api/event'
import { ElMessage } from 'element-plus'
import type { AppInfo } from '@/bindings/AppInfo'
import type { BackupInfo } from '@/bindings/BackupInfo'
import type { CasePage } from '@/bindings/CasePage'
import type { CaseQueryArgs } from '@/bindings/CaseQueryArgs'
import type { CaseStatus } from '@/bindings/CaseStatus'
import type { CaseView } from '@/bindings/CaseView'
import type { Choices } from '@/bindings/Choices'
import type { CreditCodeCheck } from '@/bindings/CreditCodeCheck'
import type { Dashboard } from '@/bindings/Dashboard'
import type { DemoSummary } from '@/bindings/DemoSummary'
import type { Enterprise } from '@/bindings/Enterprise'
import type { GroupCapView } from '@/bindings/GroupCapView'
import type { ImportView } from '@/bindings/ImportView'
import type { NewEnterpriseArgs } from '@/bindings/NewEnterpriseArgs'
import type { NewPlatformArgs } from '@/bindings/NewPlatformArgs'
import type { ParameterView } from '@/bindings/ParameterView'
import type { Platform } from '@/bindings/Platform'
import type { PrintedFile } from '@/bindings/PrintedFile'
import type { Programme } from '@/bindings/Programme'
import type { Progress } from '@/bindings/Progress'
import type { RecordChoice } from '@/bindings/RecordChoice'
import type { TemplateInfo } from '@/bindings/TemplateInfo'

export class ApiError extends Error {
  readonly code: string
  /** true once the message has been shown to the officer */
  shown = false

  constructor(code: string, message: string) {
    super(message)
    this.name = 'ApiError'
    this.code = code
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

/** Whatever invoke rejected with (the contract's {code,message}, a bare string from Tauri itself, an Error) → ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e
  if (typeof e === 'string') return new ApiError('internal', e || '未知错误')
  if (e && typeof e === 'object') {
    const o = e as { code?: unknown; message?: unknown }
    if (typeof o.message === 'string' && o.message !== '') {
      return new ApiError(typeof o.code === 'string' ? o.code : 'internal', o.message)
    }
  }
  if (e instanceof Error) return new ApiError('internal', e.message || String(e))
  return new ApiError('internal', '未知错误：' + safeString(e))
}

function safeString(e: unknown): string {
  try {
    return JSON.stringify(e) ?? String(e)
  } catch {
    return String(e)
  }
}

/** Show an error to the officer once. */
export function showError(e: unknown): ApiError {
  const err = toApiError(e)
  if (!err.shown) {
    err.shown = true
    ElMessage.error({ message: err.message, grouping: true, showClose: true, duration: 6000 })
  }
  return err
}

/**
 * Ids are i64 in Rust; ts-rs may type them as bigint, but over JSON they are always numbers.
 * Accept either and always send a number (JSON.stringify throws on a real BigInt).
 */
export type Id = number | bigint
const num = (id: Id): number => Number(id)

export interface CallOptions {
  /** Don't show the error; the caller shows it where it belongs (e.g. under a form field). */
  quiet?: boolean
}

export async function call<T>(cmd: string, args?: Record<string, unknown>, opts?: CallOptions): Promise<T> {
  try {
    return await invoke<T>(cmd, args)
  } catch (e) {
    const err = toApiError(e)
    if (!opts?.quiet) showError(err)
    throw err
  }
}

/** Listen to a progress event; returns the unlisten function. */
export function onProgress(event: 'import-progress' | 'print-progress', cb: (p: Progress) => void): Promise<UnlistenFn> {
  return listen<Progress>(event, (e) => cb(e.payload))
}

// --- app ---
export const appInfo = (o?: CallOptions) => call<AppInfo>('app_info', undefined, o)
export const choices = (o?: CallOptions) => call<Choices>('choices', undefined, o)
export const loadDemo = (o?: CallOptions) => call<DemoSummary>('load_demo', undefined, o)
export const dashboard = (year: number, o?: CallOptions) => call<Dashboard>('dashboard', { year }, o)
/** Not in CONTRACT.md: tells the shell the first screen is usable (it logs the cold start time). */
export const uiReady = (o?: CallOptions) => call<number>('ui_ready', undefined, o)

// --- cases ---
export const listCases = (query: CaseQueryArgs, o?: CallOptions) => call<CasePage>('list_cases', { query }, o)
export const caseView = (caseId: Id, o?: CallOptions) => call<CaseView>('case_view', { caseId: num(caseId) }, o)
export const computeCase = (caseId: Id, o?: CallOptions) => call<CaseView>('compute_case', { caseId: num(caseId) }, o)
export const approveItem = (caseId: Id, itemId: Id, amount: string, reason: string, o?: CallOptions) =>
  call<CaseView>('approve_item', { caseId: num(caseId), itemId: num(itemId), amount, reason }, o)
export const refuseUnit = (caseId: Id, itemId: Id, list: string, index: number, reason: string | null, o?: CallOptions) =>
  call<CaseView>('refuse_unit', { caseId: num(caseId), itemId: num(itemId), list, index, reason }, o)
export const setItemRequest = (caseId: Id, itemId: Id, amount: string, o?: CallOptions) =>
  call<CaseView>('set_item_request', { caseId: num(caseId), itemId: num(itemId), amount }, o)
export const moveCase = (caseId: Id, status: CaseStatus, o?: CallOptions) =>
  call<CaseView>('move_case', { caseId: num(caseId), status }, o)

// --- import ---
export const pickWorkbooks = (o?: CallOptions) => call<string[]>('pick_workbooks', undefined, o)
// `record`: what to do where a workbook's 基本信息 differs from the record (left out: ask).
export const checkWorkbooks = (paths: string[], record?: RecordChoice, o?: CallOptions) =>
  call<ImportView[]>('check_workbooks', record ? { paths, record } : { paths }, o)
export const importWorkbooks = (paths: string[], record?: RecordChoice, o?: CallOptions) =>
  call<ImportView[]>('import_workbooks', record ? { paths, record } : { paths }, o)
export const saveMarkedCopy = (path: string, o?: CallOptions) => call<string | null>('save_marked_copy', { path }, o)
export const printCorrection = (path: string, o?: CallOptions) => call<PrintedFile>('print_correction', { path }, o)

// --- templates and printing ---
export const templates = (o?: CallOptions) => call<TemplateInfo[]>('templates', undefined, o)
export const saveTemplate = (programme: Programme, clauses: string[], o?: CallOptions) =>
  call<string | null>('save_template', { programme, clauses }, o)
export const printApproval = (caseId: Id, o?: CallOptions) => call<PrintedFile>('print_approval', { caseId: num(caseId) }, o)
export const printNotice = (caseId: Id, kind: 'acceptance' | 'result', o?: CallOptions) =>
  call<PrintedFile>('print_notice', { caseId: num(caseId), kind }, o)
export const printBatch = (batch: string, o?: CallOptions) => call<PrintedFile>('print_batch', { batch }, o)
export const saveLedger = (year: number, programme: Programme | null, town: string | null, o?: CallOptions) =>
  call<string | null>('save_ledger', { year, programme, town }, o)

// --- registry ---
export const enterprises = (search: string, town: string | null, o?: CallOptions) =>
  call<Enterprise[]>('enterprises', { search, town }, o)
export const platforms = (enterpriseId: Id | null, o?: CallOptions) =>
  call<Platform[]>('platforms', { enterpriseId: enterpriseId === null ? null : num(enterpriseId) }, o)
export const checkCreditCode = (text: string, o?: CallOptions) =>
  call<CreditCodeCheck>('check_credit_code', { text }, o)
export const addEnterprise = (enterprise: NewEnterpriseArgs, o?: CallOptions) =>
  call<Enterprise>('add_enterprise', { enterprise }, o)
export const addPlatform = (platform: NewPlatformArgs, o?: CallOptions) => call<Platform>('add_platform', { platform }, o)

// --- settings ---
export const backups = (o?: CallOptions) => call<BackupInfo[]>('backups', undefined, o)
export const databasePath = (o?: CallOptions) => call<string>('database_path', undefined, o)
export const createDatabase = (o?: CallOptions) => call<null>('create_database', undefined, o)
export const backupNow = (o?: CallOptions) => call<BackupInfo>('backup_now', undefined, o)
export const pickBackupFile = (o?: CallOptions) => call<string | null>('pick_backup_file', undefined, o)
export const restoreBackup = (path: string, o?: CallOptions) => call<string>('restore_backup', { path }, o)
export const parameters = (o?: CallOptions) => call<ParameterView[]>('parameters', undefined, o)
export const groupCaps = (o?: CallOptions) => call<GroupCapView[]>('group_caps', undefined, o)
// `programme` names the programme because keys repeat across programmes ("annual_cap").
export const setParameter = (
  programme: Programme,
  key: string,
  from: string,
  value: string,
  reference: string,
  o?: CallOptions,
) => call<ParameterView[]>('set_parameter', { programme, key, from, value, reference }, o)
export const openPath = (path: string, o?: CallOptions) => call<null>('open_path', { path }, o)
