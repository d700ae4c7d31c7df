/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

// Tauri serves the built files itself; in dev it points at this port (tauri.conf.json devUrl).
export default defineConfig(({ mode }) => ({
  plugins: [
    vue(),
    // Element Plus components (and v-loading) are imported where a template uses them, with their
    // own CSS, instead of the whole library: about half the size. Template types come from
    // element-plus/global (src/env.d.ts), so no generated components.d.ts is needed.
    // Unit tests register Element Plus globally instead (its per-component CSS imports can't load in Node).
    mode !== 'test' &&
      Components({ resolvers: [ElementPlusResolver({ importStyle: 'css', directives: true })], dts: false }),
  ],
  base: './',
  clearScreen: false,
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    port: 1420,
    strictPort: true,
    // The Rust side rebuilds on its own; don't reload the page for it.
    watch: { ignored: ['**/src-tauri/**'] },
  },
  envPrefix: ['VITE_', 'TAURI_ENV_'],
  build: {
    outDir: 'dist',
    // WebView2 (Windows) and WebKitGTK (Linux) both handle ES2021.
    target: 'es2021',
    // Both webviews support modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
}))
