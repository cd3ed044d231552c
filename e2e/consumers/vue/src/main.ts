import { createApp } from 'vue'
import 'rtkit'
import App from './App.vue'

createApp(App).mount('#app')
