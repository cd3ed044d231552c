import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The react-ts template's config, built to be served from any folder.
export default defineConfig({
  base: './',
  plugins: [react()],
})
