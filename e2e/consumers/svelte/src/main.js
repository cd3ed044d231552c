import { mount } from 'svelte'
import 'rtkit'
import App from './App.svelte'

mount(App, { target: document.getElementById('app') })
