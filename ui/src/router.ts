import { createRouter, createWebHashHistory } from 'vue-router'

// Hash history: the app is served from files by Tauri, with no server to answer deep links.
export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'dashboard', component: () => import('@/pages/DashboardPage.vue'), meta: { title: '工作台' } },
    { path: '/cases', name: 'cases', component: () => import('@/pages/CasesPage.vue'), meta: { title: '案件' } },
    {
      path: '/cases/:id(\\d+)',
      name: 'case',
      component: () => import('@/pages/CaseDetailPage.vue'),
      props: (r) => ({ id: Number(r.params.id) }),
      meta: { title: '案件详情', menu: '/cases' },
    },
    { path: '/import', name: 'import', component: () => import('@/pages/ImportPage.vue'), meta: { title: '导入' } },
    { path: '/templates', name: 'templates', component: () => import('@/pages/TemplatesPage.vue'), meta: { title: '模板' } },
    { path: '/print', name: 'print', component: () => import('@/pages/PrintPage.vue'), meta: { title: '打印' } },
    { path: '/registry', name: 'registry', component: () => import('@/pages/RegistryPage.vue'), meta: { title: '企业与平台' } },
    { path: '/settings', name: 'settings', component: () => import('@/pages/SettingsPage.vue'), meta: { title: '设置' } },
    { path: '/:rest(.*)*', redirect: '/' },
  ],
})

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : ''
  document.title = title ? `${title} - 扶持资金案件台` : '扶持资金案件台'
})
