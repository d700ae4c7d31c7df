import { createApp } from 'vue'
// Components are imported by unplugin-vue-components (vite.config.ts); the services called from
// code need their styles brought in here.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import App from './App.vue'
import { router } from './router'
import { isApiError, showError } from './api'
import './style.css'

const app = createApp(App)
app.use(router)

// Any failure that a page did not handle itself still reaches the officer, once.
app.config.errorHandler = (err) => {
  if (isApiError(err) && err.shown) return
  console.error(err)
  showError(err)
}
window.addEventListener('unhandledrejection', (ev) => {
  if (isApiError(ev.reason)) {
    ev.preventDefault()
    if (!ev.reason.shown) showError(ev.reason)
  }
})

// A page's code that fails to load is reported instead of leaving the window blank.
router.onError((err) => showError(err))

// Mount once the first route is known (so the menu highlights the right page), and mount even if
// that first navigation failed, so the menu still works.
void router
  .isReady()
  .catch(() => undefined)
  .finally(() => app.mount('#app'))
