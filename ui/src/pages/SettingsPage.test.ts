import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import type { GroupCapView } from '@/bindings/GroupCapView'
import type { ParameterView } from '@/bindings/ParameterView'

const invoke = vi.fn()
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }))
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn() }))

import SettingsPage from './SettingsPage.vue'
import { state } from '@/state'

const PARAMETERS: ParameterView[] = [
  {
    key: '6.2.rent_cap_per_m2',
    programme: 'zs-ptsp-2018',
    clause: '6.2',
    clause_title: '租赁经营场地补助',
    name: 'rent_cap_per_m2',
    label: '租金补助标准上限',
    unit: '元/m²·月',
    bureau_sets: false,
    catalog_values: [{ from: '2018-01-01', value: '50', reference: '《实施意见》六（二）' }],
    bureau_values: [],
    in_force: '50',
  },
  {
    key: '8.rate',
    programme: 'zs-iip-2021',
    clause: '8',
    clause_title: '园区数字化基础设施补助',
    name: 'rate',
    label: '补助比例（占园区、载体基础设施建设投资额）',
    unit: '比例',
    bureau_sets: true,
    catalog_values: [],
    bureau_values: [{ from: '2024-01-01', value: '0.15', reference: '中工信〔2024〕12号' }],
    in_force: '0.15',
  },
]

const CAPS: GroupCapView[] = [
  {
    programme: 'zs-iip-2021',
    citation: '《若干政策措施》四',
    text: '单个标杆平台每年奖励额度最高不超过1500万元',
    clauses: ['4.1 标杆应用示范项目奖励', '4.4 企业数字化转型奖励'],
    caps: [
      {
        label: '标杆平台每年合计上限',
        unit: '元',
        values: [{ from: '2021-01-01', value: '15000000', reference: '' }],
      },
    ],
  },
]

beforeEach(() => {
  invoke.mockReset()
  invoke.mockImplementation(async (cmd: string) => {
    if (cmd === 'parameters') return PARAMETERS
    if (cmd === 'group_caps') return CAPS
    if (cmd === 'backups') return []
    throw { code: 'unknown', message: cmd }
  })
})

describe('SettingsPage', () => {
  it('names each parameter in Chinese with its unit, never by its id', async () => {
    const w = mount(SettingsPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const labels = w.findAll('[data-testid="param-label"]').map((l) => l.text())
    expect(labels).toEqual(['租金补助标准上限', '补助比例（占园区、载体基础设施建设投资额）'])
    const text = w.text()
    expect(text).toContain('（元/m²·月）')
    expect(text).toContain('50 元/m²·月（2018-01-01 起，《实施意见》六（二））')
    expect(text).toContain('15%')
    expect(text).not.toContain('rent_cap_per_m2')
    expect(text).not.toMatch(/\brate\b/)
    w.unmount()
  })

  it('shows each programme by its whole name, wrapped rather than cut short', async () => {
    state.choices = {
      programmes: [
        { id: 'zs-ptsp-2018', label: '公共技术服务平台扶持' },
        { id: 'zs-iip-2021', label: '工业互联网平台扶持' },
      ],
      towns: [],
      statuses: [],
      years: [],
      batches: [],
      officers: [],
      categories: [],
      levels: [],
    }
    const w = mount(SettingsPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const cells = w.findAll('[data-testid="param-programme"]')
    expect(cells.map((c) => c.text())).toEqual(['公共技术服务平台扶持', '工业互联网平台扶持'])
    for (const c of cells) {
      const cell = c.element.closest('.cell')
      expect(cell?.classList.contains('el-tooltip')).toBe(false)
      expect(c.element.closest('td')?.classList.contains('wrap')).toBe(true)
    }
    state.choices = null
    w.unmount()
  })

  it('lists the group cap read-only with its citation and clauses', async () => {
    const w = mount(SettingsPage, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    const card = w.get('[data-testid="group-cap"]')
    expect(card.text()).toContain('《若干政策措施》四')
    expect(card.text()).toContain('标杆平台每年合计上限')
    expect(card.text()).toContain('15,000,000 元（2021-01-01 起）')
    expect(card.text()).toContain('4.1 标杆应用示范项目奖励、4.4 企业数字化转型奖励')
    expect(card.find('button').exists()).toBe(false)
    w.unmount()
  })
})
